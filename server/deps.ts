import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { FormCatalogue, IndexDefinitionCatalogue } from '../survey-forms/catalogue';
import type { ProvinceReference } from '../survey-forms/provinces';
import type { JobProducer } from './jobs/job-contract';
import type { Config } from './config';
import type { LoginThrottle } from './modules/auth/login-throttle';
import { createAggregateRepository } from './modules/aggregates/aggregate.repository';
import { createReviewCountRepository } from './modules/aggregates/review-count.repository';
import { createTallyFeedRepository } from './modules/aggregates/tally-feed.repository';
import { createTallyRepository } from './modules/aggregates/tally.repository';
import { createAssignmentRepository } from './modules/assignments/assignment.repository';
import { createSessionRepository } from './modules/auth/session.repository';
import { createExportRepository } from './modules/exports/export.repository';
import { createMicrodataRepository } from './modules/exports/microdata.repository';
import { createKeyingRepository } from './modules/keying/keying.repository';
import { createVerificationRepository } from './modules/keying/verification.repository';
import { createDeviceRepository } from './modules/devices/device.repository';
import { createPostOfficeRepository } from './modules/post-offices/post-office.repository';
import { createProvinceAreaRepository } from './modules/quality/province-area.repository';
import { createQualityCheckRepository } from './modules/quality/quality-check.repository';
import { createQuotaStatisticsRepository } from './modules/quotas/quota-statistics.repository';
import { createQuotaRepository } from './modules/quotas/quota.repository';
import { createReleaseRepository } from './modules/releases/release.repository';
import { createRespondentLinkRepository } from './modules/respondent-links/respondent-link.repository';
import { createResponseRepository } from './modules/responses/response.repository';
import { createAuditRepository } from './modules/review/audit.repository';
import { createReviewRepository } from './modules/review/review.repository';
import { createRoundRepository } from './modules/rounds/round.repository';
import type { PersonalDataCipher } from './modules/samples/personal-data.cipher';
import { createSampleContactRepository } from './modules/samples/sample-contact.repository';
import { createSampleUnitRepository } from './modules/samples/sample-unit.repository';
import { createUserRepository } from './modules/users/user.repository';

/** Every repository, on one connection. */
export function createRepositories(connection: Connection) {
  return {
    users: createUserRepository(connection),
    sessions: createSessionRepository(connection),
    rounds: createRoundRepository(connection),
    /** Storing responses; the other readers of the responses collection follow, each in its module. */
    responses: createResponseRepository(connection),
    qualityChecks: createQualityCheckRepository(connection),
    review: createReviewRepository(connection),
    quotaStatistics: createQuotaStatisticsRepository(connection),
    tallyFeed: createTallyFeedRepository(connection),
    microdata: createMicrodataRepository(connection),
    tallies: createTallyRepository(connection),
    aggregates: createAggregateRepository(connection),
    /** Per-province counts of responses left out of the figures, kept with the tallies. */
    reviewCounts: createReviewCountRepository(connection),
    sampleUnits: createSampleUnitRepository(connection),
    sampleContacts: createSampleContactRepository(connection),
    assignments: createAssignmentRepository(connection),
    provinceAreas: createProvinceAreaRepository(connection),
    audit: createAuditRepository(connection),
    quotas: createQuotaRepository(connection),
    exports: createExportRepository(connection),
    keyings: createKeyingRepository(connection),
    verification: createVerificationRepository(connection),
    postOffices: createPostOfficeRepository(connection),
    devices: createDeviceRepository(connection),
    releases: createReleaseRepository(connection),
    respondentLinks: createRespondentLinkRepository(connection),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

/** What the API's routes and services are given. Built by `server/system.ts`, or by a test. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  connection: Connection;
  repos: Repositories;
  forms: FormCatalogue;
  definitions: IndexDefinitionCatalogue;
  provinces: ProvinceReference;
  jobs: JobProducer;
  /** Seals and opens the personal data of the sample list (PERSONAL_DATA_KEY). */
  personalData: PersonalDataCipher;
  /** Counts login attempts per username and address, in Redis. */
  loginThrottle: LoginThrottle;
  /** Set when the process is stopping: /readyz answers 503 so load balancers send nothing new. */
  lifecycle: { draining: boolean };
  /** Redis for request rate limits (respondent links), shared by every API process. */
  redis: Redis;
}

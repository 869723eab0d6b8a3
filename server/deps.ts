import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { FormCatalogue, IndexDefinitionCatalogue } from '../survey-forms/catalogue';
import type { ProvinceReference } from '../survey-forms/provinces';
import type { JobProducer } from './jobs/job-contract';
import type { Config } from './config';
import { createProvinceAreaRepository } from './modules/quality/province-area.repository';
import { createAuditRepository } from './modules/review/audit.repository';
import { createQuotaRepository } from './modules/quotas/quota.repository';
import { createAggregateRepository } from './modules/aggregates/aggregate.repository';
import { createExportRepository } from './modules/exports/export.repository';
import { createSessionRepository } from './modules/auth/session.repository';
import { createResponseRepository } from './modules/responses/response.repository';
import { createRoundRepository } from './modules/rounds/round.repository';
import type { PersonalDataCipher } from './modules/samples/personal-data.cipher';
import { createSampleRepository } from './modules/samples/sample.repository';
import { createUserRepository } from './modules/users/user.repository';

/** Every repository, on one connection. */
export function createRepositories(connection: Connection) {
  return {
    users: createUserRepository(connection),
    sessions: createSessionRepository(connection),
    rounds: createRoundRepository(connection),
    responses: createResponseRepository(connection),
    aggregates: createAggregateRepository(connection),
    samples: createSampleRepository(connection),
    provinceAreas: createProvinceAreaRepository(connection),
    audit: createAuditRepository(connection),
    quotas: createQuotaRepository(connection),
    exports: createExportRepository(connection),
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
}

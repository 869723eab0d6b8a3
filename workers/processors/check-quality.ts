import type { Logger } from 'pino';
import { checkResponses, type QualityDeps, type QualityOutcome } from '../../server/modules/quality/quality.service';
import type { RoundRepository } from '../../server/modules/rounds/round.repository';
import { JobCannotSucceed, jobIdFor, type JobPayloads, type JobProducer } from '../../server/jobs/job-contract';

export interface CheckQualityDeps extends QualityDeps {
  rounds: RoundRepository;
  jobs: JobProducer;
  logger: Logger;
}

/**
 * Checks a batch's responses, then asks for the recompute of their provinces. The recompute is
 * enqueued even when every response had been checked already (a retry after Redis failed): its job
 * id is deterministic, so it is asked once.
 */
export async function checkQuality(deps: CheckQualityDeps, payload: JobPayloads['check-quality']): Promise<QualityOutcome> {
  const round = await deps.rounds.findById(payload.roundId);
  if (!round) throw new JobCannotSucceed(`round ${payload.roundId} does not exist`);
  const outcome = await checkResponses(deps, round, payload.responseIds);
  if (outcome.provinceCodes.length > 0) {
    await deps.jobs.enqueue(
      'recompute-provinces',
      { roundId: round.id, provinceCodes: outcome.provinceCodes, reason: 'quality-checked' },
      jobIdFor('recompute-provinces', round.id, ['checked', ...[...payload.responseIds].sort()]),
    );
  }
  deps.logger.info({ roundId: round.id, reason: payload.reason, ...outcome }, 'quality checks done');
  return outcome;
}

import type { Logger } from 'pino';
import type { JobPayloads } from '../../server/jobs/job-contract';
import { checkBatch, type QualityBatchDeps, type QualityOutcome } from '../../server/modules/quality/quality.service';

/** Checks a batch's responses, then counts those found clear in the tallies (the quality module's use case). */
export async function checkQualityJob(deps: QualityBatchDeps & { logger: Logger }, payload: JobPayloads['check-quality']): Promise<QualityOutcome & { counted: number }> {
  const outcome = await checkBatch(deps, payload);
  deps.logger.info({ roundId: payload.roundId, reason: payload.reason, ...outcome }, 'quality checks done');
  return outcome;
}

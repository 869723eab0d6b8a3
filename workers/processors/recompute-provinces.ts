import type { Logger } from 'pino';
import type { JobPayloads } from '../../server/jobs/job-contract';
import { recomputeProvinces, type AggregationDeps, type RecomputeOutcome } from '../../server/modules/aggregates/aggregation.service';

/** Re-tallies the named provinces, then recomputes the round's figures unless a later job will. */
export async function recomputeProvincesJob(deps: AggregationDeps & { logger: Logger }, payload: JobPayloads['recompute-provinces']): Promise<RecomputeOutcome> {
  const outcome = await recomputeProvinces(deps, payload);
  const skipped = outcome.status === 'tallied';
  deps.logger.info(
    { roundId: payload.roundId, provinces: payload.provinceCodes.length, reason: payload.reason, responses: outcome.responses, aggregateWritten: outcome.aggregateWritten, figuresLeftToLaterJob: skipped },
    skipped ? 'tallied provinces; a later job computes the figures' : 'recomputed round figures',
  );
  return outcome;
}

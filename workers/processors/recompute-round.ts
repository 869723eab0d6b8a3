import type { Logger } from 'pino';
import type { JobContext, JobPayloads } from '../../server/jobs/job-contract';
import { recomputeRound, type AggregationDeps, type RecomputeRoundOutcome } from '../../server/modules/aggregates/aggregation.service';

/** Re-tallies every province of the round, then recomputes its figures, reporting progress in cells. */
export async function recomputeRoundJob(
  deps: AggregationDeps & { logger: Logger },
  payload: JobPayloads['recompute-round'],
  { reportProgress }: JobContext,
): Promise<RecomputeRoundOutcome> {
  const outcome = await recomputeRound(deps, payload, reportProgress);
  deps.logger.info(
    { roundId: payload.roundId, requestedBy: payload.requestedBy, cells: outcome.cellsTallied, responses: outcome.responses, aggregateWritten: outcome.aggregateWritten },
    'recomputed the whole round',
  );
  return outcome;
}

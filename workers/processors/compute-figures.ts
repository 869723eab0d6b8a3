import type { Logger } from 'pino';
import type { JobPayloads } from '../../server/jobs/job-contract';
import { computeFiguresOfRound, type AggregationDeps } from '../../server/modules/aggregates/aggregation.service';

/** Computes a round's figures from its tallies (one computation at a time per round). */
export async function computeFiguresJob(deps: AggregationDeps & { logger: Logger }, payload: JobPayloads['compute-figures']): Promise<{ responses: number; written: boolean }> {
  const outcome = await computeFiguresOfRound(deps, payload);
  deps.logger.info({ roundId: payload.roundId, generation: payload.generation, ...outcome }, 'computed round figures');
  return outcome;
}

import { computeAndStoreFigures, loadRoundMethod, tallyProvince, type AggregationDeps } from '../aggregation';
import type { JobPayloads } from '../queues';

export interface RecomputeOutcome {
  status: 'recomputed';
  provincesTallied: number;
  /** False when a later job had already stored newer figures. */
  aggregateWritten: boolean;
  responses: number;
}

/**
 * Re-tallies some provinces of a round from the stored responses, then recomputes the round's
 * figures from all its province tallies. Safe to run twice, and in parallel with itself:
 *
 * - Before reading responses it takes a number from the round's counter; a tally is written only
 *   over one with a lower number. The highest-numbered read began after every earlier job's
 *   responses were stored, so it is the most complete.
 * - After writing tallies it takes another number; it reads all tallies after that, so its figures
 *   include every tally written under a lower number. Again the highest number wins.
 */
export async function recomputeProvinces(deps: AggregationDeps, payload: JobPayloads['recompute-provinces']): Promise<RecomputeOutcome> {
  const method = await loadRoundMethod(deps, payload.roundId);
  const readSeq = await deps.rounds.nextAggregationSeq(method.round.id);
  for (const provinceCode of payload.provinceCodes) await tallyProvince(deps, method, provinceCode, readSeq);
  const { responses, written } = await computeAndStoreFigures(deps, method);
  deps.logger.info(
    { roundId: method.round.id, provinces: payload.provinceCodes.length, reason: payload.reason, responses, aggregateWritten: written },
    'recomputed round figures',
  );
  return { status: 'recomputed', provincesTallied: payload.provinceCodes.length, aggregateWritten: written, responses };
}

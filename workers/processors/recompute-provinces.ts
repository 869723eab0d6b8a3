import { computeAndStoreFigures, loadRoundMethod, tallyProvince, type AggregationDeps } from '../aggregation';
import type { JobPayloads } from '../../server/jobs/job-contract';

export interface RecomputeOutcome {
  /** `tallied`: the provinces' tallies are stored and a later job, already started, computes the figures. */
  status: 'recomputed' | 'tallied';
  provincesTallied: number;
  /** False when a later job had already stored newer figures, or will. */
  aggregateWritten: boolean;
  /** Responses in the round's figures, when this job computed them. */
  responses: number | null;
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
 * - If a later job has already taken a number by then, this one leaves the figures to it (see
 *   computeAndStoreFigures): in a burst of batches only the last jobs compute.
 */
export async function recomputeProvinces(deps: AggregationDeps, payload: JobPayloads['recompute-provinces']): Promise<RecomputeOutcome> {
  const method = await loadRoundMethod(deps, payload.roundId);
  const readSeq = await deps.rounds.nextAggregationSeq(method.round.id);
  for (const provinceCode of payload.provinceCodes) await tallyProvince(deps, method, provinceCode, readSeq);
  const { responses, written, skipped } = await computeAndStoreFigures(deps, method, { skipIfSuperseded: true });
  deps.logger.info(
    { roundId: method.round.id, provinces: payload.provinceCodes.length, reason: payload.reason, responses, aggregateWritten: written, figuresLeftToLaterJob: skipped },
    skipped ? 'tallied provinces; a later job computes the figures' : 'recomputed round figures',
  );
  return {
    status: skipped ? 'tallied' : 'recomputed',
    provincesTallied: payload.provinceCodes.length,
    aggregateWritten: written,
    responses: skipped ? null : responses,
  };
}

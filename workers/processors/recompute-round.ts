import { DIMENSIONS } from '../../survey-forms/form-definition.schema';
import { computeAndStoreFigures, loadRoundMethod, tallyProvince, type AggregationDeps } from '../aggregation';
import type { JobPayloads, RecomputeProgress } from '../../server/jobs/job-contract';

export interface RecomputeRoundOutcome {
  status: 'recomputed';
  provincesTallied: number;
  cellsTallied: number;
  responses: number;
  /** False when a later job had already stored newer figures. */
  aggregateWritten: boolean;
}

/**
 * Re-tallies every province of a round's edition from its stored responses — also those with no
 * response left, so nothing stale survives — then recomputes the figures. The same concurrency rules
 * as recompute-provinces hold (see there): one number for all the reads, a later one for the figures.
 *
 * Progress is reported in cells (province × respondent type × serving level × service field), counted
 * first; responses stored while the job runs may add cells, so the total grows to match what was done.
 */
export async function recomputeRound(
  deps: AggregationDeps,
  payload: JobPayloads['recompute-round'],
  reportProgress: (progress: RecomputeProgress) => Promise<void>,
): Promise<RecomputeRoundOutcome> {
  const method = await loadRoundMethod(deps, payload.roundId);
  const provinceCodes = deps.provinces.provinces(method.round.boundaryEdition).map((p) => p.code);
  const progress: RecomputeProgress = {
    phase: 'counting',
    cellsDone: 0,
    cellsTotal: 0,
    provincesDone: 0,
    provincesTotal: provinceCodes.length,
  };
  await reportProgress({ ...progress });

  const counts = await deps.responses.cellCounts(
    method.round.id,
    DIMENSIONS.map((d) => method.form.definition.dimensions[d]),
  );
  progress.cellsTotal = [...counts.values()].reduce((a, b) => a + b, 0);
  progress.phase = 'tallying';
  await reportProgress({ ...progress });

  const readSeq = await deps.rounds.nextAggregationSeq(method.round.id);
  for (const provinceCode of provinceCodes) {
    progress.cellsDone += await tallyProvince(deps, method, provinceCode, readSeq);
    progress.provincesDone += 1;
    progress.cellsTotal = Math.max(progress.cellsTotal, progress.cellsDone);
    await reportProgress({ ...progress });
  }

  progress.phase = 'computing';
  await reportProgress({ ...progress });
  const { responses, written } = await computeAndStoreFigures(deps, method);
  progress.phase = 'done';
  await reportProgress({ ...progress });
  deps.logger.info(
    { roundId: method.round.id, requestedBy: payload.requestedBy, cells: progress.cellsDone, responses, aggregateWritten: written },
    'recomputed the whole round',
  );
  return { status: 'recomputed', provincesTallied: progress.provincesDone, cellsTallied: progress.cellsDone, responses, aggregateWritten: written };
}

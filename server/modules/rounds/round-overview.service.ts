import { REVIEW_STATUSES } from '../../../survey-forms/review-status';
import type { AggregateRepository } from '../aggregates/aggregate.repository';
import type { ReviewRepository } from '../review/review.repository';
import type { SampleUnitRepository } from '../samples/sample-unit.repository';
import { UNIT_STATUSES } from '../samples/sample.schema';
import { presentRound } from './round.present';
import type { RoundRepository } from './round.repository';
import type { RoundOverview } from './round.schema';
import { getRound } from './round.service';

export interface RoundOverviewDeps {
  rounds: RoundRepository;
  sampleUnits: SampleUnitRepository;
  review: ReviewRepository;
  aggregates: AggregateRepository;
}

/**
 * Where a round stands, for the console's round page: its units by status and assignment, its
 * responses by review status, and when its figures were last computed. Counted when asked, as the
 * quota progress is (a few aggregations led by the round's index), so it always equals a recount.
 */
export async function roundOverview(deps: RoundOverviewDeps, roundId: string): Promise<RoundOverview> {
  const round = await getRound(deps, roundId);
  const [units, responses, computedAt] = await Promise.all([
    deps.sampleUnits.countByStatus(round.id),
    deps.review.reviewBreakdown(round.id),
    deps.aggregates.computedAt(round.id, round.boundaryEdition),
  ]);
  const byStatus: Record<string, number> = Object.fromEntries(UNIT_STATUSES.map((s) => [s, 0]));
  let assigned = 0;
  let total = 0;
  for (const row of units) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + row.units;
    total += row.units;
    if (row.assigned) assigned += row.units;
  }
  const byReviewStatus: Record<string, number> = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, 0]));
  for (const row of responses) {
    const status = row.reviewStatus ?? 'unchecked';
    byReviewStatus[status] = (byReviewStatus[status] ?? 0) + row.stored;
  }
  return {
    round: presentRound(round),
    units: { total, assigned, unassigned: total - assigned, byStatus },
    responses: { total: responses.reduce((sum, r) => sum + r.stored, 0), byReviewStatus },
    figuresComputedAt: computedAt?.toISOString() ?? null,
  };
}

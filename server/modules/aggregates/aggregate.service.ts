import type { Static } from '@sinclair/typebox';
import type { CataloguedProblem } from '../../../survey-forms/ajv';
import type { CompiledForm } from '../../../survey-forms/form';
import type { CompiledIndexDefinition, CompiledIndicator } from '../../../survey-forms/index-definition';
import { compareWithPrevious, type ComparedRow } from '../../../survey-forms/index-engine/changes';
import type { Estimate, EstimateFigures, Grouping } from '../../../survey-forms/index-engine/round-figures';
import type { BoundaryEdition } from '../../../survey-forms/provinces';
import { jobIdFor, type JobProducer } from '../../jobs/job-contract';
import { HttpProblem, validationFailed } from '../../http/problem';
import type { VerificationRepository } from '../keying/verification.repository';
import type { ReviewRepository } from '../review/review.repository';
import type { RoundRecord } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import type { StoredIndicatorFigures } from './aggregate.repository';
import type { ReviewCountRepository } from './review-count.repository';
import { DEFAULT_ROW_FIELDS, ROW_FIELDS, type AggregatesQuery, type RowField } from './aggregate.schema';
import { figuresOf, methodOfRound, type AggregationDeps } from './aggregation.service';

/** What the figures API needs: aggregation's own dependencies, the stored review counts, and the queue. */
export interface AggregateDeps extends AggregationDeps {
  reviewCounts: ReviewCountRepository;
  review: ReviewRepository;
  jobs: JobProducer;
  /** Double entry's counts of paper forms not yet verified (keying/); absent: none reported. */
  verification?: Pick<VerificationRepository, 'countUnverified'>;
}

/** Everything a table of figures is made of, before labels and field selection. */
export interface AggregateTable {
  round: RoundRecord;
  form: CompiledForm;
  definition: CompiledIndexDefinition;
  indicator: CompiledIndicator;
  by: Grouping;
  estimate: Estimate;
  edition: BoundaryEdition;
  fields: RowField[];
  stored: StoredIndicatorFigures | undefined;
  figures: EstimateFigures;
  rows: ComparedRow[];
  comparison: { previousRoundId: string; comparable: boolean; reason: string | null } | null;
  review: {
    awaitingReview: number;
    unchecked: number;
    rejected: number;
    awaitingReviewByProvince: Record<string, number>;
    awaitingVerification: number;
    awaitingSecondKeying: number;
  };
}

function parseFields(fields: string | undefined): RowField[] {
  if (fields === undefined) return [...DEFAULT_ROW_FIELDS];
  if (fields === 'all') return [...ROW_FIELDS];
  const asked = fields.split(',').filter(Boolean);
  const unknown = asked.filter((f) => !(ROW_FIELDS as ReadonlyArray<string>).includes(f));
  if (unknown.length > 0 || asked.length === 0) {
    throw validationFailed([
      {
        path: '/query/fields',
        code: 'not_in_options',
        message: `${unknown.length > 0 ? `has unknown fields ${unknown.join(', ')}` : 'names no field'}: use "all" or some of ${ROW_FIELDS.join(', ')}`,
      },
    ]);
  }
  return ROW_FIELDS.filter((f) => asked.includes(f));
}

/**
 * A table of a round's figures: one indicator, one estimate, one grouping, on one boundary edition,
 * with changes against the round's previous round. Changes are computed at reading time, so a
 * recomputed previous round is reflected at once.
 */
export async function getAggregateTable(deps: AggregateDeps, roundId: string, query: Static<typeof AggregatesQuery>): Promise<AggregateTable> {
  const round = await getRound(deps, roundId);
  const { form, definition } = methodOfRound(deps, round);
  const fields = parseFields(query.fields);
  const indicator = definition.indicatorById.get(query.indicator);
  const edition = query.edition ?? round.boundaryEdition;
  const problems: CataloguedProblem[] = [];
  if (!indicator) {
    problems.push({
      path: '/query/indicator',
      code: 'not_in_options',
      message: `is not an indicator of index definition ${definition.definition.definitionId} version ${definition.definition.version}: one of ${definition.indicators.map((i) => i.id).join(', ')}`,
    });
  }
  if (edition === 63 && round.boundaryEdition === 34) {
    problems.push({ path: '/query/edition', code: 'not_allowed', message: `round ${round.id} was collected on the 34 units; it cannot be shown on the 63` });
  }
  if (problems.length > 0 || !indicator) throw validationFailed(problems);

  const stored = await deps.aggregates.findIndicatorFigures(round.id, edition, indicator.id);
  // Before the first computation the figures are those of no response: every group, no value.
  const indicatorFigures = stored?.figures ?? figuresOf(deps, { round, form, definition }, []).editions.find((e) => e.edition === edition)?.indicators[indicator.id];
  const figures = indicatorFigures?.estimates[query.estimate];
  if (!indicatorFigures || !figures) {
    throw validationFailed([{ path: '/query/estimate', code: 'not_available', message: `no response of round ${round.id} carries a weight, so there is no weighted estimate` }]);
  }
  // Figures stored before a grouping existed (by=mode) lack it until they are computed again.
  const rowsNow = figures.groupings[query.by] as EstimateFigures['groupings'][Grouping] | undefined;
  if (!rowsNow) {
    throw validationFailed([
      { path: '/query/by', code: 'not_available', message: `the figures of round ${round.id} were computed before rows by ${query.by} existed: ask for a recompute (POST /api/v1/rounds/${round.id}/recompute)` },
    ]);
  }

  let comparison: AggregateTable['comparison'] = null;
  let previousRows;
  if (round.previousRoundId !== null) {
    const previous = await deps.rounds.findById(round.previousRoundId);
    let reason: string | null = null;
    if (!previous) reason = `round ${round.previousRoundId} no longer exists`;
    else if (previous.indexDefinitionId !== round.indexDefinitionId) {
      reason = `round ${previous.id} was computed with index definition ${previous.indexDefinitionId}, this one with ${round.indexDefinitionId}: different methods are not compared`;
    } else if (edition === 63 && previous.boundaryEdition === 34) {
      reason = `round ${previous.id} was collected on the 34 units; ask for edition=34 to compare`;
    } else {
      const before = await deps.aggregates.findIndicatorFigures(previous.id, edition, indicator.id);
      previousRows = before?.figures?.estimates[query.estimate]?.groupings[query.by];
      if (!previousRows) reason = `round ${previous.id} has no ${query.estimate} figures of ${indicator.id} on the ${edition} units yet`;
    }
    comparison = { previousRoundId: round.previousRoundId, comparable: reason === null, reason };
  }

  const unverified = (await deps.verification?.countUnverified(round.id)) ?? { awaitingVerification: 0, awaitingSecondKeying: 0 };
  // Stored per-province counts (kept with the tallies): at most one small document per province, never a count of the round.
  const review: AggregateTable['review'] = { awaitingReview: 0, unchecked: 0, rejected: 0, awaitingReviewByProvince: {}, ...unverified };
  for (const { provinceCode, unchecked, flagged, rejected } of await deps.reviewCounts.ofRound(round.id)) {
    review.unchecked += unchecked;
    review.rejected += rejected;
    review.awaitingReview += flagged;
    if (flagged > 0) review.awaitingReviewByProvince[provinceCode] = flagged;
  }

  return {
    review,
    round,
    form,
    definition,
    indicator,
    by: query.by,
    estimate: query.estimate,
    edition,
    fields,
    stored,
    figures,
    rows: compareWithPrevious(rowsNow, previousRows),
    comparison,
  };
}

/**
 * Queues a full recompute of a round. The job id is derived from what the recompute would read — the
 * number of responses, the latest storage time, the index definition — so asking twice for the same
 * data is one job, and asking after new responses is a new one. A failed job is retried.
 */
export async function requestRecompute(deps: AggregateDeps, roundId: string, requestedBy: string): Promise<{ jobId: string; state: string }> {
  const round = await getRound(deps, roundId);
  const state = await deps.tallyFeed.roundState(round.id);
  const jobId = jobIdFor('recompute-round', round.id, [
    String(state.responses),
    state.latestStoredAt?.toISOString() ?? 'none',
    `${round.indexDefinitionId}@${round.indexDefinitionVersion}`,
  ]);
  try {
    await deps.jobs.enqueue('recompute-round', { roundId: round.id, requestedBy }, jobId);
    let job = await deps.jobs.inspect(jobId);
    if (job?.state === 'failed' && (await deps.jobs.retry(jobId))) job = await deps.jobs.inspect(jobId);
    return { jobId, state: job?.state ?? 'waiting' };
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw new HttpProblem('not_ready', 'The job queue is not reachable; nothing was queued. Try again shortly.');
  }
}

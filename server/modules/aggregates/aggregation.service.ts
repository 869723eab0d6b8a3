/**
 * The aggregation use case: tallies of a round's provinces from their counted responses, and the
 * round's figures from its tallies, with the index engine and the round's index definition. The
 * recompute jobs, the catch-up of the worker's sweep and the figures API all go through here.
 */
import type { FormCatalogue, IndexDefinitionCatalogue } from '../../../survey-forms/catalogue';
import { DIMENSIONS } from '../../../survey-forms/form-definition.schema';
import type { CompiledForm } from '../../../survey-forms/form';
import type { CompiledIndexDefinition } from '../../../survey-forms/index-definition';
import { computeRoundFigures, dimensionCodesOf, type RoundFigures } from '../../../survey-forms/index-engine/round-figures';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { createTallier } from '../../../survey-forms/tally';
import { JobCannotSucceed, jobIdFor, type JobPayloads, type JobProducer, type RecomputeProgress } from '../../jobs/job-contract';
import type { RoundRecord, RoundRepository } from '../rounds/round.repository';
import type { AggregateRepository } from './aggregate.repository';
import type { ReviewCountRepository } from './review-count.repository';
import type { TallyFeedRepository } from './tally-feed.repository';
import type { ProvinceTally, TallyRepository } from './tally.repository';

/** What aggregation needs: the rounds, the counted responses, the tallies and figures, the method catalogues. */
export interface AggregationDeps {
  rounds: RoundRepository;
  tallyFeed: TallyFeedRepository;
  tallies: TallyRepository;
  aggregates: AggregateRepository;
  forms: FormCatalogue;
  definitions: IndexDefinitionCatalogue;
  provinces: ProvinceReference;
  now?: () => Date;
  /** Per-province counts of responses left out of the figures, recounted with the tallies; without it (tests of the tally alone) they are not kept. */
  reviewCounts?: ReviewCountRepository;
  /** Whether another aggregation job of the round waits to start; without it, figures are never left to one. */
  hasWaitingWork?: (roundId: string) => Promise<boolean>;
}

/** A round with the questionnaire version and index definition it names. */
export interface RoundMethod {
  round: RoundRecord;
  form: CompiledForm;
  definition: CompiledIndexDefinition;
}

/** The method a round names; one that is not installed can never be computed with, so no job retries it. */
export function methodOfRound(deps: Pick<AggregationDeps, 'forms' | 'definitions'>, round: RoundRecord): RoundMethod {
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new JobCannotSucceed(`questionnaire ${round.formId} version ${round.formVersion} is not installed`);
  const definition = deps.definitions.get(round.indexDefinitionId, round.indexDefinitionVersion);
  if (!definition) throw new JobCannotSucceed(`index definition ${round.indexDefinitionId} version ${round.indexDefinitionVersion} is not installed`);
  return { round, form, definition };
}

/** Loads a round and its method; a missing round can never succeed either. */
export async function loadRoundMethod(deps: Pick<AggregationDeps, 'rounds' | 'forms' | 'definitions'>, roundId: string): Promise<RoundMethod> {
  const round = await deps.rounds.findById(roundId);
  if (!round) throw new JobCannotSucceed(`round ${roundId} does not exist`);
  return methodOfRound(deps, round);
}

/**
 * A round's figures from its province tallies, on its own edition and (for a 63-unit round) the 34.
 * With no tally at all, every group is present and none has a value: the figures of a round with no
 * response yet.
 */
export function figuresOf(deps: Pick<AggregationDeps, 'provinces'>, method: RoundMethod, tallies: ReadonlyArray<ProvinceTally>): RoundFigures {
  const { round, form, definition } = method;
  return computeRoundFigures({
    definition,
    cells: tallies.flatMap((t) => t.cells.map((c) => ({ ...c, provinceCode: t.provinceCode }))),
    edition: round.boundaryEdition,
    provinces: deps.provinces,
    unitTypesOn: round.fieldworkStart,
    dimensionCodes: dimensionCodesOf(form),
  });
}

/**
 * Re-tallies one province from its stored responses and stores the tally under `seq` (only over an
 * older one). Returns the number of cells it has.
 */
export async function tallyProvince(deps: AggregationDeps, method: RoundMethod, provinceCode: string, seq: number): Promise<number> {
  const readAt = (deps.now ?? (() => new Date()))();
  const tallier = createTallier(method.form, method.definition);
  let responses = 0;
  for await (const response of deps.tallyFeed.streamForTally(method.round.id, provinceCode)) {
    tallier.add(response);
    responses += 1;
  }
  const cells = tallier.cells();
  await deps.tallies.saveTally({
    roundId: method.round.id,
    provinceCode,
    seq,
    readAt,
    responses,
    cells: cells.map(({ dimensions, tally }) => ({ dimensions, tally })),
  });
  return cells.length;
}

/**
 * Recounts, for some provinces, the responses the figures leave out (unchecked, flagged, rejected),
 * under the aggregation number of the tally read (see review-count.repository.ts for why recounts).
 * Called wherever provinces are tallied, so the figures API only ever reads stored counts.
 */
export async function recountReviewStates(deps: Pick<AggregationDeps, 'reviewCounts'>, roundId: string, provinceCodes: ReadonlyArray<string>, seq: number): Promise<void> {
  if (!deps.reviewCounts) return;
  for (const provinceCode of provinceCodes) await deps.reviewCounts.recount(roundId, provinceCode, seq);
}

/**
 * Recomputes the round's figures from all its province tallies with the index engine and stores
 * them, under a fresh number of the round's counter: its read of the tallies begins after every
 * tally written under a lower number, so the highest number is the most complete and wins.
 *
 * With `skipIfSuperseded`, a job leaves the figures to a later one when that later job surely reads
 * our tallies: when another job has already taken a higher number (it reads the tallies after taking
 * its figures number, so after ours were written), or when another job of the round waits in the queue
 * (it will take its numbers after now). In a burst of batches only the last job computes, instead of
 * every one. A job that fails is retried and takes new numbers, so the last one standing computes.
 */
export async function computeAndStoreFigures(
  deps: AggregationDeps,
  method: RoundMethod,
  options: { skipIfSuperseded?: boolean } = {},
): Promise<{ responses: number; written: boolean; skipped: boolean }> {
  const { round, form } = method;
  const seq = await deps.rounds.nextAggregationSeq(round.id);
  if (options.skipIfSuperseded) {
    const superseded = (await deps.rounds.currentAggregationSeq(round.id)) > seq || (await deps.hasWaitingWork?.(round.id)) === true;
    if (superseded) return { responses: 0, written: false, skipped: true };
  }
  const tallies = await deps.tallies.talliesOfRound(round.id);
  const figures = figuresOf(deps, method, tallies);
  const written = await deps.aggregates.saveFigures(
    { roundId: round.id, seq, computedAt: (deps.now ?? (() => new Date()))(), formId: form.definition.formId, formVersion: form.definition.version },
    figures,
  );
  return { responses: figures.editions[0]?.responses ?? 0, written, skipped: false };
}

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
  await recountReviewStates(deps, method.round.id, payload.provinceCodes, readSeq);
  const { responses, written, skipped } = await computeAndStoreFigures(deps, method, { skipIfSuperseded: true });
  return {
    status: skipped ? 'tallied' : 'recomputed',
    provincesTallied: payload.provinceCodes.length,
    aggregateWritten: written,
    responses: skipped ? null : responses,
  };
}

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

  const counts = await deps.tallyFeed.cellCounts(
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
  await recountReviewStates(deps, method.round.id, provinceCodes, readSeq);

  progress.phase = 'computing';
  await reportProgress({ ...progress });
  const { responses, written } = await computeAndStoreFigures(deps, method);
  progress.phase = 'done';
  await reportProgress({ ...progress });
  return { status: 'recomputed', provincesTallied: progress.provincesDone, cellsTallied: progress.cellsDone, responses, aggregateWritten: written };
}

/**
 * Catches up on provinces whose tally has read fewer responses than are counted — the API stored
 * them but could not enqueue their checks or recompute (Redis was down) — and enqueues their
 * recompute. Only provinces with responses stored, checked or decided on since `since` are counted,
 * so a catch-up stays cheap. Job ids are deterministic, so catching up twice enqueues nothing new.
 * Returns the number of provinces found.
 */
export async function requestRecomputeOfUnaggregated(
  deps: { tallyFeed: TallyFeedRepository; tallies: TallyRepository; jobs: JobProducer },
  since: Date,
): Promise<number> {
  const recent = await deps.tallyFeed.latestStoredSince(since);
  const stale = new Map<string, Array<{ provinceCode: string; stored: number }>>();
  for (const { roundId, provinceCode } of recent) {
    const stored = await deps.tallyFeed.countForTally(roundId, provinceCode);
    if ((await deps.tallies.tallyResponseCount(roundId, provinceCode)) === stored) continue;
    const list = stale.get(roundId) ?? [];
    list.push({ provinceCode, stored });
    stale.set(roundId, list);
  }
  let found = 0;
  for (const [roundId, provinces] of stale) {
    provinces.sort((a, b) => a.provinceCode.localeCompare(b.provinceCode));
    found += provinces.length;
    await deps.jobs.enqueue(
      'recompute-provinces',
      { roundId, provinceCodes: provinces.map((p) => p.provinceCode), reason: 'sweep' },
      jobIdFor('recompute-provinces', roundId, ['sweep', ...provinces.map((p) => `${p.provinceCode}=${p.stored}`)]),
    );
  }
  return found;
}

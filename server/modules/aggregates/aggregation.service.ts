/**
 * The aggregation use case: tallies of a round's provinces and the round's figures from them, with the
 * index engine and the round's index definition. Tallies change incrementally as batches are checked
 * and decisions made (tally-changes.service.ts); a full re-tally from stored responses is the repair
 * path (the sweep, a full recompute). Figures are computed by one job at a time per round, with at
 * most one more waiting (`requestFigures`). The recompute jobs, the sweep and the figures API all go
 * through here.
 */
import { randomUUID } from 'node:crypto';
import type { FormCatalogue, IndexDefinitionCatalogue } from '../../../survey-forms/catalogue';
import { DIMENSIONS } from '../../../survey-forms/form-definition.schema';
import type { CompiledForm } from '../../../survey-forms/form';
import type { CompiledIndexDefinition } from '../../../survey-forms/index-definition';
import { computeRoundFigures, dimensionCodesOf, type RoundFigures } from '../../../survey-forms/index-engine/round-figures';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { createTallier, type TallyCell } from '../../../survey-forms/tally';
import { storedCellsOf, tallyCellsOfStored } from '../../../survey-forms/tally-delta';
import { tallyLayoutOf, tallyPlanOf, type TallyPlan } from '../../../survey-forms/tally-plan';
import { JobCannotSucceed, jobIdFor, type JobPayloads, type JobProducer, type RecomputeProgress } from '../../jobs/job-contract';
import type { RoundRecord, RoundRepository } from '../rounds/round.repository';
import type { AggregateRepository } from './aggregate.repository';
import type { ReviewCountRepository } from './review-count.repository';
import type { TallyFeedRepository } from './tally-feed.repository';
import { talliesBasisOf, type TallyRepository } from './tally.repository';

/** What aggregation needs: the rounds, the counted responses, the tallies and figures, the method catalogues. */
export interface AggregationDeps {
  rounds: RoundRepository;
  tallyFeed: TallyFeedRepository;
  tallies: TallyRepository;
  aggregates: AggregateRepository;
  forms: FormCatalogue;
  definitions: IndexDefinitionCatalogue;
  provinces: ProvinceReference;
  /** Where figures and re-tallies are asked for; without it, nothing is enqueued. */
  jobs?: JobProducer;
  now?: () => Date;
  /** How long a figure computation may hold its round's lease before another may take it over (default 30 s). */
  figuresLeaseMs?: number;
  /** Provinces a full recompute re-tallies at once (default 4). */
  recomputeConcurrency?: number;
  /** Per-province counts of responses left out of the figures, recounted with the tallies; without it (tests of the tally alone) they are not kept. */
  reviewCounts?: ReviewCountRepository;
}

/** A round with the questionnaire version and index definition it names, and their tally plan. */
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

/** The tally plan of a round's method and the fingerprint of its stored layout. */
export function planOf(method: RoundMethod): { plan: TallyPlan; layout: string } {
  const plan = tallyPlanOf(method.form, method.definition);
  return { plan, layout: tallyLayoutOf(plan) };
}

/**
 * A round's figures from its cells, on its own edition and (for a 63-unit round) the 34. With no
 * cell at all, every group is present and none has a value: the figures of a round with no response yet.
 */
export function figuresOf(deps: Pick<AggregationDeps, 'provinces'>, method: RoundMethod, cells: ReadonlyArray<TallyCell>): RoundFigures {
  const { round, form, definition } = method;
  return computeRoundFigures({
    definition,
    cells: [...cells],
    edition: round.boundaryEdition,
    provinces: deps.provinces,
    unitTypesOn: round.fieldworkStart,
    dimensionCodes: dimensionCodesOf(form),
  });
}

/**
 * Re-tallies one province from its stored responses (the repair path). It writes only over the tally
 * it began from: a change added meanwhile may or may not be among the responses read, so it reads
 * again (up to three times); then it writes anyway and the sweep's count check repairs what is left.
 * Returns the number of cells.
 */
export async function tallyProvince(deps: AggregationDeps, method: RoundMethod, provinceCode: string, seq: number): Promise<number> {
  const { layout } = planOf(method);
  for (let attempt = 1; ; attempt += 1) {
    const before = await deps.tallies.stateOf(method.round.id, provinceCode);
    const readAt = (deps.now ?? (() => new Date()))();
    const tallier = createTallier(method.form, method.definition);
    let responses = 0;
    for await (const response of deps.tallyFeed.streamForTally(method.round.id, provinceCode)) {
      tallier.add(response);
      responses += 1;
    }
    const cells = storedCellsOf(tallier.accumulators()).get(provinceCode) ?? {};
    const force = attempt >= 3;
    const stored = await deps.tallies.saveRetally(
      { roundId: method.round.id, provinceCode, layout },
      { seq, readAt, fromVersion: before?.version, force },
      { responses, cells },
    );
    if (stored || force) return Object.keys(cells).length;
  }
}

/** Asks for the round's figures: enqueues the computation of the current generation (one job per generation). */
export async function requestFigures(deps: { rounds: RoundRepository; jobs?: JobProducer }, roundId: string): Promise<void> {
  if (!deps.jobs) return;
  const generation = await deps.rounds.figuresGeneration(roundId);
  await deps.jobs.enqueue('compute-figures', { roundId, generation }, jobIdFor('compute-figures', roundId, [String(generation)]));
}

/**
 * Recounts, for some provinces, the responses the figures leave out (unchecked, flagged, rejected),
 * under the aggregation number of the tally read (see review-count.repository.ts for why recounts).
 * Called wherever provinces are tallied, so the figures API only ever reads stored counts.
 */
export async function recountReviewStates(deps: Pick<AggregationDeps, 'reviewCounts'>, roundId: string, provinceCodes: ReadonlyArray<string>, seq: number): Promise<void> {
  const { reviewCounts } = deps;
  if (!reviewCounts) return;
  // Provinces are independent documents: a batch spread over all 63 is recounted a few at once.
  await eachAtMost(provinceCodes, PROVINCES_AT_ONCE, (provinceCode) => reviewCounts.recount(roundId, provinceCode, seq).then(() => undefined));
}

/** Provinces a checked batch's tally changes and recounts touch at once. */
export const PROVINCES_AT_ONCE = 8;

/**
 * Computes the round's figures from all its tallies and stores them, one computation per round at a
 * time. Requests name the current generation; this starts the next one before reading the tallies,
 * so every change asked for before that start is read now, and every later request enqueues the next
 * generation's job: at most one computation runs and one waits, and each that runs computes (none
 * hands its work on, so figures never starve under a stream of batches). The lease keeps a second
 * job of the round waiting until the first is done; a crashed holder's lease runs out.
 */
export async function computeFigures(deps: AggregationDeps, method: RoundMethod, generation?: number): Promise<{ responses: number; written: boolean }> {
  const { round, form } = method;
  const now = deps.now ?? (() => new Date());
  const leaseMs = deps.figuresLeaseMs ?? 30_000;
  const owner = randomUUID();
  while (!(await deps.rounds.takeFiguresLease(round.id, owner, leaseMs, now()))) await new Promise((r) => setTimeout(r, 20));
  try {
    if (generation !== undefined) await deps.rounds.advanceFiguresGeneration(round.id, generation);
    const seq = await deps.rounds.nextAggregationSeq(round.id);
    const { plan, layout } = planOf(method);
    const tallies = await deps.tallies.talliesOfRound(round.id);
    // A tally of another layout (stored before this one) is left out until its re-tally, asked for here.
    const current = tallies.filter((t) => t.layout === layout);
    await retallyOtherLayouts(deps, round.id, layout, tallies.filter((t) => t.layout !== layout).map((t) => t.provinceCode));
    const figures = figuresOf(deps, method, current.flatMap((t) => tallyCellsOfStored(plan, t.provinceCode, t.cells)));
    const written = await deps.aggregates.saveFigures(
      { roundId: round.id, seq, computedAt: now(), formId: form.definition.formId, formVersion: form.definition.version, talliesBasis: talliesBasisOf(tallies) },
      figures,
    );
    return { responses: figures.editions[0]?.responses ?? 0, written };
  } finally {
    await deps.rounds.releaseFiguresLease(round.id, owner);
  }
}

/**
 * Asks for the re-tally of a round's provinces whose tallies are of another layout (stored by an
 * older version of the platform, before a cell dimension was added, say): once per layout and
 * provinces, and the re-tally asks for the figures again.
 */
async function retallyOtherLayouts(deps: Pick<AggregationDeps, 'jobs'>, roundId: string, layout: string, provinceCodes: string[]): Promise<void> {
  if (!deps.jobs || provinceCodes.length === 0) return;
  const sorted = [...provinceCodes].sort();
  await deps.jobs.enqueue('recompute-provinces', { roundId, provinceCodes: sorted, reason: 'sweep' }, jobIdFor('recompute-provinces', roundId, ['layout', layout, ...sorted]));
}

/** The figures job: computes the round's figures (see computeFigures). */
export async function computeFiguresOfRound(deps: AggregationDeps, payload: JobPayloads['compute-figures']): Promise<{ responses: number; written: boolean }> {
  return computeFigures(deps, await loadRoundMethod(deps, payload.roundId), payload.generation);
}

export interface RecomputeOutcome {
  status: 'tallied';
  provincesTallied: number;
}

/**
 * Re-tallies some provinces of a round from the stored responses (the repair path the sweep asks
 * for), then asks for the round's figures. Safe to run twice and in parallel with itself: a re-tally
 * writes only over an older one.
 */
export async function recomputeProvinces(deps: AggregationDeps, payload: JobPayloads['recompute-provinces']): Promise<RecomputeOutcome> {
  const method = await loadRoundMethod(deps, payload.roundId);
  const readSeq = await deps.rounds.nextAggregationSeq(method.round.id);
  for (const provinceCode of payload.provinceCodes) await tallyProvince(deps, method, provinceCode, readSeq);
  await recountReviewStates(deps, method.round.id, payload.provinceCodes, readSeq);
  await requestFigures(deps, method.round.id);
  return { status: 'tallied', provincesTallied: payload.provinceCodes.length };
}

export interface RecomputeRoundOutcome {
  status: 'recomputed';
  provincesTallied: number;
  cellsTallied: number;
  responses: number;
  /** False when a later job had already stored newer figures. */
  aggregateWritten: boolean;
}

/** Runs `work` over `items`, at most `limit` at once. */
export async function eachAtMost<T>(items: ReadonlyArray<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

/**
 * Re-tallies every province of a round's edition from its stored responses — also those with no
 * response left, so nothing stale survives — a few provinces at once, then recomputes the figures.
 *
 * Progress is reported in cells (province × respondent type × serving level × service field × mode), counted
 * first; responses stored while the job runs may add cells, so the total grows to match what was done.
 */
export async function recomputeRound(
  deps: AggregationDeps,
  payload: JobPayloads['recompute-round'],
  reportProgress: (progress: RecomputeProgress) => Promise<void>,
): Promise<RecomputeRoundOutcome> {
  const method = await loadRoundMethod(deps, payload.roundId);
  const provinceCodes = deps.provinces.provinces(method.round.boundaryEdition).map((p) => p.code);
  const progress: RecomputeProgress = { phase: 'counting', cellsDone: 0, cellsTotal: 0, provincesDone: 0, provincesTotal: provinceCodes.length };
  await reportProgress({ ...progress });

  const counts = await deps.tallyFeed.cellCounts(
    method.round.id,
    DIMENSIONS.map((d) => method.form.definition.dimensions[d]),
  );
  progress.cellsTotal = [...counts.values()].reduce((a, b) => a + b, 0);
  progress.phase = 'tallying';
  await reportProgress({ ...progress });

  const readSeq = await deps.rounds.nextAggregationSeq(method.round.id);
  await eachAtMost(provinceCodes, deps.recomputeConcurrency ?? 4, async (provinceCode) => {
    // Read the count after the await: several provinces are tallied at once.
    const cells = await tallyProvince(deps, method, provinceCode, readSeq);
    progress.cellsDone += cells;
    progress.provincesDone += 1;
    progress.cellsTotal = Math.max(progress.cellsTotal, progress.cellsDone);
    await reportProgress({ ...progress });
  });
  await recountReviewStates(deps, method.round.id, provinceCodes, readSeq);

  progress.phase = 'computing';
  await reportProgress({ ...progress });
  const { responses, written } = await computeFigures(deps, method);
  progress.phase = 'done';
  await reportProgress({ ...progress });
  return { status: 'recomputed', provincesTallied: progress.provincesDone, cellsTallied: progress.cellsDone, responses, aggregateWritten: written };
}

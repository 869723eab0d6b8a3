import { JobCannotSucceed } from '../server/jobs/job-contract';
import type { Logger } from 'pino';
import type { FormCatalogue, IndexDefinitionCatalogue } from '../survey-forms/catalogue';
import type { CompiledForm } from '../survey-forms/form';
import type { CompiledIndexDefinition } from '../survey-forms/index-definition';
import { computeRoundFigures, dimensionCodesOf } from '../survey-forms/index-engine/round-figures';
import type { ProvinceReference } from '../survey-forms/provinces';
import { createTallier } from '../survey-forms/tally';
import type { AggregateRepository } from '../server/modules/aggregates/aggregate.repository';
import type { ResponseRepository } from '../server/modules/responses/response.repository';
import type { RoundRecord, RoundRepository } from '../server/modules/rounds/round.repository';

/** What the aggregation jobs need. */
export interface AggregationDeps {
  rounds: RoundRepository;
  responses: ResponseRepository;
  aggregates: AggregateRepository;
  forms: FormCatalogue;
  definitions: IndexDefinitionCatalogue;
  provinces: ProvinceReference;
  logger: Logger;
  now?: () => Date;
  /** Whether another aggregation job of the round waits to start; without it, figures are never left to one. */
  hasWaitingWork?: (roundId: string) => Promise<boolean>;
}

/** A round with the questionnaire version and index definition it names. */
export interface RoundMethod {
  round: RoundRecord;
  form: CompiledForm;
  definition: CompiledIndexDefinition;
}

/** Loads a round and its method; a missing one can never succeed, so the job is not retried. */
export async function loadRoundMethod(deps: AggregationDeps, roundId: string): Promise<RoundMethod> {
  const round = await deps.rounds.findById(roundId);
  if (!round) throw new JobCannotSucceed(`round ${roundId} does not exist`);
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new JobCannotSucceed(`questionnaire ${round.formId} version ${round.formVersion} is not installed`);
  const definition = deps.definitions.get(round.indexDefinitionId, round.indexDefinitionVersion);
  if (!definition) throw new JobCannotSucceed(`index definition ${round.indexDefinitionId} version ${round.indexDefinitionVersion} is not installed`);
  return { round, form, definition };
}

/**
 * Re-tallies one province from its stored responses and stores the tally under `seq` (only over an
 * older one). Returns the number of cells it has.
 */
export async function tallyProvince(deps: AggregationDeps, method: RoundMethod, provinceCode: string, seq: number): Promise<number> {
  const readAt = (deps.now ?? (() => new Date()))();
  const tallier = createTallier(method.form, method.definition);
  let responses = 0;
  for await (const response of deps.responses.streamForTally(method.round.id, provinceCode)) {
    tallier.add(response);
    responses += 1;
  }
  const cells = tallier.cells();
  await deps.aggregates.saveTally({
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
  const { round, form, definition } = method;
  const seq = await deps.rounds.nextAggregationSeq(round.id);
  if (options.skipIfSuperseded) {
    const superseded = (await deps.rounds.currentAggregationSeq(round.id)) > seq || (await deps.hasWaitingWork?.(round.id)) === true;
    if (superseded) return { responses: 0, written: false, skipped: true };
  }
  const tallies = await deps.aggregates.talliesOfRound(round.id);
  const figures = computeRoundFigures({
    definition,
    cells: tallies.flatMap((t) => t.cells.map((c) => ({ ...c, provinceCode: t.provinceCode }))),
    edition: round.boundaryEdition,
    provinces: deps.provinces,
    unitTypesOn: round.fieldworkStart,
    dimensionCodes: dimensionCodesOf(form),
  });
  const written = await deps.aggregates.saveFigures(
    { roundId: round.id, seq, computedAt: (deps.now ?? (() => new Date()))(), formId: form.definition.formId, formVersion: form.definition.version },
    figures,
  );
  return { responses: figures.editions[0]?.responses ?? 0, written, skipped: false };
}

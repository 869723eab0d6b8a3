import type { FormCatalogue, IndexDefinitionCatalogue } from '../../../survey-forms/catalogue';
import type { CataloguedProblem } from '../../../survey-forms/ajv';
import { DEFAULT_ROUND_MODES } from '../../../survey-forms/modes';
import { HttpProblem, notFound, validationFailed } from '../../http/problem';
import type { RoundRecord, RoundRepository } from './round.repository';
import type { CreateRoundBody, UpdateRoundBody } from './round.schema';

export interface RoundDeps {
  rounds: RoundRepository;
  forms: FormCatalogue;
  definitions: IndexDefinitionCatalogue;
}

function checkDates(start: string, end: string, problems: CataloguedProblem[]): void {
  if (end < start) problems.push({ path: '/body/fieldworkEnd', code: 'too_small', message: `must not be before fieldworkStart (${start})` });
}

/**
 * A predecessor must exist and be of an earlier year: changes compare with the past, and no chain of
 * predecessors can loop.
 */
async function checkPreviousRound(deps: Pick<RoundDeps, 'rounds'>, year: number, previousRoundId: string | null | undefined, problems: CataloguedProblem[]): Promise<void> {
  if (previousRoundId === null || previousRoundId === undefined) return;
  const previous = await deps.rounds.findById(previousRoundId);
  if (!previous) {
    problems.push({ path: '/body/previousRoundId', code: 'unknown_round', message: `round ${previousRoundId} does not exist` });
  } else if (previous.year >= year) {
    problems.push({
      path: '/body/previousRoundId',
      code: 'not_allowed',
      message: `round ${previousRoundId} is of ${previous.year}; a previous round must be of a year before ${year}`,
    });
  }
}

/** Opens a survey round on a published questionnaire version, scored by a published index definition. */
export async function createRound(deps: RoundDeps, input: CreateRoundBody, createdBy: string, now = new Date()): Promise<RoundRecord> {
  const problems: CataloguedProblem[] = [];
  const form = deps.forms.get(input.formId, input.formVersion);
  if (!form) {
    problems.push({ path: '/body/formVersion', code: 'unknown_form', message: `questionnaire ${input.formId} version ${input.formVersion} does not exist` });
  } else if (form.definition.status !== 'published') {
    problems.push({ path: '/body/formVersion', code: 'not_published', message: 'is a draft: a round needs a published questionnaire version' });
  }

  let definitionKey: { id: string; version: string } | undefined;
  if ((input.indexDefinitionId === undefined) !== (input.indexDefinitionVersion === undefined)) {
    problems.push({ path: '/body/indexDefinitionVersion', code: 'required', message: 'give indexDefinitionId and indexDefinitionVersion together, or neither' });
  } else if (input.indexDefinitionId !== undefined && input.indexDefinitionVersion !== undefined) {
    const definition = deps.definitions.get(input.indexDefinitionId, input.indexDefinitionVersion);
    if (!definition) {
      problems.push({
        path: '/body/indexDefinitionVersion',
        code: 'unknown_definition',
        message: `index definition ${input.indexDefinitionId} version ${input.indexDefinitionVersion} does not exist`,
      });
    } else if (definition.definition.status !== 'published') {
      problems.push({ path: '/body/indexDefinitionVersion', code: 'not_published', message: 'is a draft: a round needs a published index definition' });
    } else if (!definition.appliesTo(input.formId, input.formVersion)) {
      problems.push({
        path: '/body/indexDefinitionId',
        code: 'not_applicable',
        message: `index definition ${input.indexDefinitionId} version ${input.indexDefinitionVersion} does not score questionnaire ${input.formId} version ${input.formVersion}`,
      });
    } else definitionKey = { id: input.indexDefinitionId, version: input.indexDefinitionVersion };
  } else if (form) {
    const found = deps.definitions.defaultFor(input.formId, input.formVersion);
    if (found) definitionKey = { id: found.definition.definitionId, version: found.definition.version };
    else {
      problems.push({
        path: '/body/indexDefinitionId',
        code: 'required',
        message: `no single published index definition scores questionnaire ${input.formId} version ${input.formVersion}: name one`,
      });
    }
  }

  checkDates(input.fieldworkStart, input.fieldworkEnd, problems);
  if (input.boundaryEdition === 34 && input.fieldworkEnd < '2025-07-01') {
    problems.push({ path: '/body/boundaryEdition', code: 'not_allowed', message: 'the 34 units exist from 1 July 2025; fieldwork ends before that' });
  }
  await checkPreviousRound(deps, input.year, input.previousRoundId, problems);
  if (problems.length > 0 || !definitionKey) throw validationFailed(problems);
  const { indexDefinitionId: _id, indexDefinitionVersion: _version, previousRoundId, modes, doubleEntryShare, ...rest } = input;
  const round: RoundRecord = {
    ...rest,
    modes: modes ?? [...DEFAULT_ROUND_MODES],
    doubleEntryShare: doubleEntryShare ?? 0,
    indexDefinitionId: definitionKey.id,
    indexDefinitionVersion: definitionKey.version,
    previousRoundId: previousRoundId ?? null,
    createdAt: now,
    createdBy,
  };
  await deps.rounds.insert(round);
  return round;
}

export async function getRound(deps: Pick<RoundDeps, 'rounds'>, id: string): Promise<RoundRecord> {
  const round = await deps.rounds.findById(id);
  if (!round) throw notFound(`Round ${id}`);
  return round;
}

/** Opens or closes a round, moves its fieldwork dates, names the round it is compared with, or changes its modes and double-entry share. */
export async function updateRound(deps: Pick<RoundDeps, 'rounds'>, id: string, changes: UpdateRoundBody): Promise<RoundRecord> {
  const current = await getRound(deps, id);
  const problems: CataloguedProblem[] = [];
  checkDates(changes.fieldworkStart ?? current.fieldworkStart, changes.fieldworkEnd ?? current.fieldworkEnd, problems);
  await checkPreviousRound(deps, current.year, changes.previousRoundId, problems);
  if (problems.length > 0) throw validationFailed(problems);
  const updated = await deps.rounds.update(id, changes);
  if (!updated) throw new HttpProblem('not_found', `Round ${id} was not found.`);
  return updated;
}

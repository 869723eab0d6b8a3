import type { FormCatalogue } from '../../../survey-forms/catalogue';
import type { Problem } from '../../../survey-forms/ajv';
import { HttpProblem, notFound, validationFailed } from '../../http/problem';
import type { RoundRecord, RoundRepository } from './round.repository';
import type { CreateRoundBody, UpdateRoundBody } from './round.schema';

export interface RoundDeps {
  rounds: RoundRepository;
  forms: FormCatalogue;
}

function checkDates(start: string, end: string, problems: Problem[]): void {
  if (end < start) problems.push({ path: '/body/fieldworkEnd', code: 'too_small', message: `must not be before fieldworkStart (${start})` });
}

/** Opens a survey round on a published questionnaire version. */
export async function createRound(deps: RoundDeps, input: CreateRoundBody, createdBy: string, now = new Date()): Promise<RoundRecord> {
  const problems: Problem[] = [];
  const form = deps.forms.get(input.formId, input.formVersion);
  if (!form) {
    problems.push({ path: '/body/formVersion', code: 'unknown_form', message: `questionnaire ${input.formId} version ${input.formVersion} does not exist` });
  } else if (form.definition.status !== 'published') {
    problems.push({ path: '/body/formVersion', code: 'not_published', message: 'is a draft: a round needs a published questionnaire version' });
  }
  checkDates(input.fieldworkStart, input.fieldworkEnd, problems);
  if (input.boundaryEdition === 34 && input.fieldworkEnd < '2025-07-01') {
    problems.push({ path: '/body/boundaryEdition', code: 'not_allowed', message: 'the 34 units exist from 1 July 2025; fieldwork ends before that' });
  }
  if (problems.length > 0) throw validationFailed(problems);
  const round: RoundRecord = { ...input, createdAt: now, createdBy };
  await deps.rounds.insert(round);
  return round;
}

export async function getRound(deps: Pick<RoundDeps, 'rounds'>, id: string): Promise<RoundRecord> {
  const round = await deps.rounds.findById(id);
  if (!round) throw notFound(`Round ${id}`);
  return round;
}

/** Opens or closes a round, or moves its fieldwork dates. */
export async function updateRound(deps: Pick<RoundDeps, 'rounds'>, id: string, changes: UpdateRoundBody): Promise<RoundRecord> {
  const current = await getRound(deps, id);
  const problems: Problem[] = [];
  checkDates(changes.fieldworkStart ?? current.fieldworkStart, changes.fieldworkEnd ?? current.fieldworkEnd, problems);
  if (problems.length > 0) throw validationFailed(problems);
  const updated = await deps.rounds.update(id, changes);
  if (!updated) throw new HttpProblem('not_found', `Round ${id} was not found.`);
  return updated;
}

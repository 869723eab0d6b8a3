import { randomUUID } from 'node:crypto';

/** The questionnaire the factories fill: the 2017–2021 method, first version. */
export const FORM = { formId: 'sipas-2017', version: '1' } as const;

const CRITERIA_ASKED_OF_ALL = 18; // c01–c18; c19–c22 only for those who gave feedback

/**
 * The other code on the same side of "satisfied" (4 and 5 are satisfied, 1–3 are not): answers that
 * vary from item to item, as real ones do, without changing any satisfaction share.
 */
const PARTNER: Readonly<Record<number, number>> = { 1: 2, 2: 3, 3: 2, 4: 5, 5: 4 };

/**
 * Answers to sipas-2017 v1 that pass every check, the quality checks included: every perception item
 * gets `satisfaction`, satisfaction items alternate between `satisfaction` and its partner on the same
 * side of "satisfied" (so a straight line is never drawn by accident), no feedback was given (so
 * c19–c22 are skipped). Pass `{ straightLine: true }` for the same answer everywhere.
 */
export function makeAnswers(satisfaction: number = 4, overrides: Record<string, unknown> = {}, options: { straightLine?: boolean } = {}): Record<string, unknown> {
  const answers: Record<string, unknown> = {
    respondent_type: 1,
    serving_level: 2,
    service_field: 1,
    procedure_name: 'Cấp giấy chứng nhận quyền sử dụng đất',
    gave_feedback: 2,
    overall_s: satisfaction === 9 ? 3 : satisfaction,
    improve_first: [2],
    sex: 2,
    age_group: 3,
    education: 3,
    occupation: 3,
    ethnicity: 1,
  };
  for (let c = 1; c <= CRITERIA_ASKED_OF_ALL; c += 1) {
    const id = `c${String(c).padStart(2, '0')}`;
    answers[`${id}_p`] = satisfaction;
    answers[`${id}_s`] = options.straightLine || c % 2 === 1 ? satisfaction : (PARTNER[satisfaction] ?? satisfaction);
  }
  return { ...answers, ...overrides };
}

let minute = 0;

/**
 * A response as a device sends it, with a fresh UUID and a plausible 20-minute interview. Interviews
 * follow each other 25 minutes apart, so one enumerator's never overlap.
 */
export function makeResponse(
  roundId: string,
  provinceCode: string,
  answers: Record<string, unknown> = makeAnswers(),
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  minute += 25;
  const start = new Date(Date.UTC(2024, 8, 1, 1, 0) + minute * 60_000);
  return {
    id: randomUUID(),
    roundId,
    formId: FORM.formId,
    formVersion: FORM.version,
    provinceCode,
    answers,
    paradata: { startedAt: start.toISOString(), endedAt: new Date(start.getTime() + 20 * 60_000).toISOString(), appVersion: 'test' },
    ...overrides,
  };
}

let rounds = 0;

/** A round body for POST /api/v1/rounds, with a unique id. */
export function makeRound(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  rounds += 1;
  return {
    id: `test-${rounds}-${randomUUID().slice(0, 8)}`,
    year: 2024,
    formId: FORM.formId,
    formVersion: FORM.version,
    boundaryEdition: 63,
    fieldworkStart: '2024-08-01',
    fieldworkEnd: '2024-12-15',
    status: 'open',
    ...overrides,
  };
}

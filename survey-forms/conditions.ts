import type { AnswerCode, Condition } from './form-definition.schema';

/** Answers of one response, keyed by item id. An absent key is an unanswered item. */
export type Answers = Readonly<Record<string, unknown>>;

function isAnswered(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function matches(value: unknown, code: AnswerCode): boolean {
  return Array.isArray(value) ? value.includes(code) : value === code;
}

/**
 * Whether a skip rule holds for the given answers. A multiple-choice answer
 * "equals" a code when the code is among those selected.
 */
export function isConditionMet(condition: Condition, answers: Answers): boolean {
  if ('all' in condition) return condition.all.every((c) => isConditionMet(c, answers));
  if ('any' in condition) return condition.any.some((c) => isConditionMet(c, answers));
  if ('not' in condition) return !isConditionMet(condition.not, answers);
  const value = answers[condition.item];
  if ('answered' in condition) return isAnswered(value) === condition.answered;
  if ('equals' in condition) return matches(value, condition.equals);
  return condition.in.some((code) => matches(value, code));
}

/** Every item id a condition reads. */
export function itemsReadBy(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(itemsReadBy);
  if ('any' in condition) return condition.any.flatMap(itemsReadBy);
  if ('not' in condition) return itemsReadBy(condition.not);
  return [condition.item];
}

export { isAnswered };

import type { CompiledForm, FormItem } from '../../survey-forms/form';
import { isItemRelevant } from '../../survey-forms/form';
import type { AnswerCode } from '../../survey-forms/form-definition.schema';
import { isSectionAsked, parseIntegerInput, setAnswer, type Answers } from './form-model';

/**
 * Keying a paper form: the items asked, in questionnaire order, each answered by keystrokes. A scale
 * item or a single choice whose codes are single digits takes one key (1–5, 9 for "not applicable")
 * and the cursor moves on; other items are typed and confirmed with Enter. Skip rules are applied
 * after every answer, so the cursor never stops at a question the paper tells the respondent to skip.
 * Pure, so it is tested without a browser.
 */

/** The items to key now, given the answers so far. */
export function keyedItems(form: CompiledForm, answers: Answers): FormItem[] {
  return form.items.filter((fi) => isSectionAsked(fi.section, answers) && isItemRelevant(fi, answers));
}

/** The codes a one-key item takes, or undefined when the item is typed and confirmed with Enter. */
export function oneKeyCodes(fi: FormItem): ReadonlyArray<AnswerCode> | undefined {
  if (fi.item.type !== 'scale' && fi.item.type !== 'single') return undefined;
  return fi.codes.every((c) => /^[0-9]$/.test(String(c))) ? fi.codes : undefined;
}

export interface KeyingStep {
  answers: Answers;
  /** The item the cursor moves to; null past the last one. */
  cursor: string | null;
}

/** The item after `itemId` among those asked now (null: none). */
export function nextItem(form: CompiledForm, answers: Answers, itemId: string): string | null {
  const order = form.items.map((fi) => fi.item.id);
  const after = order.indexOf(itemId);
  return keyedItems(form, answers).find((fi) => order.indexOf(fi.item.id) > after)?.item.id ?? null;
}

/** The item before `itemId` among those asked now (itself when it is the first). */
export function previousItem(form: CompiledForm, answers: Answers, itemId: string): string {
  const order = form.items.map((fi) => fi.item.id);
  const before = order.indexOf(itemId);
  const earlier = keyedItems(form, answers).filter((fi) => order.indexOf(fi.item.id) < before);
  return earlier[earlier.length - 1]?.item.id ?? itemId;
}

/** One key on a one-key item: a code answers and moves on; any other key changes nothing (undefined). */
export function keyOne(form: CompiledForm, answers: Answers, itemId: string, key: string): KeyingStep | undefined {
  const fi = form.itemById.get(itemId);
  const codes = fi ? oneKeyCodes(fi) : undefined;
  const code = codes?.find((c) => String(c) === key);
  if (code === undefined) return undefined;
  const next = setAnswer(form, answers, itemId, code);
  return { answers: next, cursor: nextItem(form, next, itemId) };
}

/**
 * Typed text on an item confirmed with Enter: codes of a single or multiple choice (several codes
 * separated by spaces or commas), a whole number, or free text. Empty clears the answer. What is not
 * one of the item's codes is kept as typed: the questionnaire's check then names the problem.
 */
export function keyTyped(form: CompiledForm, answers: Answers, itemId: string, text: string): KeyingStep {
  const fi = form.itemById.get(itemId);
  let value: unknown = text.trim() === '' ? undefined : text.trim();
  const asCode = (part: string): AnswerCode => fi?.codes.find((c) => String(c) === part) ?? (/^\d+$/.test(part) ? Number(part) : part);
  if (fi && value !== undefined) {
    switch (fi.item.type) {
      case 'single':
      case 'scale':
        value = asCode(text.trim());
        break;
      case 'multiple':
        value = text
          .split(/[\s,;]+/)
          .filter((p) => p !== '')
          .map(asCode);
        break;
      case 'integer':
        value = parseIntegerInput(text);
        break;
      case 'text':
        break;
    }
  }
  const next = setAnswer(form, answers, itemId, value);
  return { answers: next, cursor: nextItem(form, next, itemId) };
}

/** An answer as the keyer typed it, for showing in the grid. */
export function shownAnswer(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(shownAnswer).join(' ');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

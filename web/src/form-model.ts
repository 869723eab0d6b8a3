import type { Problem } from '../../survey-forms/ajv';
import { isConditionMet } from '../../survey-forms/conditions';
import { isItemRelevant, type CompiledForm, type FormItem } from '../../survey-forms/form';
import type { AnswerCode, Dimension, Section } from '../../survey-forms/form-definition.schema';

/**
 * What the app needs to walk a questionnaire version: which sections and items are asked given
 * the answers so far, and which problems belong to which item. Pure, so it is tested without a
 * browser; validation itself is the server's own (`CompiledForm.validateAnswers`).
 */

export type Answers = Record<string, unknown>;

/** Whether a section is asked, given the answers so far. */
export function isSectionAsked(section: Section, answers: Answers): boolean {
  return !section.relevant || isConditionMet(section.relevant, answers);
}

/** The sections asked, in order. */
export function askedSections(form: CompiledForm, answers: Answers): Section[] {
  return form.definition.sections.filter((s) => isSectionAsked(s, answers));
}

/** The items of a section asked, in order. */
export function askedItems(form: CompiledForm, sectionId: string, answers: Answers): FormItem[] {
  return form.items.filter((fi) => fi.section.id === sectionId && isItemRelevant(fi, answers));
}

/**
 * The answers without those to items no longer asked. Skip rules read only earlier items, so one
 * pass in questionnaire order settles every rule.
 */
export function withoutUnasked(form: CompiledForm, answers: Answers): Answers {
  const kept: Answers = {};
  for (const fi of form.items) {
    const value = answers[fi.item.id];
    if (value !== undefined && isItemRelevant(fi, kept)) kept[fi.item.id] = value;
  }
  return kept;
}

/** Sets one answer (undefined clears it) and drops answers its change made unasked. */
export function setAnswer(form: CompiledForm, answers: Answers, itemId: string, value: unknown): Answers {
  const next: Answers = { ...answers };
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete next[itemId];
  else next[itemId] = value;
  return withoutUnasked(form, next);
}

/**
 * What an integer field holds: nothing when empty, a number when it is one, else the text as
 * typed — the validator then says it is no whole number, and the draft keeps what was typed.
 */
export function parseIntegerInput(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d{1,15}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** Toggles a code in a multiple-choice answer, keeping the options' order. */
export function toggleCode(options: ReadonlyArray<AnswerCode>, current: unknown, code: AnswerCode): AnswerCode[] {
  const selected = new Set(Array.isArray(current) ? (current as AnswerCode[]) : []);
  if (selected.has(code)) selected.delete(code);
  else selected.add(code);
  return options.filter((o) => selected.has(o));
}

export interface ProblemMap {
  /** Item id → its problems. */
  byItem: Map<string, Problem[]>;
  /** Problems not about one answer (round closed, wrong province…). */
  general: Problem[];
}

/** Sorts problems (the validator's or the server's) by item. */
export function groupProblems(problems: ReadonlyArray<Problem>): ProblemMap {
  const byItem = new Map<string, Problem[]>();
  const general: Problem[] = [];
  for (const p of problems) {
    const match = /^\/answers\/([^/]+)/.exec(p.path);
    if (match?.[1]) byItem.set(match[1], [...(byItem.get(match[1]) ?? []), p]);
    else general.push(p);
  }
  return { byItem, general };
}

/** The validator's problems of one section's items. */
export function sectionProblems(form: CompiledForm, sectionId: string, answers: Answers): Map<string, Problem[]> {
  const { byItem } = groupProblems(form.validateAnswers(answers));
  const inSection = new Set(form.items.filter((fi) => fi.section.id === sectionId).map((fi) => fi.item.id));
  return new Map([...byItem].filter(([itemId]) => inSection.has(itemId)));
}

/** Index (among the asked sections) of the first section holding a problem, or -1. */
export function firstSectionWithProblem(form: CompiledForm, answers: Answers, byItem: ReadonlyMap<string, unknown>): number {
  const sections = askedSections(form, answers);
  return sections.findIndex((s) => form.items.some((fi) => fi.section.id === s.id && byItem.has(fi.item.id)));
}

/** The dimension answers the sample list already knows, filled in to save typing (the enumerator can change them). */
export function prefillFromSample(form: CompiledForm, unit: Readonly<Record<Dimension, AnswerCode>>): Answers {
  const answers: Answers = {};
  for (const [dimension, itemId] of Object.entries(form.definition.dimensions) as Array<[Dimension, string]>) {
    const code = unit[dimension];
    if (form.itemById.get(itemId)?.codes.includes(code)) answers[itemId] = code;
  }
  return withoutUnasked(form, answers);
}

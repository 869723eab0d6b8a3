/**
 * What a printed questionnaire says beyond its items: each question's number, and the skip rules
 * in words ("Nếu chọn 2, chuyển sang câu 15"), derived from the version's own skip rules so the
 * paper always routes the respondent as the validator will. Pure and browser-safe.
 */
import { isConditionMet, itemsReadBy } from './conditions';
import type { AnswerCode, Condition, Item, Section } from './form-definition.schema';

/** A skip instruction printed under a question. */
export interface SkipInstruction {
  /** The answers that skip ahead. */
  codes: AnswerCode[];
  /** The number of the question to go to; null: to the end of the questionnaire. */
  goTo: number | null;
  vi: string;
  en: string;
}

export interface PrintPlan {
  /** Item id → its question number (1, 2, …) in questionnaire order. */
  numberOf: ReadonlyMap<string, number>;
  /** Item id → the skip instructions under it. */
  skipsOf: ReadonlyMap<string, SkipInstruction[]>;
}

interface Placed {
  item: Item;
  section: Section;
}

/** The rules an item is asked under: its section's and its own. */
function rulesOf({ item, section }: Placed): Condition[] {
  return [section.relevant, item.relevant].filter((c): c is Condition => c !== undefined);
}

/**
 * Whether an item is asked when question `itemId` has answer `code`, judging only the rules that read
 * that question alone; rules that read other answers too are left to the other questions' words.
 */
function askedGiven(placed: Placed, itemId: string, code: AnswerCode): boolean {
  return rulesOf(placed).every((rule) => {
    const read = new Set(itemsReadBy(rule));
    return read.size !== 1 || !read.has(itemId) || isConditionMet(rule, { [itemId]: code });
  });
}

export function printPlan(sections: ReadonlyArray<Section>, optionsOf: (item: Item) => ReadonlyArray<{ code: AnswerCode }>): PrintPlan {
  const placed: Placed[] = sections.flatMap((section) => section.items.map((item) => ({ item, section })));
  const numberOf = new Map(placed.map((p, i) => [p.item.id, i + 1]));
  const skipsOf = new Map<string, SkipInstruction[]>();
  placed.forEach((question, index) => {
    if (question.item.type !== 'single' && question.item.type !== 'scale') return;
    const later = placed.slice(index + 1);
    if (!later.some((p) => rulesOf(p).some((rule) => itemsReadBy(rule).includes(question.item.id)))) return;
    const byTarget = new Map<number | null, AnswerCode[]>();
    for (const { code } of optionsOf(question.item)) {
      const next = later.find((p) => askedGiven(p, question.item.id, code));
      if (next === later[0]) continue;
      const goTo = next ? (numberOf.get(next.item.id) ?? null) : null;
      byTarget.set(goTo, [...(byTarget.get(goTo) ?? []), code]);
    }
    const instructions = [...byTarget].map(([goTo, codes]): SkipInstruction => {
      const list = codes.join(', ');
      return goTo === null
        ? { codes, goTo, vi: `Nếu chọn ${list}, chuyển sang cuối phiếu.`, en: `If ${list}, go to the end of the questionnaire.` }
        : { codes, goTo, vi: `Nếu chọn ${list}, chuyển sang câu ${goTo}.`, en: `If ${list}, go to question ${goTo}.` };
    });
    if (instructions.length > 0) skipsOf.set(question.item.id, instructions);
  });
  return { numberOf, skipsOf };
}

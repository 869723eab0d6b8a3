import type { CompiledForm } from './form';
import { DIMENSIONS } from './form-definition.schema';
import type { CompiledIndexDefinition } from './index-definition';

/**
 * What a cell is split by: the questionnaire's dimension items (DIMENSIONS), then how the response
 * was collected (modes.ts). Stored cells list their codes in this order.
 */
export const CELL_DIMENSIONS = [...DIMENSIONS, 'mode'] as const;
export type CellDimension = (typeof CELL_DIMENSIONS)[number];

/** Answer codes that are integers in [0, SMALL_CODES) are found by array index; any other by map. */
export const SMALL_CODES = 128;

/**
 * A questionnaire version and an index definition compiled once into flat lookup tables, so tallying
 * a response reads arrays and allocates nothing. Scale items are numbered in questionnaire order,
 * each code of an item has a slot, and indicators keep the definition's bottom-up order (criteria first).
 */
export interface TallyPlan {
  /** Scale items, in questionnaire order. */
  itemIds: string[];
  /** Code slots per item: the most codes any scale item has. */
  slots: number;
  /** [i * SMALL_CODES + code]: the slot of a small integer code of item i, -1 for none. */
  slotOfSmall: Int16Array;
  /** Per item, the slot of every code (string codes, or integers out of range). */
  slotOfOther: Array<Map<unknown, number>>;
  /** Per item, as tally keys: integer-like codes as numbers (V8 stores them as array elements). */
  codeKeys: Array<Array<string | number>>;
  /** Per item, the criterion it scores; -1 for an item no criterion scores. */
  criterionOfItem: Int32Array;
  /** [i * slots + slot]: the answer is satisfied (1), valid but not satisfied (0) or not valid (-1). */
  outcome: Int8Array;
  indicatorIds: string[];
  criterionCount: number;
  /** Per indicator, its children and their weights (empty for criteria). */
  children: Int32Array[];
  weights: Float64Array[];
  /** The items holding the cell dimensions (respondent type, serving level, service field, …), in DIMENSIONS order. */
  dimensionItems: string[];
}

export function compileTallyPlan(form: CompiledForm, definition: CompiledIndexDefinition): TallyPlan {
  const scaleItems = form.items.filter((fi) => fi.item.type === 'scale');
  const itemIds = scaleItems.map((fi) => fi.item.id);
  const codes = scaleItems.map((fi) => fi.codes);
  const slots = Math.max(1, ...codes.map((c) => c.length));

  const slotOfSmall = new Int16Array(itemIds.length * SMALL_CODES).fill(-1);
  const slotOfOther = codes.map((list) => new Map<unknown, number>(list.map((code, slot) => [code, slot])));
  codes.forEach((list, i) =>
    list.forEach((code, slot) => {
      if (typeof code === 'number' && Number.isInteger(code) && code >= 0 && code < SMALL_CODES) slotOfSmall[i * SMALL_CODES + code] = slot;
    }),
  );

  const criterionOfItem = new Int32Array(itemIds.length).fill(-1);
  const outcome = new Int8Array(itemIds.length * slots).fill(-1);
  for (const scored of definition.items) {
    const at = itemIds.indexOf(scored.id);
    if (at < 0) throw new Error(`index definition item ${scored.id} is not a scale item of ${form.definition.formId}@${form.definition.version}`);
    criterionOfItem[at] = scored.criterion;
    (codes[at] ?? []).forEach((code, slot) => {
      outcome[at * slots + slot] = scored.satisfiedCodes.includes(code) ? 1 : scored.validCodes.includes(code) ? 0 : -1;
    });
  }

  const indicators = definition.indicators;
  return {
    itemIds,
    slots,
    slotOfSmall,
    slotOfOther,
    codeKeys: codes.map((list) => list.map((code) => (/^(0|[1-9][0-9]{0,8})$/.test(String(code)) ? Number(code) : String(code)))),
    criterionOfItem,
    outcome,
    indicatorIds: indicators.map((ind) => ind.id),
    criterionCount: indicators.filter((ind) => ind.level === 'criterion').length,
    children: indicators.map((ind) => Int32Array.from(ind.children)),
    weights: indicators.map((ind) => Float64Array.from(ind.weights)),
    dimensionItems: DIMENSIONS.map((d) => form.definition.dimensions[d]),
  };
}

const plans = new WeakMap<CompiledIndexDefinition, WeakMap<CompiledForm, TallyPlan>>();

/** The plan of a questionnaire version and index definition, compiled once and kept while both live. */
export function tallyPlanOf(form: CompiledForm, definition: CompiledIndexDefinition): TallyPlan {
  let byForm = plans.get(definition);
  if (!byForm) plans.set(definition, (byForm = new WeakMap()));
  let plan = byForm.get(form);
  if (!plan) byForm.set(form, (plan = compileTallyPlan(form, definition)));
  return plan;
}

/**
 * A fingerprint of the plan's layout (items, codes, indicators, dimensions, the cell dimensions): stored tallies are arrays
 * in this layout, so tallies stored under another are never added to, only re-tallied.
 */
export function tallyLayoutOf(plan: TallyPlan): string {
  const text = JSON.stringify([plan.itemIds, plan.codeKeys, plan.indicatorIds, plan.dimensionItems, plan.slots, CELL_DIMENSIONS]);
  // FNV-1a, 32 bits, twice with different seeds: a fingerprint, not a security measure.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

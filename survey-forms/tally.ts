import type { CompiledForm } from './form';
import { DIMENSIONS, type AnswerCode, type Dimension } from './form-definition.schema';
import type { CompiledIndexDefinition } from './index-definition';

/**
 * Sums over respondents of their score on one indicator of an index definition. A respondent's score
 * is in [0, 1]: for a criterion the share of their valid answers that are satisfied, for a composite
 * the mean (or weighted mean) of their scores on its children that have one. Respondents without a
 * score (every answer "not applicable" or skipped) are not counted.
 */
export interface ScoreSums {
  /** Respondents with a score. */
  n: number;
  /** Σ score. Each score is rounded to a multiple of 2⁻²⁰ first, so sums are exact and order-free. */
  sum: number;
  /** Σ weight (equals n when responses carry no weights). */
  w: number;
  /** Σ weight × score. */
  ws: number;
  /** Σ weight², for Kish's effective sample size. */
  w2: number;
}

/**
 * Counts of answers and sums of scores, the unit every index figure is computed from. Tallies add
 * up: the tally of a province is the sum of its cells' tallies, and a merged province's the sum of
 * its old units'.
 */
export interface Tally {
  /** Responses counted. */
  n: number;
  /** Of those, responses that carried a weight. */
  weighted: number;
  /** For each scale item, how many responses gave each code ("not applicable" included). */
  answers: Record<string, Record<string, number>>;
  /** For each indicator of the index definition with at least one scored respondent, its score sums. */
  scores: Record<string, ScoreSums>;
}

/** A cell: responses of one province with one respondent type, serving level and service field. */
export interface TallyCell {
  provinceCode: string;
  /** The dimension answers as strings; '' where the questionnaire did not ask the item. */
  dimensions: Record<Dimension, string>;
  tally: Tally;
}

/** What a tally needs from a stored response. */
export interface TalliedResponse {
  provinceCode: string;
  answers: Readonly<Record<string, unknown>>;
  /** Design weight carried by the response; absent means 1 (and the response is unweighted). */
  weight?: number | null;
}

export function emptyTally(): Tally {
  return { n: 0, weighted: 0, answers: {}, scores: {} };
}

/** Adds `from` into `into` (mutates `into`). */
export function addTally(into: Tally, from: Tally): Tally {
  into.n += from.n;
  into.weighted += from.weighted;
  for (const [itemId, codes] of Object.entries(from.answers)) {
    const target = (into.answers[itemId] ??= {});
    for (const [code, count] of Object.entries(codes)) target[code] = (target[code] ?? 0) + count;
  }
  for (const [indicatorId, sums] of Object.entries(from.scores)) {
    const target = (into.scores[indicatorId] ??= { n: 0, sum: 0, w: 0, ws: 0, w2: 0 });
    target.n += sums.n;
    target.sum += sums.sum;
    target.w += sums.w;
    target.ws += sums.ws;
    target.w2 += sums.w2;
  }
  return into;
}

/** The sum of many tallies. */
export function sumTallies(tallies: Iterable<Tally>): Tally {
  const total = emptyTally();
  for (const t of tallies) addTally(total, t);
  return total;
}

/** Answers to choice and scale items are numbers or strings; anything else was refused on entry. */
function codeOf(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
}

/** Scores are kept on a grid of 2⁻²⁰: sums of up to 2³³ of them are exact in a double, in any order. */
const SCORE_GRID = 1_048_576;

/** Adds responses one at a time, so a cursor of any length can be tallied in flat memory. */
export interface Tallier {
  add(response: TalliedResponse): void;
  /** The cells so far, sorted by key: the same responses in any order give the same cells. */
  cells(): TallyCell[];
}

interface CellAccumulator {
  provinceCode: string;
  dimensions: Record<Dimension, string>;
  n: number;
  weighted: number;
  /** Per scale item, per code slot: count. */
  counts: Float64Array;
  /** Per indicator: n, sum, w, ws, w2. */
  scores: Float64Array;
}

/** How a scale item's answer maps to a slot: small integer codes by array, anything else by map. */
interface SlotLookup {
  byInt: Int16Array | null;
  byCode: Map<unknown, number>;
}

const SMALL_CODES = 128;

function slotLookup(codes: ReadonlyArray<AnswerCode>): SlotLookup {
  const small = codes.every((c) => typeof c === 'number' && Number.isInteger(c) && c >= 0 && c < SMALL_CODES);
  const byInt = small ? new Int16Array(SMALL_CODES).fill(-1) : null;
  const byCode = new Map<unknown, number>();
  codes.forEach((code, slot) => {
    if (byInt) byInt[code as number] = slot;
    byCode.set(code, slot);
  });
  return { byInt, byCode };
}

/**
 * Tallies responses into cells (province × respondent type × serving level × service field). Counts
 * every scale item's answers, and scores each respondent on every indicator of the definition.
 * Written for speed: one pass, typed arrays, no allocation per answer.
 */
export function createTallier(form: CompiledForm, definition: CompiledIndexDefinition): Tallier {
  const scaleItems = form.items.filter((fi) => fi.item.type === 'scale');
  const itemIds = scaleItems.map((fi) => fi.item.id);
  const codes = scaleItems.map((fi) => fi.codes);
  const lookups = codes.map(slotLookup);
  const slots = Math.max(1, ...codes.map((c) => c.length));
  const itemCount = scaleItems.length;

  // For each scale item that a criterion scores: its position among scored items, and per slot whether
  // the answer is satisfied (1), valid but not satisfied (0) or not valid (-1).
  const scoredAt = new Int32Array(itemCount).fill(-1);
  const outcomeBySlot: Int8Array[] = [];
  definition.items.forEach((scored, s) => {
    const at = itemIds.indexOf(scored.id);
    if (at < 0) throw new Error(`index definition item ${scored.id} is not a scale item of ${form.definition.formId}@${form.definition.version}`);
    scoredAt[at] = s;
    outcomeBySlot[s] = Int8Array.from(codes[at] ?? [], (code) =>
      scored.satisfiedCodes.includes(code) ? 1 : scored.validCodes.includes(code) ? 0 : -1,
    );
  });
  const indicators = definition.indicators;
  const indicatorCount = indicators.length;
  const criterionItems = indicators.map((ind) => Int32Array.from(ind.items));
  const children = indicators.map((ind) => Int32Array.from(ind.children));
  const weights = indicators.map((ind) => Float64Array.from(ind.weights));
  const isCriterion = indicators.map((ind) => ind.level === 'criterion');
  const outcome = new Int8Array(definition.items.length);
  const score = new Float64Array(indicatorCount);
  const dimensionItems = DIMENSIONS.map((d) => form.definition.dimensions[d]);
  const [typeItem, levelItem, fieldItem] = dimensionItems as [string, string, string];

  // province → type → level → field → cell, keyed by the raw answers: no string is built per response.
  const tree = new Map<string, Map<unknown, Map<unknown, Map<unknown, CellAccumulator>>>>();
  const all: CellAccumulator[] = [];

  const cellFor = (provinceCode: string, answers: Readonly<Record<string, unknown>>): CellAccumulator => {
    const type = answers[typeItem] ?? '';
    const level = answers[levelItem] ?? '';
    const field = answers[fieldItem] ?? '';
    let byType = tree.get(provinceCode);
    if (!byType) tree.set(provinceCode, (byType = new Map<unknown, Map<unknown, Map<unknown, CellAccumulator>>>()));
    let byLevel = byType.get(type);
    if (!byLevel) byType.set(type, (byLevel = new Map<unknown, Map<unknown, CellAccumulator>>()));
    let byField = byLevel.get(level);
    if (!byField) byLevel.set(level, (byField = new Map<unknown, CellAccumulator>()));
    let cell = byField.get(field);
    if (!cell) {
      cell = {
        provinceCode,
        dimensions: { respondentType: codeOf(type), servingLevel: codeOf(level), serviceField: codeOf(field) },
        n: 0,
        weighted: 0,
        counts: new Float64Array(itemCount * slots),
        scores: new Float64Array(indicatorCount * 5),
      };
      byField.set(field, cell);
      all.push(cell);
    }
    return cell;
  };

  return {
    add(response) {
      const answers = response.answers;
      const cell = cellFor(response.provinceCode, answers);
      const hasWeight = typeof response.weight === 'number';
      const w = hasWeight ? (response.weight as number) : 1;
      cell.n += 1;
      if (hasWeight) cell.weighted += 1;
      outcome.fill(-1);
      const counts = cell.counts;
      for (let i = 0; i < itemCount; i += 1) {
        const value = answers[itemIds[i] as string];
        if (value === undefined || value === null) continue;
        const lookup = lookups[i] as SlotLookup;
        const slot =
          lookup.byInt !== null && typeof value === 'number' && value >= 0 && value < SMALL_CODES
            ? (lookup.byInt[value] ?? -1)
            : (lookup.byCode.get(value) ?? -1);
        if (slot < 0) continue;
        counts[i * slots + slot] = (counts[i * slots + slot] ?? 0) + 1;
        const s = scoredAt[i] as number;
        if (s >= 0) outcome[s] = (outcomeBySlot[s] as Int8Array)[slot] as number;
      }
      const sums = cell.scores;
      for (let k = 0; k < indicatorCount; k += 1) {
        let value = NaN;
        if (isCriterion[k]) {
          const items = criterionItems[k] as Int32Array;
          let valid = 0;
          let satisfied = 0;
          for (let j = 0; j < items.length; j += 1) {
            const o = outcome[items[j] as number] as number;
            if (o >= 0) {
              valid += 1;
              satisfied += o;
            }
          }
          if (valid > 0) value = satisfied / valid;
        } else {
          const kids = children[k] as Int32Array;
          const kidWeights = weights[k] as Float64Array;
          let total = 0;
          let weightSum = 0;
          for (let j = 0; j < kids.length; j += 1) {
            const v = score[kids[j] as number] as number;
            if (v === v) {
              const kw = kidWeights[j] as number;
              total += kw * v;
              weightSum += kw;
            }
          }
          if (weightSum > 0) value = total / weightSum;
        }
        score[k] = value;
        if (value === value) {
          const q = Math.round(value * SCORE_GRID) / SCORE_GRID;
          const base = k * 5;
          sums[base] = (sums[base] ?? 0) + 1;
          sums[base + 1] = (sums[base + 1] ?? 0) + q;
          sums[base + 2] = (sums[base + 2] ?? 0) + w;
          sums[base + 3] = (sums[base + 3] ?? 0) + w * q;
          sums[base + 4] = (sums[base + 4] ?? 0) + w * w;
        }
      }
    },
    cells() {
      const key = (c: CellAccumulator): string => [c.provinceCode, ...DIMENSIONS.map((d) => c.dimensions[d])].join('|');
      return all
        .map((cell) => [key(cell), cell] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, cell]) => ({ provinceCode: cell.provinceCode, dimensions: cell.dimensions, tally: toTally(cell) }));
    },
  };

  function toTally(cell: CellAccumulator): Tally {
    const answers: Tally['answers'] = {};
    for (let i = 0; i < itemCount; i += 1) {
      let counted: Record<string, number> | undefined;
      (codes[i] ?? []).forEach((code, slot) => {
        const count = cell.counts[i * slots + slot] ?? 0;
        if (count > 0) (counted ??= {})[String(code)] = count;
      });
      if (counted) answers[itemIds[i] as string] = counted;
    }
    const scores: Tally['scores'] = {};
    indicators.forEach((indicator, k) => {
      const s = cell.scores;
      const n = s[k * 5] ?? 0;
      if (n > 0) {
        scores[indicator.id] = { n, sum: s[k * 5 + 1] ?? 0, w: s[k * 5 + 2] ?? 0, ws: s[k * 5 + 3] ?? 0, w2: s[k * 5 + 4] ?? 0 };
      }
    });
    return { n: cell.n, weighted: cell.weighted, answers, scores };
  }
}

/** Tallies a whole collection of responses at once. */
export function tallyResponses(form: CompiledForm, definition: CompiledIndexDefinition, responses: Iterable<TalliedResponse>): TallyCell[] {
  const tallier = createTallier(form, definition);
  for (const response of responses) tallier.add(response);
  return tallier.cells();
}

/** Adds cells with the same province and dimensions together; the result is sorted like a tallier's. */
export function mergeCells(cells: Iterable<TallyCell>): TallyCell[] {
  const byKey = new Map<string, TallyCell>();
  for (const cell of cells) {
    const key = [cell.provinceCode, ...DIMENSIONS.map((d) => cell.dimensions[d])].join('|');
    const found = byKey.get(key);
    if (found) addTally(found.tally, cell.tally);
    else byKey.set(key, { provinceCode: cell.provinceCode, dimensions: { ...cell.dimensions }, tally: addTally(emptyTally(), cell.tally) });
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, cell]) => cell);
}

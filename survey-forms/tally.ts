import type { CompiledForm } from './form';
import { DIMENSIONS, type Dimension } from './form-definition.schema';
import type { CompiledIndexDefinition, CompiledIndicator } from './index-definition';

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
  /** Province and dimensions joined: what cells are sorted by. */
  key: string;
  provinceCode: string;
  dimensions: Record<Dimension, string>;
  n: number;
  weighted: number;
  /** Per scale item, per code slot: count. */
  counts: Int32Array;
  /** Per indicator, over unweighted responses: n, Σs. */
  plain: Float64Array;
  /** Per indicator, over responses with a weight: n, Σs, Σw, Σws, Σw². Kept apart so the common unweighted case adds two numbers, not five. */
  weightedSums: Float64Array | null;
}

/** Answer codes that are integers in [0, SMALL_CODES) are found by array index; any other by map. */
const SMALL_CODES = 128;

/**
 * Tallies responses into cells (province × respondent type × serving level × service field). Counts
 * every scale item's answers, and scores each respondent on every indicator of the definition.
 * Written for speed: one pass, flat typed arrays, no allocation per answer.
 */
export function createTallier(form: CompiledForm, definition: CompiledIndexDefinition): Tallier {
  const scaleItems = form.items.filter((fi) => fi.item.type === 'scale');
  const itemIds = scaleItems.map((fi) => fi.item.id);
  const codes = scaleItems.map((fi) => fi.codes);
  const slots = Math.max(1, ...codes.map((c) => c.length));
  const itemCount = scaleItems.length;

  // slotOfSmall[i * SMALL_CODES + code]: the slot of a small integer code of item i, -1 for none;
  // slotOfOther[i]: the same for every code, as a map (string codes, or integers out of range).
  const slotOfSmall = new Int16Array(itemCount * SMALL_CODES).fill(-1);
  const slotOfOther = codes.map((list) => new Map<unknown, number>(list.map((code, slot) => [code, slot])));
  codes.forEach((list, i) =>
    list.forEach((code, slot) => {
      if (typeof code === 'number' && Number.isInteger(code) && code >= 0 && code < SMALL_CODES) slotOfSmall[i * SMALL_CODES + code] = slot;
    }),
  );

  // For each scale item a criterion scores: the criterion (criteria come first in the compiled order),
  // and per slot whether the answer is satisfied (1), valid but not satisfied (0) or not valid (-1).
  const criterionOfItem = new Int32Array(itemCount).fill(-1);
  const outcome = new Int8Array(itemCount * slots).fill(-1);
  for (const scored of definition.items) {
    const at = itemIds.indexOf(scored.id);
    if (at < 0) throw new Error(`index definition item ${scored.id} is not a scale item of ${form.definition.formId}@${form.definition.version}`);
    criterionOfItem[at] = scored.criterion;
    (codes[at] ?? []).forEach((code, slot) => {
      outcome[at * slots + slot] = scored.satisfiedCodes.includes(code) ? 1 : scored.validCodes.includes(code) ? 0 : -1;
    });
  }
  const indicators = definition.indicators;
  const indicatorCount = indicators.length;
  const criterionCount = indicators.filter((ind) => ind.level === 'criterion').length;
  const children = indicators.map((ind) => Int32Array.from(ind.children));
  const weights = indicators.map((ind) => Float64Array.from(ind.weights));
  const valid = new Float64Array(criterionCount);
  const satisfied = new Float64Array(criterionCount);
  const score = new Float64Array(indicatorCount);
  const dimensionItems = DIMENSIONS.map((d) => form.definition.dimensions[d]);
  const [typeItem, levelItem, fieldItem] = dimensionItems as [string, string, string];
  // Tally keys of each code. Integer-like ones are set by number: V8 stores them as array elements.
  const codeKeys = codes.map((list) => list.map((code) => (/^(0|[1-9][0-9]{0,8})$/.test(String(code)) ? Number(code) : String(code))));

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
      const dimensions = { respondentType: codeOf(type), servingLevel: codeOf(level), serviceField: codeOf(field) };
      cell = {
        key: cellKey(provinceCode, dimensions),
        provinceCode,
        dimensions,
        n: 0,
        weighted: 0,
        counts: new Int32Array(itemCount * slots),
        plain: new Float64Array(indicatorCount * 2),
        weightedSums: null,
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
      valid.fill(0);
      satisfied.fill(0);
      const counts = cell.counts;
      for (let i = 0; i < itemCount; i += 1) {
        const value = answers[itemIds[i] as string];
        if (value === undefined || value === null) continue;
        const slot =
          typeof value === 'number' && (value | 0) === value && value >= 0 && value < SMALL_CODES
            ? (slotOfSmall[i * SMALL_CODES + value] as number)
            : ((slotOfOther[i] as Map<unknown, number>).get(value) ?? -1);
        if (slot < 0) continue;
        const at = i * slots + slot;
        counts[at] = (counts[at] as number) + 1;
        const c = criterionOfItem[i] as number;
        if (c < 0) continue;
        const o = outcome[at] as number;
        if (o >= 0) {
          valid[c] = (valid[c] as number) + 1;
          satisfied[c] = (satisfied[c] as number) + o;
        }
      }
      // Criteria: share of satisfied among valid answers to their items; then composites, the
      // (weighted) mean of their children that have a score. Each score is added to the cell's sums
      // as soon as it is known.
      const plain = hasWeight ? null : cell.plain;
      const sums = hasWeight ? (cell.weightedSums ??= new Float64Array(indicatorCount * 5)) : null;
      for (let k = 0; k < indicatorCount; k += 1) {
        let value: number;
        if (k < criterionCount) {
          const v = valid[k] as number;
          if (v === 0) {
            score[k] = NaN;
            continue;
          }
          // One valid answer scores 0 or 1, already on the grid.
          value = v === 1 ? (satisfied[k] as number) : Math.round(((satisfied[k] as number) / v) * SCORE_GRID) / SCORE_GRID;
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
          if (weightSum === 0) {
            score[k] = NaN;
            continue;
          }
          value = Math.round((total / weightSum) * SCORE_GRID) / SCORE_GRID;
        }
        score[k] = value;
        if (plain !== null) {
          plain[2 * k] = (plain[2 * k] as number) + 1;
          plain[2 * k + 1] = (plain[2 * k + 1] as number) + value;
        } else if (sums !== null) {
          const base = k * 5;
          sums[base] = (sums[base] as number) + 1;
          sums[base + 1] = (sums[base + 1] as number) + value;
          sums[base + 2] = (sums[base + 2] as number) + w;
          sums[base + 3] = (sums[base + 3] as number) + w * value;
          sums[base + 4] = (sums[base + 4] as number) + w * w;
        }
      }
    },
    cells() {
      return [...all]
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((cell) => ({ provinceCode: cell.provinceCode, dimensions: cell.dimensions, tally: toTally(cell) }));
    },
  };

  function toTally(cell: CellAccumulator): Tally {
    const answers: Tally['answers'] = {};
    for (let i = 0; i < itemCount; i += 1) {
      let counted: Record<string | number, number> | undefined;
      const keys = codeKeys[i] as Array<string | number>;
      for (let slot = 0; slot < keys.length; slot += 1) {
        const count = cell.counts[i * slots + slot] as number;
        if (count > 0) (counted ??= {})[keys[slot] as string | number] = count;
      }
      if (counted) answers[itemIds[i] as string] = counted;
    }
    const scores: Tally['scores'] = {};
    const plain = cell.plain;
    const weighted = cell.weightedSums;
    for (let k = 0; k < indicatorCount; k += 1) {
      // An unweighted response has weight 1: it adds 1 to Σw and Σw², and its score to Σws.
      const plainN = plain[2 * k] as number;
      const plainSum = plain[2 * k + 1] as number;
      const n = plainN + (weighted ? (weighted[5 * k] as number) : 0);
      if (n === 0) continue;
      scores[(indicators[k] as CompiledIndicator).id] = {
        n,
        sum: plainSum + (weighted ? (weighted[5 * k + 1] as number) : 0),
        w: plainN + (weighted ? (weighted[5 * k + 2] as number) : 0),
        ws: plainSum + (weighted ? (weighted[5 * k + 3] as number) : 0),
        w2: plainN + (weighted ? (weighted[5 * k + 4] as number) : 0),
      };
    }
    return { n: cell.n, weighted: cell.weighted, answers, scores };
  }
}

/** Tallies a whole collection of responses at once. */
export function tallyResponses(form: CompiledForm, definition: CompiledIndexDefinition, responses: Iterable<TalliedResponse>): TallyCell[] {
  const tallier = createTallier(form, definition);
  for (const response of responses) tallier.add(response);
  return tallier.cells();
}

function cellKey(provinceCode: string, dimensions: Record<Dimension, string>): string {
  return [provinceCode, ...DIMENSIONS.map((d) => dimensions[d])].join('|');
}

/** Adds cells with the same province and dimensions together; the result is sorted like a tallier's. */
export function mergeCells(cells: Iterable<TallyCell>): TallyCell[] {
  const byKey = new Map<string, TallyCell>();
  for (const cell of cells) {
    const key = cellKey(cell.provinceCode, cell.dimensions);
    const found = byKey.get(key);
    if (found) addTally(found.tally, cell.tally);
    else byKey.set(key, { provinceCode: cell.provinceCode, dimensions: { ...cell.dimensions }, tally: addTally(emptyTally(), cell.tally) });
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, cell]) => cell);
}

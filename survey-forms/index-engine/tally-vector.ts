import type { CompiledIndexDefinition } from '../index-definition';
import type { TallyCell } from '../tally';

// A tally flattened for arithmetic: [responses, weighted, then per indicator: valid answers,
// satisfied answers, n, Σs, Σw, Σws, Σw²]. Valid and satisfied answers are used for criteria only.
// Flat arrays let the engine add thousands of cells into provinces and groups without allocating.
export const HEAD = 2;
export const PER = 7;
export const VALID = 0;
export const SATISFIED = 1;
export const N = 2;
export const SUM = 3;
export const W = 4;
export const WS = 5;
export const W2 = 6;

/** A tally as one flat array, laid out as above. */
export type Vector = Float64Array;

/** Where indicator `k`'s slots start in a vector. */
export const baseOf = (k: number): number => HEAD + PER * k;

/** A vector with its index values, computed once. */
export interface Scored {
  v: Vector;
  index: Float64Array;
}

/** The vector size of a definition, and how a cell's tally becomes a vector. */
export interface VectorLayout {
  size: number;
  toVector(cell: TallyCell): Vector;
}

export function vectorLayout(definition: CompiledIndexDefinition): VectorLayout {
  const size = HEAD + PER * definition.indicators.length;
  // For each scored item: where its criterion sits in the vector, and which codes (as tally keys) count.
  // Integer-like codes are read by number: V8 keeps such keys as array elements, and a number finds them without parsing.
  const keyOf = (code: string | number): string | number => (/^(0|[1-9][0-9]{0,8})$/.test(String(code)) ? Number(code) : String(code));
  const items = definition.items.map((item) => ({
    id: item.id,
    base: baseOf(item.criterion),
    valid: item.validCodes.map(keyOf),
    satisfied: item.validCodes.map((code) => item.satisfiedCodes.includes(code)),
  }));
  const indicators = definition.indicators.map((ind) => ({ id: ind.id, base: baseOf(ind.index) }));
  const toVector = (cell: TallyCell): Vector => {
    const v = new Float64Array(size);
    const { answers, scores } = cell.tally;
    v[0] = cell.tally.n;
    v[1] = cell.tally.weighted;
    for (const item of items) {
      const counts = answers[item.id];
      if (!counts) continue;
      // Read the codes that count, by key: no allocation per cell.
      for (let c = 0; c < item.valid.length; c += 1) {
        const count = (counts as Record<string | number, number | undefined>)[item.valid[c] as string | number];
        if (count === undefined) continue;
        v[item.base + VALID] = (v[item.base + VALID] as number) + count;
        if (item.satisfied[c]) v[item.base + SATISFIED] = (v[item.base + SATISFIED] as number) + count;
      }
    }
    for (const indicator of indicators) {
      const sums = scores[indicator.id];
      if (!sums) continue;
      v[indicator.base + N] = sums.n;
      v[indicator.base + SUM] = sums.sum;
      v[indicator.base + W] = sums.w;
      v[indicator.base + WS] = sums.ws;
      v[indicator.base + W2] = sums.w2;
    }
    return v;
  };
  return { size, toVector };
}

/** Adds `from` into `into` (mutates `into`). */
export function addInto(into: Vector, from: Vector): void {
  for (let i = 0; i < into.length; i += 1) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

export function sumVectors(vectors: ReadonlyArray<Vector>, size: number): Vector {
  const total = new Float64Array(size);
  for (const v of vectors) addInto(total, v);
  return total;
}

/** The method's index value of every indicator from one vector: shares of answers, combined upward. NaN: no value. */
export function indexValuesOf(definition: CompiledIndexDefinition, v: Vector): Float64Array {
  const values = new Float64Array(definition.indicators.length).fill(NaN);
  for (const indicator of definition.indicators) {
    const base = baseOf(indicator.index);
    if (indicator.level === 'criterion') {
      const valid = v[base + VALID] ?? 0;
      if (valid > 0) values[indicator.index] = (v[base + SATISFIED] ?? 0) / valid;
      continue;
    }
    let total = 0;
    let weightSum = 0;
    indicator.children.forEach((child, j) => {
      const value = values[child] ?? NaN;
      if (Number.isNaN(value)) return;
      const weight = indicator.weights[j] ?? 0;
      total += weight * value;
      weightSum += weight;
    });
    if (weightSum > 0) values[indicator.index] = total / weightSum;
  }
  return values;
}

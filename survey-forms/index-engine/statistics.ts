import { quantileSorted } from 'simple-statistics';

/** Rounds half away from zero to two decimals, without binary drift (1.005 → 1.01). */
export function roundTo2(value: number): number {
  const sign = value < 0 ? -1 : 1;
  // 1.005 * 100 is 100.49999999999999 in binary; nudging by a relative epsilon restores 100.5.
  const rounded = (sign * Math.round(Math.abs(value) * 100 * (1 + Number.EPSILON))) / 100;
  // -0 would print as 0 but compare differently in byte-level checks.
  return rounded === 0 ? 0 : rounded;
}

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/** A confidence interval of a share, both ends in [0, 1]. */
export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval of a share `p` observed on `n` respondents (n may be a Kish effective n,
 * so need not be whole). Unlike the textbook p ± z·se it stays inside [0, 1] and behaves near 0% and
 * 100%, where provincial satisfaction often sits. Null without respondents.
 */
export function wilsonInterval(p: number, n: number, z = Z_95): Interval | null {
  if (!(n > 0)) return null;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt(Math.max(0, (p * (1 - p)) / n + z2 / (4 * n * n)));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The interval of a simple mean of independent provincial shares, each observed on its nᵢ
 * respondents. If the provinces shared one p, the mean's variance would be p(1 − p)·Σ(1/nᵢ)/m²: that of
 * a single share on m²/Σ(1/nᵢ) respondents. The Wilson interval on that many respondents follows, so
 * it stays inside [0, 1] like the provincial ones (for one province it is that province's interval).
 */
export function meanOfSharesInterval(shares: ReadonlyArray<{ p: number; n: number }>, z = Z_95): Interval | null {
  const usable = shares.filter((s) => s.n > 0);
  if (usable.length === 0) return null;
  const m = usable.length;
  const mean = usable.reduce((sum, s) => sum + s.p, 0) / m;
  const inverseSum = usable.reduce((sum, s) => sum + 1 / s.n, 0);
  return wilsonInterval(mean, (m * m) / inverseSum, z);
}

/** Kish's effective sample size (Σw)² / Σw²: what weighted respondents are worth as simple random ones. */
export function kishEffectiveN(sumOfWeights: number, sumOfSquaredWeights: number): number {
  return sumOfSquaredWeights > 0 ? (sumOfWeights * sumOfWeights) / sumOfSquaredWeights : 0;
}

/**
 * Competition ranks, highest value first: ties share the better rank and the next rank skips
 * ([90, 85, 85, 80] → [1, 2, 2, 4]), as rankings of provinces are published. Null values get no rank.
 */
export function competitionRanks(values: ReadonlyArray<number | null>): Array<number | null> {
  const present = values.filter((v): v is number => v !== null);
  return values.map((v) => (v === null ? null : 1 + present.filter((other) => other > v).length));
}

/** Median, quartiles and range of a set of values; null when there is none. */
export interface OrderStatistics {
  count: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

/**
 * Order statistics, with quartiles by linear interpolation between order statistics (R's and
 * numpy's default, "type 7"). Results are rounded to two decimals.
 */
export function orderStatistics(values: ReadonlyArray<number>): OrderStatistics | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    median: roundTo2(quantileSorted(sorted, 0.5)),
    q1: roundTo2(quantileSorted(sorted, 0.25)),
    q3: roundTo2(quantileSorted(sorted, 0.75)),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

import type { Estimate, FigureRow, ProvinceSummary } from './figures';
import { competitionRanks, kishEffectiveN, meanOfSharesInterval, orderStatistics, roundTo2, wilsonInterval, type Interval } from './statistics';
import { N, SUM, W, W2, WS, baseOf, type Scored } from './tally-vector';

// One row of a table from summed tallies, and what is read across a grouping's rows: ranks and spread.

const percent = (share: number): number => roundTo2(100 * share);
const intervalFields = (interval: Interval | null) => ({
  low: interval ? percent(interval.low) : null,
  high: interval ? percent(interval.high) : null,
});

/** A row whose figure comes from one vector: a province, or a pooled or weighted group. */
export function rowOfVector(group: string, scored: Scored | undefined, k: number, estimate: Estimate, minimumN: number, provinces: number | null): FigureRow {
  const base = baseOf(k);
  const v = scored?.v;
  const n = v?.[base + N] ?? 0;
  const empty: FigureRow = { group, n, value: null, low: null, high: null, effectiveN: null, provinces, rank: null, reliable: false };
  if (!v || n === 0) return { ...empty, ...(estimate === 'weighted' ? { effectiveN: 0 } : {}) };
  if (estimate === 'weighted') {
    const w = v[base + W] ?? 0;
    const p = (v[base + WS] ?? 0) / w;
    const effectiveN = kishEffectiveN(w, v[base + W2] ?? 0);
    return { ...empty, value: percent(p), ...intervalFields(wilsonInterval(p, effectiveN)), effectiveN: roundTo2(effectiveN), reliable: effectiveN >= minimumN };
  }
  const p = estimate === 'pooled' ? (v[base + SUM] ?? 0) / n : (scored.index[k] ?? NaN);
  if (Number.isNaN(p)) return empty;
  return { ...empty, value: percent(p), ...intervalFields(wilsonInterval(p, n)), reliable: n >= minimumN };
}

/** A row that is the simple mean of provincial index values. */
export function rowOfMean(group: string, members: ReadonlyArray<Scored>, k: number, minimumN: number): FigureRow {
  const base = baseOf(k);
  const shares = members
    .map((m) => ({ p: m.index[k] ?? NaN, n: m.v[base + N] ?? 0 }))
    .filter((s) => !Number.isNaN(s.p));
  const n = members.reduce((sum, m) => sum + (m.v[base + N] ?? 0), 0);
  const row: FigureRow = { group, n, value: null, low: null, high: null, effectiveN: null, provinces: shares.length, rank: null, reliable: false };
  if (shares.length === 0) return row;
  const mean = shares.reduce((sum, s) => sum + s.p, 0) / shares.length;
  return { ...row, value: percent(mean), ...intervalFields(meanOfSharesInterval(shares)), reliable: n >= minimumN };
}

export function withRanks(rows: FigureRow[]): FigureRow[] {
  const ranks = competitionRanks(rows.map((r) => r.value));
  return rows.map((row, i) => ({ ...row, rank: ranks[i] ?? null }));
}

export function summarise(rows: ReadonlyArray<FigureRow>): ProvinceSummary | null {
  const valued = rows.filter((r): r is FigureRow & { value: number } => r.value !== null);
  const stats = orderStatistics(valued.map((r) => r.value));
  if (!stats) return null;
  return {
    provinces: stats.count,
    median: stats.median,
    q1: stats.q1,
    q3: stats.q3,
    min: { value: stats.min, groups: valued.filter((r) => r.value === stats.min).map((r) => r.group) },
    max: { value: stats.max, groups: valued.filter((r) => r.value === stats.max).map((r) => r.group) },
  };
}

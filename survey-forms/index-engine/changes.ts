import type { FigureRow } from './figures';
import { roundTo2 } from './statistics';

/** A row with its change against the same group in the previous round. */
export interface ComparedRow extends FigureRow {
  previousValue: number | null;
  previousRank: number | null;
  /** Percentage points, two decimals: this value minus the previous one (both as published, rounded). */
  changePoints: number | null;
  /** Places gained in the ranking: positive is up ("tăng 3 bậc"), negative down. */
  changePlaces: number | null;
}

/**
 * Adds the change against the previous round to each row, matching rows by group. A group missing
 * from the previous round, or without a value in either round, has no change.
 */
export function compareWithPrevious(rows: ReadonlyArray<FigureRow>, previous: ReadonlyArray<FigureRow> | undefined): ComparedRow[] {
  const before = new Map((previous ?? []).map((row) => [row.group, row]));
  return rows.map((row) => {
    const old = before.get(row.group);
    const previousValue = old?.value ?? null;
    const previousRank = old?.rank ?? null;
    return {
      ...row,
      previousValue,
      previousRank,
      changePoints: row.value !== null && previousValue !== null ? roundTo2(row.value - previousValue) : null,
      changePlaces: row.rank !== null && previousRank !== null ? previousRank - row.rank : null,
    };
  });
}

/** "tăng 3 bậc", "giảm 2 bậc", "giữ nguyên": how reports word a change of places. */
export function describePlaces(changePlaces: number | null): { vi: string; en: string } | null {
  if (changePlaces === null) return null;
  if (changePlaces === 0) return { vi: 'giữ nguyên', en: 'unchanged' };
  const places = Math.abs(changePlaces);
  return changePlaces > 0
    ? { vi: `tăng ${places} bậc`, en: `up ${places} ${places === 1 ? 'place' : 'places'}` }
    : { vi: `giảm ${places} bậc`, en: `down ${places} ${places === 1 ? 'place' : 'places'}` };
}

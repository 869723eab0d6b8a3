/**
 * What a release freezes: every table of a round's figures (edition × indicator × estimate ×
 * grouping), each row with its change against the release it is compared with, in one canonical
 * order, so the same figures always give the same bytes and the same digest.
 */
import { createHash } from 'node:crypto';
import { compareWithPrevious, type ComparedRow } from '../index-engine/changes';
import { ESTIMATES, GROUPINGS, type Estimate, type FigureRow, type Grouping, type ProvinceSummary, type RoundFigures } from '../index-engine/round-figures';
import type { IndicatorLevel } from '../index-definition.schema';
import type { BoundaryEdition } from '../provinces';

/**
 * The groupings a release freezes: the published ones. `mode` (how responses were collected) is a
 * working grouping of the aggregates API; leaving it out keeps releases frozen before it existed
 * reproducible byte for byte.
 */
export const RELEASE_GROUPINGS = GROUPINGS.filter((g): g is Exclude<Grouping, 'mode'> => g !== 'mode');
export type ReleaseGrouping = (typeof RELEASE_GROUPINGS)[number];

/** A frozen row: the engine's figure and its change against the compared release. */
export type ReleaseRow = ComparedRow;

/** One frozen table: one indicator, one estimate, one grouping, on one boundary edition. */
export interface ReleaseTable {
  edition: BoundaryEdition;
  indicator: string;
  level: IndicatorLevel;
  estimate: Estimate;
  grouping: ReleaseGrouping;
  summary: ProvinceSummary | null;
  rows: ReleaseRow[];
}

/** Where a table sits: `<edition>/<indicator>/<estimate>/<grouping>`. */
export function tableKey(table: Pick<ReleaseTable, 'edition' | 'indicator' | 'estimate'> & { grouping: Grouping }): string {
  return `${table.edition}/${table.indicator}/${table.estimate}/${table.grouping}`;
}

/** Finds the rows of the compared release's table at the same place, when there is one. */
export type PreviousRows = (key: string) => ReadonlyArray<FigureRow> | undefined;

/**
 * Every table of a round's figures, in canonical order (editions as computed, indicators in the
 * definition's order, then estimates and groupings in the engine's order). `previous` gives the rows
 * each table is compared with; without it no row has a change.
 */
export function freezeTables(figures: RoundFigures, previous?: PreviousRows): ReleaseTable[] {
  const tables: ReleaseTable[] = [];
  for (const edition of figures.editions) {
    for (const [indicator, indicatorFigures] of Object.entries(edition.indicators)) {
      for (const estimate of ESTIMATES) {
        const estimateFigures = indicatorFigures.estimates[estimate];
        if (!estimateFigures) continue;
        for (const grouping of RELEASE_GROUPINGS) {
          const place = { edition: edition.edition, indicator, estimate, grouping };
          tables.push({
            ...place,
            level: indicatorFigures.level,
            summary: estimateFigures.summary,
            rows: compareWithPrevious(estimateFigures.groupings[grouping], previous?.(tableKey(place))),
          });
        }
      }
    }
  }
  return tables;
}

/**
 * JSON with object keys sorted at every level and no spaces: the bytes a digest is taken of. Arrays
 * keep their order (rows are in the engine's order, which is part of the figures).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The digest of a release's figures: SHA-256 of the canonical JSON of its tables, in their order. */
export function tablesDigest(tables: ReadonlyArray<ReleaseTable>): string {
  const hash = createHash('sha256');
  for (const table of tables) hash.update(canonicalJson(table)).update('\n');
  return hash.digest('hex');
}

/**
 * The digest of the responses a release counts: SHA-256 of their ids, sorted, one a line. Two
 * releases counted the same responses exactly when their digests agree.
 */
export function responseSetDigest(ids: Iterable<string>): string {
  return sha256([...ids].sort().join('\n'));
}

/** The digest of the design weights the counted responses carried (`id<TAB>weight`, sorted; none: 1). */
export function weightsDigest(weights: Iterable<readonly [string, number | null | undefined]>): string {
  return sha256(
    [...weights]
      .map(([id, w]) => `${id}\t${w ?? 1}`)
      .sort()
      .join('\n'),
  );
}

export const RELEASE_NUMBER_PATTERN = '^[0-9]{4}\\.[1-9][0-9]{0,3}$';

/** The next release number of a year: `2024.1`, then `2024.2`, … whatever round they belong to. */
export function nextReleaseNumber(year: number, existing: Iterable<string>): string {
  let highest = 0;
  for (const number of existing) {
    const [y, n] = number.split('.');
    if (Number(y) === year && Number.isInteger(Number(n))) highest = Math.max(highest, Number(n));
  }
  return `${year}.${highest + 1}`;
}

/**
 * The change log of a correction: every figure that differs between two releases' tables, old →
 * new, and why. The same comparison tells whether a recomputed release is identical to the stored one.
 */
import type { ProvinceSummary } from '../index-engine/round-figures';
import { tableKey, type ReleaseRow, type ReleaseTable } from './release-tables';

/** The fields of a row that are figures; `group` names the row. */
export const FIGURE_FIELDS = [
  'n',
  'value',
  'low',
  'high',
  'effectiveN',
  'provinces',
  'rank',
  'reliable',
  'previousValue',
  'previousRank',
  'changePoints',
  'changePlaces',
] as const satisfies ReadonlyArray<keyof ReleaseRow>;
export type FigureField = (typeof FIGURE_FIELDS)[number];

/** The fields of a table's summary, as figures of the pseudo-group `summary`. */
export const SUMMARY_FIELDS = ['provinces', 'median', 'q1', 'q3', 'min', 'max'] as const;
export const SUMMARY_GROUP = 'summary';

type Figure = number | boolean | string | null;

/** Why a figure moved. */
export type ChangeCause =
  /** Responses of this province were added to or taken out of the count. */
  | { kind: 'responses'; added: number; removed: number }
  /** The row's own responses are the same; its rank or a change moved because other rows did. */
  | { kind: 'ranking' }
  /** A group of provinces: these provinces (of the round's edition) had responses added or taken out. */
  | { kind: 'provinces'; provinces: string[] }
  /** The table is in one release only (another method or edition). */
  | { kind: 'table' };

export interface FigureChange {
  /** `<edition>/<indicator>/<estimate>/<grouping>` */
  table: string;
  group: string;
  field: string;
  before: Figure;
  after: Figure;
  cause?: ChangeCause;
}

function summaryFigures(summary: ProvinceSummary | null): Record<string, Figure> {
  if (!summary) return {};
  return {
    provinces: summary.provinces,
    median: summary.median,
    q1: summary.q1,
    q3: summary.q3,
    min: summary.min.value,
    max: summary.max.value,
  };
}

function rowFigures(row: ReleaseRow | undefined): Record<string, Figure> {
  if (!row) return {};
  return Object.fromEntries(FIGURE_FIELDS.map((f) => [f, row[f]]));
}

function compareFigures(table: string, group: string, before: Record<string, Figure>, after: Record<string, Figure>, fields: ReadonlyArray<string>, out: FigureChange[]): void {
  for (const field of fields) {
    const b = before[field] ?? null;
    const a = after[field] ?? null;
    if (b !== a) out.push({ table, group, field, before: b, after: a });
  }
}

/**
 * Every figure that differs between two sets of tables, in the order of `after` (tables only in
 * `before` last): each row field and summary field whose value is not the same. A table or row in
 * one set only counts each of its figures as moved from or to null.
 */
export function diffTables(before: ReadonlyArray<ReleaseTable>, after: ReadonlyArray<ReleaseTable>): FigureChange[] {
  const changes: FigureChange[] = [];
  const old = new Map(before.map((t) => [tableKey(t), t]));
  const seen = new Set<string>();
  const compareTable = (key: string, b: ReleaseTable | undefined, a: ReleaseTable | undefined): void => {
    const oldRows = new Map((b?.rows ?? []).map((r) => [r.group, r]));
    const groups = [...(a?.rows ?? []).map((r) => r.group), ...(b?.rows ?? []).map((r) => r.group).filter((g) => !(a?.rows ?? []).some((r) => r.group === g))];
    const newRows = new Map((a?.rows ?? []).map((r) => [r.group, r]));
    for (const group of groups) compareFigures(key, group, rowFigures(oldRows.get(group)), rowFigures(newRows.get(group)), FIGURE_FIELDS, changes);
    compareFigures(key, SUMMARY_GROUP, summaryFigures(b?.summary ?? null), summaryFigures(a?.summary ?? null), SUMMARY_FIELDS, changes);
  };
  for (const table of after) {
    const key = tableKey(table);
    seen.add(key);
    compareTable(key, old.get(key), table);
  }
  for (const table of before) {
    const key = tableKey(table);
    if (!seen.has(key)) compareTable(key, table, undefined);
  }
  return changes;
}

/** Per province of the round's edition: responses counted by one release and not the other. */
export type ResponseDelta = ReadonlyMap<string, { added: number; removed: number }>;

/**
 * Says why each figure moved. A province row of the round's own edition moved because its responses
 * changed, or — when they did not — because other rows did (its rank, say). Any other row (a group
 * of provinces, or a merged unit of the other edition) names the provinces whose responses changed.
 */
export function explainChanges(
  changes: ReadonlyArray<FigureChange>,
  delta: ResponseDelta,
  roundEdition: number,
  tablesOnBothSides: ReadonlySet<string>,
): FigureChange[] {
  const moved = [...delta.entries()].filter(([, d]) => d.added + d.removed > 0).map(([p]) => p).sort();
  return changes.map((change): FigureChange => {
    if (!tablesOnBothSides.has(change.table)) return { ...change, cause: { kind: 'table' } };
    const [edition, , , grouping] = change.table.split('/');
    if (grouping === 'province' && Number(edition) === roundEdition && change.group !== SUMMARY_GROUP) {
      const d = delta.get(change.group);
      return { ...change, cause: d && d.added + d.removed > 0 ? { kind: 'responses', added: d.added, removed: d.removed } : { kind: 'ranking' } };
    }
    return { ...change, cause: { kind: 'provinces', provinces: moved } };
  });
}

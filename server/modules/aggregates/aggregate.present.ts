import { stringify } from 'csv-stringify/sync';
import { UNIT_TYPE_LABELS, type ProvinceReference, type UnitType } from '../../../survey-forms/provinces';
import { roundTo2 } from '../../../survey-forms/satisfaction';
import type { RoundRecord } from '../rounds/round.repository';
import type { RoundAggregate } from './aggregate.repository';
import type { AGGREGATE_GROUPINGS } from './aggregate.schema';

type Grouping = (typeof AGGREGATE_GROUPINGS)[number];

export interface AggregateRowView {
  group: string;
  label: string;
  n: number;
  value: number | null;
}

/** A round's figures as the API shows them; before any aggregation, every group with n 0. */
export function presentAggregates(round: RoundRecord, aggregate: RoundAggregate | undefined, by: Grouping, provinces: ProvinceReference) {
  const label = (group: string): string =>
    by === 'province'
      ? (provinces.province(round.boundaryEdition, group)?.nameShort ?? group)
      : UNIT_TYPE_LABELS[group as UnitType].vi;
  const figures =
    aggregate === undefined
      ? undefined
      : by === 'province'
        ? aggregate.byProvince
        : aggregate.byUnitType;
  const groups =
    figures ??
    (by === 'province'
      ? provinces.provinces(round.boundaryEdition).map((p) => ({ group: p.code, n: 0, value: null }))
      : (Object.keys(UNIT_TYPE_LABELS) as UnitType[]).map((t) => ({ group: t, n: 0, value: null })));
  const rows: AggregateRowView[] = groups.map((f) => ({
    group: f.group,
    label: label(f.group),
    n: f.n,
    value: f.value === null ? null : roundTo2(f.value),
  }));
  return {
    roundId: round.id,
    by,
    formId: round.formId,
    formVersion: round.formVersion,
    boundaryEdition: round.boundaryEdition,
    computedAt: aggregate?.computedAt.toISOString() ?? null,
    responses: aggregate?.responses ?? 0,
    rows,
  };
}

/** The rows as CSV with a byte-order mark: Excel then reads the Vietnamese labels as UTF-8. */
export function aggregatesToCsv(rows: ReadonlyArray<AggregateRowView>): string {
  const body = stringify(
    rows.map((r) => [r.group, r.label, r.n, r.value === null ? '' : r.value.toFixed(2)]),
    { header: true, columns: ['group', 'label', 'n', 'value'], record_delimiter: '\r\n' },
  );
  return `\uFEFF${body}`;
}

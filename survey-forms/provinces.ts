import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

/** Which set of provincial units a round uses: the 63 before 1 July 2025 or the 34 after. */
export type BoundaryEdition = 63 | 34;
export const BOUNDARY_EDITIONS: ReadonlyArray<BoundaryEdition> = [63, 34];

export const UNIT_TYPES = ['special-class-city', 'other-centrally-run-city', 'province'] as const;
/** Administrative-unit type of a province-level unit, as reports group them. */
export type UnitType = (typeof UNIT_TYPES)[number];

export const UNIT_TYPE_LABELS: Record<UnitType, { vi: string; en: string }> = {
  'special-class-city': { vi: 'Thành phố trực thuộc trung ương loại đặc biệt', en: 'Special-class centrally-run city' },
  'other-centrally-run-city': { vi: 'Thành phố trực thuộc trung ương khác', en: 'Other centrally-run city' },
  province: { vi: 'Tỉnh', en: 'Province' },
};

/** The six socio-economic regions, as reports name them; `key` is what groups rows in the API. */
export const REGIONS = [
  { key: 'northern-midlands-mountains', vi: 'Trung du và miền núi phía Bắc', en: 'Northern Midlands and Mountain Areas' },
  { key: 'red-river-delta', vi: 'Đồng bằng sông Hồng', en: 'Red River Delta' },
  { key: 'north-central-central-coast', vi: 'Bắc Trung Bộ và Duyên hải miền Trung', en: 'North Central and Central Coastal Areas' },
  { key: 'central-highlands', vi: 'Tây Nguyên', en: 'Central Highlands' },
  { key: 'south-east', vi: 'Đông Nam Bộ', en: 'South East' },
  { key: 'mekong-delta', vi: 'Đồng bằng sông Cửu Long', en: 'Mekong River Delta' },
] as const;

/** The group of a unit of the 34 whose former units lie in two regions. */
export const MULTI_REGION = { key: 'multi-region', vi: 'Đơn vị thuộc hai vùng', en: 'Unit spanning two regions' } as const;

export interface Province {
  edition: BoundaryEdition;
  /** Two-digit code (Quyết định 124/2004, or 19/2025 for the 34 units). */
  code: string;
  name: string;
  nameShort: string;
  nameEn: string;
  /** Socio-economic region; for the 34 units derived from their former units, null where they span two. */
  region: string | null;
  /** Key of `region` in REGIONS, or MULTI_REGION's key where there is none. */
  regionKey: string;
}

/**
 * The day the 34 units began: Nghị quyết 202/2025/QH15, in force from 12 June 2025, had the new
 * units' authorities start on 1 July 2025.
 */
export const UNITS_34_FROM = '2025-07-01';

interface UnitTypePeriod {
  unitType: UnitType;
  /** ISO dates, inclusive; null is open. */
  validFrom: string | null;
  validTo: string | null;
}

/** Unit-type periods by `edition:code`. */
type Periods = Map<string, UnitTypePeriod[]>;

/** The province lists, the merger map and unit types, checked against each other. */
export interface ProvinceReference {
  provinces(edition: BoundaryEdition): ReadonlyArray<Province>;
  province(edition: BoundaryEdition, code: string): Province | undefined;
  /** The unit type of a unit on a date (ISO `YYYY-MM-DD`). */
  unitTypeOn(edition: BoundaryEdition, code: string, date: string): UnitType;
  /** The unit of the 34 that an old unit of the 63 became. */
  mergedInto(oldCode: string): string;
}

type Row = Record<string, string>;

/** Raw tables, as read from the CSV files. */
export interface ProvinceTables {
  provinces63: Row[];
  provinces34: Row[];
  merger: Row[];
  unitTypes: Row[];
}

export class ReferenceDataError extends Error {
  override readonly name = 'ReferenceDataError';
  constructor(readonly problems: string[]) {
    super(`reference data is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

const CODE = /^\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks the tables against each other and builds the reference. Pure: tests feed it rows. */
export function buildProvinceReference(tables: ProvinceTables): ProvinceReference {
  const problems: string[] = [];
  const byEdition = new Map<BoundaryEdition, Map<string, Province>>([
    [63, readProvinces(63, tables.provinces63, 'provinces-63.csv', problems)],
    [34, readProvinces(34, tables.provinces34, 'provinces-34.csv', problems)],
  ]);
  const merger = readMerger(tables.merger, byEdition, problems);
  const periods = readUnitTypes(tables.unitTypes, byEdition, problems);
  checkCitiesTyped(tables, periods, problems);
  // Across tables, once each is sound on its own.
  if (problems.length === 0) checkTypesBeforeTheMerger(byEdition.get(34)?.keys() ?? [], periods, problems);
  if (problems.length > 0) throw new ReferenceDataError(problems);

  const sorted = new Map<BoundaryEdition, Province[]>(
    [...byEdition].map(([edition, units]) => [edition, [...units.values()].sort((a, b) => a.code.localeCompare(b.code))]),
  );
  return {
    provinces: (edition) => sorted.get(edition) ?? [],
    province: (edition, code) => byEdition.get(edition)?.get(code),
    unitTypeOn: (edition, code, date) => typeOn(periods, edition, code, date),
    mergedInto: (oldCode) => {
      const to = merger.get(oldCode);
      if (to === undefined) throw new Error(`unit ${oldCode} is not one of the 63 units`);
      return to;
    },
  };
}

/**
 * The units of an edition in each unit-type group on a date (codes in order): how every grouping,
 * edition and download groups them. A round passes its fieldwork start.
 */
export function unitTypeMembers(reference: ProvinceReference, edition: BoundaryEdition, date: string): Record<UnitType, string[]> {
  const members = Object.fromEntries(UNIT_TYPES.map((type) => [type, [] as string[]])) as Record<UnitType, string[]>;
  for (const unit of reference.provinces(edition)) members[reference.unitTypeOn(edition, unit.code, date)].push(unit.code);
  return members;
}

function typeOn(periods: Periods, edition: BoundaryEdition, code: string, date: string): UnitType {
  const found = (periods.get(`${edition}:${code}`) ?? []).find((p) => (p.validFrom ?? '') <= date && date <= (p.validTo ?? '9999'));
  return found?.unitType ?? 'province';
}

function readProvinces(edition: BoundaryEdition, rows: Row[], file: string, problems: string[]): Map<string, Province> {
  const units = new Map<string, Province>();
  rows.forEach((row, i) => {
    const line = i + 2;
    const code = row.code ?? '';
    if (!CODE.test(code)) problems.push(`${file} line ${line}: code "${code}" is not two digits`);
    if (units.has(code)) problems.push(`${file} line ${line}: code ${code} appears twice`);
    if (!row.name_vi) problems.push(`${file} line ${line}: name_vi is empty`);
    const derivedRegions = (row.constituent_old_regions_derived ?? '').split(/\s*;\s*/).filter(Boolean);
    const region = row.region || (derivedRegions.length === 1 ? (derivedRegions[0] ?? null) : null);
    const known = REGIONS.find((r) => r.vi === region);
    if (region !== null && !known) problems.push(`${file} line ${line}: region "${region}" is not one of the six socio-economic regions`);
    units.set(code, {
      edition,
      code,
      name: row.name_vi ?? '',
      nameShort: row.name_vi_short || row.name_vi || '',
      nameEn: row.name_en ?? '',
      region,
      regionKey: known?.key ?? MULTI_REGION.key,
    });
  });
  if (units.size !== edition) problems.push(`${file}: ${units.size} units, expected ${edition}`);
  return units;
}

function readMerger(rows: Row[], byEdition: Map<BoundaryEdition, Map<string, Province>>, problems: string[]): Map<string, string> {
  const old = byEdition.get(63) ?? new Map<string, Province>();
  const current = byEdition.get(34) ?? new Map<string, Province>();
  const merger = new Map<string, string>();
  rows.forEach((row, i) => {
    const line = i + 2;
    const from = row.old_code ?? '';
    const to = row.new_code ?? '';
    if (!old.has(from)) problems.push(`merger-2025.csv line ${line}: old_code ${from} is not one of the 63 units`);
    if (!current.has(to)) problems.push(`merger-2025.csv line ${line}: new_code ${to} is not one of the 34 units`);
    if (merger.has(from)) problems.push(`merger-2025.csv line ${line}: old_code ${from} is mapped twice`);
    merger.set(from, to);
  });
  for (const code of old.keys()) {
    if (!merger.has(code)) problems.push(`merger-2025.csv: old unit ${code} is not mapped`);
  }
  for (const code of current.keys()) {
    if (![...merger.values()].includes(code)) problems.push(`merger-2025.csv: no old unit becomes new unit ${code}`);
  }
  return merger;
}

function readUnitTypes(rows: Row[], byEdition: Map<BoundaryEdition, Map<string, Province>>, problems: string[]): Periods {
  const periods: Periods = new Map();
  rows.forEach((row, i) => {
    const line = i + 2;
    const edition = Number(row.edition);
    const code = row.code ?? '';
    const unitType = row.unit_type as UnitType;
    if (edition !== 63 && edition !== 34) {
      problems.push(`unit-types.csv line ${line}: edition ${row.edition} is not 63 or 34`);
      return;
    }
    if (!byEdition.get(edition)?.has(code)) problems.push(`unit-types.csv line ${line}: ${code} is not a unit of edition ${edition}`);
    if (!UNIT_TYPES.includes(unitType)) problems.push(`unit-types.csv line ${line}: unit_type ${row.unit_type} is unknown`);
    const validFrom = row.valid_from || null;
    const validTo = row.valid_to || null;
    for (const d of [validFrom, validTo]) {
      if (d !== null && !DATE.test(d)) problems.push(`unit-types.csv line ${line}: ${d} is not a YYYY-MM-DD date`);
    }
    if (validFrom !== null && validTo !== null && validTo < validFrom) problems.push(`unit-types.csv line ${line}: valid_to ${validTo} is before valid_from ${validFrom}`);
    const key = `${edition}:${code}`;
    const list = periods.get(key) ?? [];
    for (const other of list) {
      if ((validFrom ?? '') <= (other.validTo ?? '9999') && (other.validFrom ?? '') <= (validTo ?? '9999')) {
        problems.push(`unit-types.csv line ${line}: period overlaps another of ${code} (edition ${edition})`);
      }
    }
    list.push({ unitType, validFrom, validTo });
    periods.set(key, list);
  });
  for (const [key, list] of periods) checkNoGaps(key, list, problems);
  return periods;
}

/** A unit listed in unit-types.csv has a type on every date: its periods run from open to open without a gap. */
function checkNoGaps(key: string, list: UnitTypePeriod[], problems: string[]): void {
  const [edition, code] = key.split(':');
  const ordered = [...list].sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  if (first && first.validFrom !== null) problems.push(`unit-types.csv: ${code} (edition ${edition}) has no type before ${first.validFrom}`);
  if (last && last.validTo !== null) problems.push(`unit-types.csv: ${code} (edition ${edition}) has no type after ${last.validTo}`);
  ordered.slice(1).forEach((next, i) => {
    const previous = ordered[i] as UnitTypePeriod;
    if (previous.validTo !== null && next.validFrom !== dayAfter(previous.validTo)) {
      problems.push(`unit-types.csv: ${code} (edition ${edition}) has no type between ${previous.validTo} and ${next.validFrom ?? ''}`);
    }
  });
}

function checkCitiesTyped(tables: ProvinceTables, periods: Periods, problems: string[]): void {
  const kinds: Array<[BoundaryEdition, Row[]]> = [
    [63, tables.provinces63],
    [34, tables.provinces34],
  ];
  for (const [edition, rows] of kinds) {
    for (const row of rows) {
      if (row.kind === 'centrally-run city' && !periods.has(`${edition}:${row.code}`)) {
        problems.push(`unit-types.csv: centrally-run city ${row.code} (edition ${edition}) has no unit type`);
      }
    }
  }
}

/**
 * Before the 34 units began, a unit of the 34 has the type of the former unit whose code (and so
 * whose centre, Quyết định 19/2025/QĐ-TTg) it keeps: the rows of the 34 must say so on every date
 * where a type changes. See reference/provinces/README.md for why.
 */
function checkTypesBeforeTheMerger(units34: Iterable<string>, periods: Periods, problems: string[]): void {
  const changes = new Set<string>(['0000-01-01']);
  for (const list of periods.values()) {
    for (const p of list) {
      if (p.validFrom !== null) changes.add(p.validFrom);
      if (p.validTo !== null) changes.add(dayAfter(p.validTo));
    }
  }
  const dates = [...changes].filter((d) => d < UNITS_34_FROM).sort();
  for (const code of units34) {
    const date = dates.find((d) => typeOn(periods, 34, code, d) !== typeOn(periods, 63, code, d));
    if (date === undefined) continue;
    const when = date === '0000-01-01' ? 'at the open start' : `on ${date}`;
    problems.push(
      `unit-types.csv: ${when} ${code} (edition 34) is ${typeOn(periods, 34, code, date)}, but before ${UNITS_34_FROM} it takes the type of ${code} (edition 63), ${typeOn(periods, 63, code, date)}`,
    );
  }
}

function dayAfter(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return ''; // reported as not a date already
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

function readCsv(file: string): Row[] {
  return parse<Row>(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true });
}

/** Reads and checks `survey-forms/reference/provinces/`. */
export function loadProvinceReference(dir: string): ProvinceReference {
  return buildProvinceReference({
    provinces63: readCsv(path.join(dir, 'provinces-63.csv')),
    provinces34: readCsv(path.join(dir, 'provinces-34.csv')),
    merger: readCsv(path.join(dir, 'merger-2025.csv')),
    unitTypes: readCsv(path.join(dir, 'unit-types.csv')),
  });
}

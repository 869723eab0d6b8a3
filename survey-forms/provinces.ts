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

interface UnitTypePeriod {
  unitType: UnitType;
  /** ISO dates, inclusive; null is open. */
  validFrom: string | null;
  validTo: string | null;
}

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
  const byEdition = new Map<BoundaryEdition, Map<string, Province>>();

  const readProvinces = (edition: BoundaryEdition, rows: Row[], file: string): void => {
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
    byEdition.set(edition, units);
  };
  readProvinces(63, tables.provinces63, 'provinces-63.csv');
  readProvinces(34, tables.provinces34, 'provinces-34.csv');
  const old = byEdition.get(63) ?? new Map<string, Province>();
  const current = byEdition.get(34) ?? new Map<string, Province>();

  const merger = new Map<string, string>();
  tables.merger.forEach((row, i) => {
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

  const periods = new Map<string, UnitTypePeriod[]>();
  tables.unitTypes.forEach((row, i) => {
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

  if (problems.length > 0) throw new ReferenceDataError(problems);

  const sorted = new Map<BoundaryEdition, Province[]>(
    [...byEdition].map(([edition, units]) => [edition, [...units.values()].sort((a, b) => a.code.localeCompare(b.code))]),
  );
  return {
    provinces: (edition) => sorted.get(edition) ?? [],
    province: (edition, code) => byEdition.get(edition)?.get(code),
    unitTypeOn: (edition, code, date) => {
      const found = (periods.get(`${edition}:${code}`) ?? []).find(
        (p) => (p.validFrom ?? '') <= date && date <= (p.validTo ?? '9999'),
      );
      return found?.unitType ?? 'province';
    },
    mergedInto: (oldCode) => {
      const to = merger.get(oldCode);
      if (to === undefined) throw new Error(`unit ${oldCode} is not one of the 63 units`);
      return to;
    },
  };
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

import type { CompiledForm } from './form';
import type { UnitType } from './provinces';
import { sumTallies, type Tally, type TallyCell } from './tally';

/** A satisfaction figure: `value` is a percentage, null where there is no valid answer. */
export interface SatisfactionFigure {
  /** Responses counted. */
  n: number;
  /** Valid answers (not "not applicable", not missing) to satisfaction items. */
  valid: number;
  /** Of those, answers with a positive code ("hài lòng", "rất hài lòng"). */
  positive: number;
  value: number | null;
}

export interface GroupFigure {
  /** Province code or unit-type key. */
  group: string;
  /** Responses behind the figure. */
  n: number;
  value: number | null;
  /** For group figures: provinces with a value, whose mean this is. */
  provinces?: number;
}

/**
 * The share of positive answers among valid answers to the form's satisfaction items, pooled
 * over items. "Not applicable" leaves the denominator, as the SIPAS convention says.
 */
export function satisfactionOf(form: CompiledForm, tally: Tally): SatisfactionFigure {
  let valid = 0;
  let positive = 0;
  for (const formItem of form.items) {
    const scale = formItem.scale;
    if (!scale || scale.kind !== 'satisfaction') continue;
    const counts = tally.answers[formItem.item.id];
    if (!counts) continue;
    for (const option of scale.options) {
      const count = counts[String(option.code)] ?? 0;
      valid += count;
      if (scale.positiveCodes.includes(option.code as number)) positive += count;
    }
  }
  return { n: tally.n, valid, positive, value: valid === 0 ? null : (100 * positive) / valid };
}

/** Satisfaction per province, from the round's cells, ordered by province code. */
export function provinceFigures(form: CompiledForm, cells: ReadonlyArray<TallyCell>): GroupFigure[] {
  const byProvince = new Map<string, Tally[]>();
  for (const cell of cells) {
    const list = byProvince.get(cell.provinceCode) ?? [];
    list.push(cell.tally);
    byProvince.set(cell.provinceCode, list);
  }
  return [...byProvince.keys()].sort().map((code) => {
    const figure = satisfactionOf(form, sumTallies(byProvince.get(code) ?? []));
    return { group: code, n: figure.n, value: figure.value };
  });
}

/**
 * Group figures as the simple mean of provincial values, which is how the Ministry publishes them
 * (2020: special-class cities 84.45% = mean of Hà Nội 85.15% and TP HCM 83.75%). Provinces
 * without a value are left out of the mean; `n` still counts their responses.
 */
export function meanOfProvinces(
  provinces: ReadonlyArray<GroupFigure>,
  groupOf: (provinceCode: string) => string,
  groups: ReadonlyArray<string>,
): GroupFigure[] {
  return groups.map((group) => {
    const members = provinces.filter((p) => groupOf(p.group) === group);
    const values = members.map((p) => p.value).filter((v): v is number => v !== null);
    return {
      group,
      n: members.reduce((sum, p) => sum + p.n, 0),
      value: values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length,
      provinces: values.length,
    };
  });
}

/** Unit-type figures: the mean of provincial values per administrative-unit type. */
export function unitTypeFigures(
  provinces: ReadonlyArray<GroupFigure>,
  unitTypeOf: (provinceCode: string) => UnitType,
  unitTypes: ReadonlyArray<UnitType>,
): GroupFigure[] {
  return meanOfProvinces(provinces, unitTypeOf, unitTypes);
}

/** Rounds half away from zero to two decimals, without binary drift (1.005 → 1.01). */
export function roundTo2(value: number): number {
  const sign = value < 0 ? -1 : 1;
  // 1.005 * 100 is 100.49999999999999 in binary; nudging by a relative epsilon restores 100.5.
  return (sign * Math.round(Math.abs(value) * 100 * (1 + Number.EPSILON))) / 100;
}

export interface RoundFigures {
  /** Every province of the round's edition, in code order; those without responses have n 0 and no value. */
  byProvince: GroupFigure[];
  byUnitType: GroupFigure[];
  /** Responses counted in all. */
  responses: number;
}

/** The figures of a round from its cells: per province, and per administrative-unit type. */
export function computeRoundFigures(
  form: CompiledForm,
  cells: ReadonlyArray<TallyCell>,
  provinceCodes: ReadonlyArray<string>,
  unitTypeOf: (provinceCode: string) => UnitType,
  unitTypes: ReadonlyArray<UnitType>,
): RoundFigures {
  const computed = new Map(provinceFigures(form, cells).map((f) => [f.group, f]));
  const byProvince = provinceCodes.map((code) => computed.get(code) ?? { group: code, n: 0, value: null });
  return {
    byProvince,
    byUnitType: unitTypeFigures(byProvince, unitTypeOf, unitTypes),
    responses: byProvince.reduce((sum, p) => sum + p.n, 0),
  };
}

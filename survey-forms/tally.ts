import type { CompiledForm } from './form';
import { DIMENSIONS, type Dimension } from './form-definition.schema';

/**
 * Counts of answers, the unit every index figure is computed from. Tallies add up: the tally of
 * a province is the sum of its cells' tallies, and a merged province's the sum of its old units'.
 */
export interface Tally {
  /** Responses counted. */
  n: number;
  /** For each scale item, how many responses gave each code ("not applicable" included). */
  answers: Record<string, Record<string, number>>;
}

/** A cell: responses of one province with one respondent type, serving level and service field. */
export interface TallyCell {
  provinceCode: string;
  dimensions: Record<Dimension, string>;
  tally: Tally;
}

/** What a tally needs from a stored response. */
export interface TalliedResponse {
  provinceCode: string;
  answers: Readonly<Record<string, unknown>>;
}

export function emptyTally(): Tally {
  return { n: 0, answers: {} };
}

/** Adds `from` into `into` (mutates `into`). */
export function addTally(into: Tally, from: Tally): Tally {
  into.n += from.n;
  for (const [itemId, codes] of Object.entries(from.answers)) {
    const target = (into.answers[itemId] ??= {});
    for (const [code, count] of Object.entries(codes)) target[code] = (target[code] ?? 0) + count;
  }
  return into;
}

/** Answers to choice and scale items are numbers or strings; anything else was refused on entry. */
function codeOf(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
}

function cellKey(provinceCode: string, dimensions: Record<Dimension, string>): string {
  return [provinceCode, ...DIMENSIONS.map((d) => dimensions[d])].join('|');
}

/** Adds responses one at a time, so a cursor of any length can be tallied in flat memory. */
export interface Tallier {
  add(response: TalliedResponse): void;
  /** The cells so far, sorted by key: the same responses in any order give the same cells. */
  cells(): TallyCell[];
}

/** Tallies responses into cells. Only scale items are counted: they are what indices are made of. */
export function createTallier(form: CompiledForm): Tallier {
  const scaleItems = form.items.filter((fi) => fi.item.type === 'scale').map((fi) => fi.item.id);
  const dimensionItems = DIMENSIONS.map((d) => [d, form.definition.dimensions[d]] as const);
  const cells = new Map<string, TallyCell>();
  return {
    add(response) {
      const dimensions = Object.fromEntries(
        dimensionItems.map(([d, itemId]) => [d, codeOf(response.answers[itemId])]),
      ) as Record<Dimension, string>;
      const key = cellKey(response.provinceCode, dimensions);
      let cell = cells.get(key);
      if (!cell) {
        cell = { provinceCode: response.provinceCode, dimensions, tally: emptyTally() };
        cells.set(key, cell);
      }
      cell.tally.n += 1;
      for (const itemId of scaleItems) {
        const value = response.answers[itemId];
        if (value === undefined || value === null) continue;
        const codes = (cell.tally.answers[itemId] ??= {});
        const code = codeOf(value);
        codes[code] = (codes[code] ?? 0) + 1;
      }
    },
    cells() {
      return [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, cell]) => cell);
    },
  };
}

/** Tallies a whole collection of responses at once. */
export function tallyResponses(form: CompiledForm, responses: Iterable<TalliedResponse>): TallyCell[] {
  const tallier = createTallier(form);
  for (const response of responses) tallier.add(response);
  return tallier.cells();
}

/** The sum of many tallies. */
export function sumTallies(tallies: Iterable<Tally>): Tally {
  const total = emptyTally();
  for (const t of tallies) addTally(total, t);
  return total;
}

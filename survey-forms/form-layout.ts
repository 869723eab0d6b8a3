import type { CataloguedProblem } from './ajv';
import type { GridRow, Item, LocalizedText, Section, SectionLayout } from './form-definition.schema';

/**
 * What a section shows, in order: single items, and grids where its layout gathers scale items into
 * rows. Every rendering of a questionnaire — the interview on a phone, the keyed grid, the printed
 * form — walks these blocks, so one description gives the same order and grouping everywhere.
 */
export type SectionBlock =
  | { kind: 'item'; item: Item }
  | {
      kind: 'grid';
      /** Headings of the row positions, when the layout names them. */
      columns: ReadonlyArray<LocalizedText>;
      rows: ReadonlyArray<{ label: LocalizedText; items: ReadonlyArray<Item> }>;
    };

/**
 * The blocks of a section. A run of consecutive rows becomes one grid, standing where its first item
 * stands; items in no row stay single. Assumes a layout that `layoutProblems` found sound.
 */
export function sectionBlocks(section: Section): SectionBlock[] {
  const layout = section.layout;
  if (!layout) return section.items.map((item) => ({ kind: 'item', item }));
  const byId = new Map(section.items.map((item) => [item.id, item]));
  const rowStartingAt = new Map<string, GridRow>();
  const inRow = new Set<string>();
  for (const row of layout.rows) {
    rowStartingAt.set(row.items[0] ?? '', row);
    for (const id of row.items) inRow.add(id);
  }
  const blocks: SectionBlock[] = [];
  let grid: Extract<SectionBlock, { kind: 'grid' }> | undefined;
  for (const item of section.items) {
    const row = rowStartingAt.get(item.id);
    if (row) {
      const items = row.items.map((id) => byId.get(id)).filter((i): i is Item => i !== undefined);
      const entry = { label: row.label ?? item.label, items };
      if (grid) (grid.rows as Array<typeof entry>).push(entry);
      else {
        grid = { kind: 'grid', columns: layout.columns ?? [], rows: [entry] };
        blocks.push(grid);
      }
    } else if (!inRow.has(item.id)) {
      grid = undefined;
      blocks.push({ kind: 'item', item });
    }
  }
  return blocks;
}

/**
 * What is wrong with a section's layout, each problem with its path: rows must name scale items of
 * the section, each item at most once, a row's items consecutive and rows in the section's order (so
 * a grid stands where its items stand and is read top to bottom), and no row longer than the columns.
 */
export function layoutProblems(section: Section, at: string): CataloguedProblem[] {
  const layout: SectionLayout | undefined = section.layout;
  if (!layout) return [];
  const problems: CataloguedProblem[] = [];
  const indexOf = new Map(section.items.map((item, i) => [item.id, i]));
  const used = new Set<string>();
  let previousEnd = -1;
  layout.rows.forEach((row, r) => {
    const rowAt = `${at}/layout/rows/${r}`;
    const indexes: number[] = [];
    row.items.forEach((id, k) => {
      const index = indexOf.get(id);
      const item = index === undefined ? undefined : section.items[index];
      if (index === undefined || !item) {
        problems.push({ path: `${rowAt}/items/${k}`, code: 'unknown_item', message: `names no item of section ${section.id} (${id})` });
        return;
      }
      if (item.type !== 'scale') problems.push({ path: `${rowAt}/items/${k}`, code: 'not_a_scale', message: `item ${id} is not a scale item: only scale items go in a grid` });
      if (used.has(id)) problems.push({ path: `${rowAt}/items/${k}`, code: 'repeated', message: `item ${id} is in two rows` });
      used.add(id);
      indexes.push(index);
    });
    if (indexes.length !== row.items.length) return;
    const first = indexes[0] ?? 0;
    if (indexes.some((index, k) => index !== first + k)) {
      problems.push({ path: `${rowAt}/items`, code: 'not_allowed', message: 'must name consecutive items of the section, in their order' });
    }
    if (first <= previousEnd) {
      problems.push({ path: `${rowAt}/items`, code: 'not_allowed', message: 'must come after the previous row in the section' });
    }
    previousEnd = Math.max(previousEnd, ...indexes);
    if (layout.columns && row.items.length > layout.columns.length) {
      problems.push({ path: `${rowAt}/items`, code: 'too_many', message: `has ${row.items.length} items but the layout names ${layout.columns.length} columns` });
    }
  });
  return problems;
}

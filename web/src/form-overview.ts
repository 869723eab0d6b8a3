import { isAnswered } from '../../survey-forms/conditions';
import type { CompiledForm, FormItem } from '../../survey-forms/form';
import type { LocalizedText, Section } from '../../survey-forms/form-definition.schema';
import { sectionBlocks, type SectionBlock } from '../../survey-forms/form-layout';
import { askedItems, askedSections, groupProblems, type Answers } from './form-model';

/**
 * Where a response stands, section by section: what the section overview and the review screen
 * before "Hoàn thành phiếu" show. Pure, so it is tested without a browser.
 */

/** `complete`: nothing wrong and nothing required left; `errors`: something to fix; `open`: required answers still to give. */
export type SectionState = 'complete' | 'errors' | 'open';

export interface SectionSummary {
  section: Section;
  /** Index among the sections asked. */
  index: number;
  state: SectionState;
  /** Items asked and not answered, required or not, in order. */
  unanswered: FormItem[];
  /** Items asked whose answer the validator refuses (a required one left empty included). */
  withProblems: FormItem[];
}

/**
 * Each asked section's state. A required answer still missing is an error only once the section was
 * attempted (its "Next" or "Complete" tapped): until then the section is merely open.
 */
export function sectionSummaries(form: CompiledForm, answers: Answers, attempted: ReadonlySet<string>): SectionSummary[] {
  const { byItem } = groupProblems(form.validateAnswers(answers));
  return askedSections(form, answers).map((section, index) => {
    const items = askedItems(form, section.id, answers);
    const unanswered = items.filter((fi) => !isAnswered(answers[fi.item.id]));
    const withProblems = items.filter((fi) => byItem.has(fi.item.id));
    const beyondRequired = withProblems.some((fi) => (byItem.get(fi.item.id) ?? []).some((p) => p.code !== 'required'));
    const state: SectionState =
      withProblems.length === 0 ? 'complete' : beyondRequired || attempted.has(section.id) ? 'errors' : 'open';
    return { section, index, state, unanswered, withProblems };
  });
}

/** A grid row as shown: its statement and the items of the row still asked. */
export interface AskedGridRow {
  label: LocalizedText;
  /** Each asked item of the row with its position among the row's items (the column it stands in). */
  cells: Array<{ formItem: FormItem; column: number }>;
}

export type AskedBlock = { kind: 'item'; formItem: FormItem } | { kind: 'grid'; block: Extract<SectionBlock, { kind: 'grid' }>; rows: AskedGridRow[] };

/**
 * The blocks of a section (single items and grids, as its layout says) holding only the items asked:
 * a row none of whose items is asked disappears, and so does a grid with no row left. With
 * `scalesAsRows` (the compact presentation) a scale item in no grid becomes a grid of one row: its
 * answers on one line instead of a card of options.
 */
export function askedBlocks(form: CompiledForm, section: Section, answers: Answers, options: { scalesAsRows?: boolean } = {}): AskedBlock[] {
  const asked = new Map(askedItems(form, section.id, answers).map((fi) => [fi.item.id, fi]));
  const blocks: AskedBlock[] = [];
  for (const block of sectionBlocks(section)) {
    if (block.kind === 'item') {
      const formItem = asked.get(block.item.id);
      if (formItem && options.scalesAsRows && formItem.item.type === 'scale') {
        const row = { label: formItem.item.label, items: [formItem.item] };
        blocks.push({ kind: 'grid', block: { kind: 'grid', columns: [], rows: [row] }, rows: [{ label: row.label, cells: [{ formItem, column: 0 }] }] });
      } else if (formItem) blocks.push({ kind: 'item', formItem });
      continue;
    }
    const rows = block.rows
      .map((row) => ({
        label: row.label,
        cells: row.items.flatMap((item, column) => {
          const formItem = asked.get(item.id);
          return formItem ? [{ formItem, column }] : [];
        }),
      }))
      .filter((row) => row.cells.length > 0);
    if (rows.length > 0) blocks.push({ kind: 'grid', block, rows });
  }
  return blocks;
}

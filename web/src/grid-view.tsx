import type { Problem } from '../../survey-forms/ajv';
import type { CompiledForm, FormItem } from '../../survey-forms/form';
import type { AnswerCode, LocalizedText, Option, Scale } from '../../survey-forms/form-definition.schema';
import type { AskedBlock } from './form-overview';
import { label, problemMessage, type Lang } from './i18n';

type GridBlock = Extract<AskedBlock, { kind: 'grid' }>;

export interface GridViewProps {
  form: CompiledForm;
  grid: GridBlock;
  lang: Lang;
  value: (itemId: string) => unknown;
  problemsOf: (itemId: string) => Problem[];
  onChange: (itemId: string, value: AnswerCode) => void;
}

/**
 * A run of scale items laid out as the questionnaire's grid says: one row per statement, each of the
 * row's items (perception and satisfaction of a criterion, say) a line of one-tap answers — the
 * scale's codes and "not applicable" — under one statement instead of a card each. Each item keeps
 * its own radio group (`#item-<id>`), so answers, problems and skip rules stay the items' own.
 */
export function GridView({ form, grid, lang, value, problemsOf, onChange }: GridViewProps) {
  const { columns } = grid.block;
  const first = grid.rows[0];
  // The scale of each column, from the first row: the key says once what the codes mean.
  const keys = (first?.cells ?? []).flatMap(({ formItem, column }) => {
    const scale = scaleOf(form, formItem);
    return scale ? [{ heading: columns[column], scale }] : [];
  });
  return (
    <div class="grid-block">
      <dl class="grid-key">
        {keys.map(({ heading, scale }, k) => (
          <div key={k}>
            {heading && <dt>{label(heading, lang)}</dt>}
            <dd>{scaleEnds(scale, lang)}</dd>
          </div>
        ))}
      </dl>
      {grid.rows.map((row, r) => {
        const statementId = `grid-row-${row.cells[0]?.formItem.item.id ?? r}`;
        return (
          <div class="grid-row" key={statementId}>
            <p class="grid-statement" id={statementId}>
              {label(row.label, lang)}
            </p>
            <div class="grid-answers">
              {row.cells.map(({ formItem: fi, column }) => (
                <GridAnswer
                  key={fi.item.id}
                  form={form}
                  formItem={fi}
                  column={columns[column]}
                  statement={label(row.label, lang)}
                  lang={lang}
                  value={value(fi.item.id)}
                  problems={problemsOf(fi.item.id)}
                  onChange={(code) => onChange(fi.item.id, code)}
                />
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}

/** What the codes mean, by the scale's two ends ("1 = Rất không hài lòng … 5 = Rất hài lòng"); every button also names its own option. */
function scaleEnds(scale: Scale, lang: Lang): string {
  const first = scale.options[0];
  const last = scale.options[scale.options.length - 1];
  if (!first || !last) return '';
  return `${String(first.code)} = ${label(first.label, lang)} … ${String(last.code)} = ${label(last.label, lang)}`;
}

function scaleOf(form: CompiledForm, fi: FormItem): Scale | undefined {
  return fi.item.type === 'scale' ? form.definition.scales[fi.item.scale] : undefined;
}

interface GridAnswerProps {
  form: CompiledForm;
  formItem: FormItem;
  column: LocalizedText | undefined;
  statement: string;
  lang: Lang;
  value: unknown;
  problems: Problem[];
  onChange: (code: AnswerCode) => void;
}

function GridAnswer({ form, formItem, column, statement, lang, value, problems, onChange }: GridAnswerProps) {
  const { item } = formItem;
  const scale = scaleOf(form, formItem);
  const invalid = problems.length > 0;
  const choice = (option: Option, na: boolean) => (
    <label class={`grid-choice${na ? ' na' : ''}`} key={String(option.code)} title={label(option.label, lang)}>
      <input type="radio" name={item.id} value={String(option.code)} checked={value === option.code} onChange={() => onChange(option.code)} />
      {na ? (
        <span class="grid-choice-text">{label(option.label, lang)}</span>
      ) : (
        <>
          <span class="grid-choice-text" aria-hidden="true">
            {String(option.code)}
          </span>
          <span class="sr-only">{label(option.label, lang)}</span>
        </>
      )}
    </label>
  );
  return (
    <fieldset class={`item grid-answer${invalid ? ' invalid' : ''}`} id={`item-${item.id}`} aria-describedby={invalid ? `problem-${item.id}` : undefined}>
      <legend class="grid-legend">
        {statement} — {column ? label(column, lang) : label(item.label, lang)}
      </legend>
      <div class="grid-choices">
        {column && (
          <span class="grid-tag" aria-hidden="true">
            {label(column, lang)}
          </span>
        )}
        {(scale?.options ?? []).map((o) => choice(o, false))}
        {scale?.notApplicable && choice(scale.notApplicable, true)}
      </div>
      {invalid && (
        <div class="problem" role="alert" id={`problem-${item.id}`}>
          {problems.map((p) => (
            <p key={p.code}>{problemMessage(p, lang, item)}</p>
          ))}
        </div>
      )}
    </fieldset>
  );
}

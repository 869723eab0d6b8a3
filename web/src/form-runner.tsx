import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Problem } from '../../survey-forms/ajv';
import type { CompiledForm, FormItem } from '../../survey-forms/form';
import type { AnswerCode, Option } from '../../survey-forms/form-definition.schema';
import {
  askedItems,
  askedSections,
  firstSectionWithProblem,
  groupProblems,
  parseIntegerInput,
  sectionProblems,
  setAnswer,
  toggleCode,
  type Answers,
} from './form-model';
import { askedBlocks, sectionSummaries } from './form-overview';
import { ReviewScreen, SectionOverview } from './form-review';
import { GridView } from './grid-view';
import { label, problemMessage, translate, type Lang } from './i18n';

export interface FormRunnerProps {
  form: CompiledForm;
  lang: Lang;
  answers: Answers;
  /** Index among the sections asked. */
  sectionIndex: number;
  /** Why the server refused this response before (shown until the answers change them). */
  serverProblems?: ReadonlyArray<Problem>;
  /** The supervisor's comments of a returned response, shown beside their items. */
  reviewComments?: ReadonlyArray<{ item: string; text: string }>;
  onAnswers: (answers: Answers) => void;
  onSection: (index: number) => void;
  /** Called when every check passes on "Complete". */
  onComplete: () => void;
  /** Above the section title: who is interviewed, the save state. */
  header?: ComponentChildren;
}

/**
 * Walks a questionnaire version, one section per screen: any version, from its data. Items not
 * asked (skip rules) are hidden and their answers dropped; problems come from the questionnaire's
 * own validator, worded for people. Runs of scale items that the section's layout gathers into a
 * grid are shown as one row per statement (`grid-view.tsx`); a folded overview of the sections jumps
 * to any of them, and "Hoàn thành phiếu" opens a review of what is unanswered before it completes.
 */
export function FormRunner(props: FormRunnerProps) {
  const { form, lang, answers } = props;
  const t = translate(lang);
  const sections = askedSections(form, answers);
  const index = Math.min(Math.max(0, props.sectionIndex), sections.length - 1);
  const section = sections[index];
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState<ReadonlySet<string>>(new Set());
  const [reviewing, setReviewing] = useState(false);
  // The item to bring into view once a jump (from the overview or the review) has opened its section.
  const [jumpTo, setJumpTo] = useState<string | undefined>();
  const problems = useMemo(() => (section ? sectionProblems(form, section.id, answers) : new Map<string, Problem[]>()), [form, section, answers]);
  const server = useMemo(() => groupProblems(props.serverProblems ?? []), [props.serverProblems]);

  useEffect(() => {
    const target = jumpTo ? document.getElementById(`item-${jumpTo}`) : null;
    if (target) target.scrollIntoView({ block: 'center' });
    else window.scrollTo(0, 0);
    setJumpTo(undefined);
  }, [section?.id, reviewing, jumpTo]);

  if (!section) return null;
  const items = askedItems(form, section.id, answers);
  const shownFor = (itemId: string): Problem[] => {
    const own = problems.get(itemId) ?? [];
    if (attempted.has(section.id)) return own;
    // While typing, say what is wrong with what was typed; "required" waits for "Next".
    return touched.has(itemId) ? own.filter((p) => p.code !== 'required') : [];
  };
  const visibleCount = items.filter((fi) => shownFor(fi.item.id).length > 0).length;

  const change = (itemId: string, value: unknown): void => {
    setTouched(new Set([...touched, itemId]));
    props.onAnswers(setAnswer(form, answers, itemId, value));
  };
  const goNext = (): void => {
    if (problems.size > 0) {
      setAttempted(new Set([...attempted, section.id]));
      const first = items.find((fi) => problems.has(fi.item.id));
      if (first) document.getElementById(`item-${first.item.id}`)?.scrollIntoView({ block: 'center' });
      return;
    }
    props.onSection(index + 1);
  };
  const complete = (): void => {
    const all = groupProblems(form.validateAnswers(answers)).byItem;
    if (all.size === 0) {
      props.onComplete();
      return;
    }
    const target = firstSectionWithProblem(form, answers, all);
    setAttempted(new Set(askedSections(form, answers).map((s) => s.id)));
    setReviewing(false);
    props.onSection(target < 0 ? index : target);
  };
  const jump = (target: number, itemId?: string): void => {
    setReviewing(false);
    setJumpTo(itemId);
    props.onSection(target);
  };
  const review = (): void => {
    setAttempted(new Set(sections.map((s) => s.id)));
    setReviewing(true);
  };
  const last = index === sections.length - 1;
  const summaries = sectionSummaries(form, answers, attempted);
  // A version that lays out grids asks to be shown compactly throughout: choices in two columns, lone scales on one line.
  const compact = form.definition.sections.some((s) => s.layout !== undefined);

  if (reviewing) {
    return (
      <div class="form">
        {props.header}
        <ReviewScreen form={form} summaries={summaries} lang={lang} onJump={jump} onConfirm={complete} />
      </div>
    );
  }

  return (
    <div class={compact ? 'form compact' : 'form'}>
      {props.header}
      {server.general.length + server.byItem.size > 0 && (
        <div class="notice notice-error" role="alert">
          <strong>{t('serverRejected')}</strong>
          <ul>
            {[...server.general, ...[...server.byItem.values()].flat()].map((p) => (
              <li key={`${p.path}-${p.code}`}>{problemMessage(p, lang, itemOf(form, p))}</li>
            ))}
          </ul>
        </div>
      )}
      {sections.length > 1 ? (
        <SectionOverview summaries={summaries} current={index} lang={lang} onJump={(target) => jump(target)} />
      ) : (
        <p class="progress">{t('section', { n: index + 1, total: sections.length })}</p>
      )}
      <h2 class="section-title">{label(section.title, lang)}</h2>
      {visibleCount > 0 && attempted.has(section.id) && (
        <p class="notice notice-error" role="alert">
          {t('fixBelow', { count: visibleCount })}
        </p>
      )}
      {askedBlocks(form, section, answers, { scalesAsRows: compact }).map((block) =>
        block.kind === 'grid' ? (
          <div key={`grid-${block.rows[0]?.cells[0]?.formItem.item.id ?? ''}`}>
            {/* A returned response's comments on items of the grid, above it (the grid rows have no room). */}
            {props.reviewComments
              ?.filter((c) => block.rows.some((row) => row.cells.some((cell) => cell.formItem.item.id === c.item)))
              .map((c) => (
                <span key={`${c.item}-${c.text}`} class="review-comment">
                  {c.item}: {c.text}
                </span>
              ))}
            <GridView form={form} grid={block} lang={lang} value={(itemId) => answers[itemId]} problemsOf={shownFor} onChange={change} />
          </div>
        ) : (
          <ItemView
            key={block.formItem.item.id}
            form={form}
            formItem={block.formItem}
            lang={lang}
            value={answers[block.formItem.item.id]}
            problems={shownFor(block.formItem.item.id)}
            comment={props.reviewComments?.filter((c) => c.item === block.formItem.item.id).map((c) => c.text).join(' ')}
            onChange={(v) => change(block.formItem.item.id, v)}
          />
        ),
      )}
      <nav class="form-nav">
        <button type="button" class="secondary" disabled={index === 0} onClick={() => props.onSection(index - 1)}>
          {t('back')}
        </button>
        {last ? (
          <button type="button" class="primary" onClick={review}>
            {t('complete')}
          </button>
        ) : (
          <button type="button" class="primary" onClick={goNext}>
            {t('next')}
          </button>
        )}
      </nav>
    </div>
  );
}

function itemOf(form: CompiledForm, problem: Problem) {
  const match = /^\/answers\/([^/]+)/.exec(problem.path);
  return match?.[1] ? form.itemById.get(match[1])?.item : undefined;
}

function optionsOf(form: CompiledForm, fi: FormItem): { options: Option[]; notApplicable?: Option } {
  const { item } = fi;
  if (item.type === 'scale') {
    const scale = form.definition.scales[item.scale];
    return { options: scale?.options ?? [], ...(scale?.notApplicable ? { notApplicable: scale.notApplicable } : {}) };
  }
  if (item.type === 'single' || item.type === 'multiple') {
    return { options: item.options ?? form.definition.codeLists[item.codeList ?? ''] ?? [] };
  }
  return { options: [] };
}

interface ItemViewProps {
  form: CompiledForm;
  formItem: FormItem;
  lang: Lang;
  value: unknown;
  problems: Problem[];
  comment?: string | undefined;
  onChange: (value: unknown) => void;
}

function ItemView({ form, formItem, lang, value, problems, comment, onChange }: ItemViewProps) {
  const t = translate(lang);
  const { item } = formItem;
  const inputId = `input-${item.id}`;
  const invalid = problems.length > 0;
  const heading = (
    <>
      <span class="item-label">{label(item.label, lang)}</span>
      {item.required === false && <span class="optional"> {t('optional')}</span>}
      {item.hint && <span class="hint">{label(item.hint, lang)}</span>}
      {comment && (
        <span class="review-comment" data-item={item.id}>
          {t('supervisorComment')}: {comment}
        </span>
      )}
    </>
  );
  const messages = invalid && (
    <div class="problem" role="alert" id={`problem-${item.id}`}>
      {problems.map((p) => (
        <p key={p.code}>{problemMessage(p, lang, item)}</p>
      ))}
    </div>
  );

  if (item.type === 'single' || item.type === 'scale' || item.type === 'multiple') {
    const { options, notApplicable } = optionsOf(form, formItem);
    const multiple = item.type === 'multiple';
    const codes = options.map((o) => o.code);
    const checked = (code: AnswerCode): boolean => (multiple ? Array.isArray(value) && (value as AnswerCode[]).includes(code) : value === code);
    const pick = (code: AnswerCode): void => onChange(multiple ? toggleCode(codes, value, code) : code);
    const choice = (option: Option, extraClass = '') => (
      <label class={`choice ${extraClass}`} key={String(option.code)}>
        <input
          type={multiple ? 'checkbox' : 'radio'}
          name={item.id}
          value={String(option.code)}
          checked={checked(option.code)}
          onChange={() => pick(option.code)}
        />
        <span>{label(option.label, lang)}</span>
      </label>
    );
    return (
      <fieldset class={`item${invalid ? ' invalid' : ''}`} id={`item-${item.id}`} aria-describedby={invalid ? `problem-${item.id}` : undefined}>
        <legend>{heading}</legend>
        {multiple && item.maxSelected !== undefined && <p class="hint">{t('chooseUpTo', { max: item.maxSelected })}</p>}
        <div class={`choices${item.type === 'scale' ? ' scale' : ''}`}>{options.map((o) => choice(o))}</div>
        {notApplicable && <div class="choices not-applicable">{choice(notApplicable, 'na')}</div>}
        {messages}
      </fieldset>
    );
  }

  if (item.type === 'text') {
    const text = typeof value === 'string' ? value : '';
    const max = item.maxLength ?? 2000;
    return (
      <div class={`item${invalid ? ' invalid' : ''}`} id={`item-${item.id}`}>
        <label for={inputId}>{heading}</label>
        <textarea id={inputId} rows={3} maxLength={max} value={text} onInput={(e) => onChange((e.target as HTMLTextAreaElement).value)} />
        <p class="counter">{t('charsLeft', { count: max - text.length })}</p>
        {messages}
      </div>
    );
  }

  return (
    <div class={`item${invalid ? ' invalid' : ''}`} id={`item-${item.id}`}>
      <label for={inputId}>{heading}</label>
      <input
        id={inputId}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        value={typeof value === 'number' || typeof value === 'string' ? String(value) : ''}
        onInput={(e) => onChange(parseIntegerInput((e.target as HTMLInputElement).value))}
      />
      {(item.minimum !== undefined || item.maximum !== undefined) && (
        <p class="hint">
          {item.minimum ?? '…'} – {item.maximum ?? '…'}
        </p>
      )}
      {messages}
    </div>
  );
}

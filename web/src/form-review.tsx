import type { CompiledForm } from '../../survey-forms/form';
import type { SectionState, SectionSummary } from './form-overview';
import { label, translate, type Lang } from './i18n';

const STATE_KEY = { complete: 'state.complete', errors: 'state.errors', open: 'state.open' } as const satisfies Record<SectionState, string>;

/**
 * Every section asked, with whether it is complete or has errors, to jump to: folded under one line
 * so it costs a phone screen nothing until it is opened.
 */
export function SectionOverview({ summaries, current, lang, onJump }: { summaries: SectionSummary[]; current: number; lang: Lang; onJump: (index: number) => void }) {
  const t = translate(lang);
  const done = summaries.filter((s) => s.state === 'complete').length;
  const errors = summaries.filter((s) => s.state === 'errors').length;
  return (
    <details class="overview">
      <summary>
        <span class="progress">{t('section', { n: current + 1, total: summaries.length })}</span>
        <span class="overview-done">· {t('overviewSummary', { done, total: summaries.length })}</span>
        {errors > 0 && <span class="overview-errors"> · {t('overviewErrors', { count: errors })}</span>}
      </summary>
      <SectionList summaries={summaries} current={current} lang={lang} onJump={onJump} />
    </details>
  );
}

function SectionList({ summaries, current, lang, onJump }: { summaries: SectionSummary[]; current: number; lang: Lang; onJump: (index: number) => void }) {
  const t = translate(lang);
  return (
    <ol class="section-list">
      {summaries.map((s) => (
        <li key={s.section.id}>
          <button type="button" class={`section-link state-${s.state}`} aria-current={s.index === current ? 'step' : undefined} onClick={() => onJump(s.index)}>
            <span class="section-link-title">
              {s.index + 1}. {label(s.section.title, lang)}
            </span>
            <span class="section-state">{t(STATE_KEY[s.state])}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

export interface ReviewScreenProps {
  form: CompiledForm;
  summaries: SectionSummary[];
  lang: Lang;
  /** Opens a section, scrolled to an item when one is given. */
  onJump: (index: number, itemId?: string) => void;
  onConfirm: () => void;
}

/**
 * The last look before "Hoàn thành phiếu": the sections' states, every question left unanswered (each
 * a link to it), and the confirmation. Answers the validator refuses must be fixed first; questions
 * that may stay empty are listed and the respondent or enumerator confirms leaving them so.
 */
export function ReviewScreen({ summaries, lang, onJump, onConfirm }: ReviewScreenProps) {
  const t = translate(lang);
  const toFix = summaries.flatMap((s) => s.withProblems.map((fi) => ({ s, fi })));
  const fixIds = new Set(toFix.map(({ fi }) => fi.item.id));
  const optional = summaries.flatMap((s) => s.unanswered.filter((fi) => !fixIds.has(fi.item.id)).map((fi) => ({ s, fi })));
  const firstFix = toFix[0];
  return (
    <div class="review">
      <h2 class="section-title">{t('reviewTitle')}</h2>
      <SectionList summaries={summaries} current={-1} lang={lang} onJump={(index) => onJump(index)} />
      {toFix.length > 0 && (
        <div class="notice notice-error" role="alert">
          <p>
            <strong>{t('reviewMustFix', { count: toFix.length })}</strong>
          </p>
          <ul class="review-items">
            {toFix.map(({ s, fi }) => (
              <li key={fi.item.id}>
                <button type="button" class="link" onClick={() => onJump(s.index, fi.item.id)}>
                  {s.index + 1}. {label(fi.item.label, lang)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {optional.length > 0 && (
        <div class="notice">
          <p>
            <strong>{t('reviewUnanswered', { count: optional.length })}</strong>
          </p>
          <ul class="review-items">
            {optional.map(({ s, fi }) => (
              <li key={fi.item.id}>
                <button type="button" class="link" onClick={() => onJump(s.index, fi.item.id)}>
                  {s.index + 1}. {label(fi.item.label, lang)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {toFix.length === 0 && optional.length === 0 && <p class="notice notice-ok">{t('reviewAllAnswered')}</p>}
      <nav class="form-nav">
        <button type="button" class="secondary" onClick={() => onJump(summaries.length - 1)}>
          {t('back')}
        </button>
        {firstFix ? (
          <button type="button" class="primary" onClick={() => onJump(firstFix.s.index, firstFix.fi.item.id)}>
            {t('reviewFixFirst')}
          </button>
        ) : (
          <button type="button" class="primary" onClick={onConfirm}>
            {optional.length > 0 ? t('confirmCompleteAnyway') : t('confirmComplete')}
          </button>
        )}
      </nav>
    </div>
  );
}

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CompiledForm } from '../../../survey-forms/form';
import type { Draft } from '../device-store';
import { compiledForm, completeDraft, formKey, type FieldWorkDeps } from '../field-work';
import { askedSections, type Answers } from '../form-model';
import { FormRunner } from '../form-runner';
import { formatTime, translate, type Lang } from '../i18n';
import { tick } from '../paradata';

/**
 * One interview. Every change is written to IndexedDB at once (writes queue in order), so a
 * reload, a closed tab or a dead battery loses at most the keystroke in flight.
 */
export function FormScreen({ deps, lang, draftId, onLeave }: { deps: FieldWorkDeps; lang: Lang; draftId: string; onLeave: (message?: string) => Promise<void> }) {
  const t = translate(lang);
  const [draft, setDraft] = useState<Draft | undefined>();
  const [form, setForm] = useState<CompiledForm | undefined>();
  const [missing, setMissing] = useState(false);
  const [savedAt, setSavedAt] = useState<string | undefined>();
  const latest = useRef<Draft | undefined>(undefined);
  const writes = useRef<Promise<void>>(Promise.resolve());

  const save = useCallback(
    (next: Draft) => {
      latest.current = next;
      setDraft(next);
      const { answers, sectionIndex, clock, updatedAt } = next;
      writes.current = writes.current
        .then(() => deps.store.patchDraft(next.id, () => ({ answers, sectionIndex, clock, updatedAt })))
        .then(() => setSavedAt(updatedAt));
    },
    [deps.store],
  );
  const sectionIdOf = (d: Draft, f: CompiledForm): string | null => askedSections(f, d.answers)[d.sectionIndex]?.id ?? null;

  useEffect(() => {
    void (async () => {
      const found = await deps.store.draft(draftId);
      const record = found ? await deps.store.form(formKey(found.formId, found.formVersion)) : undefined;
      if (!found || !record) {
        setMissing(true);
        return;
      }
      const compiled = compiledForm(record.definition);
      setForm(compiled);
      // A stretch left running before a reload counts only if it was short (see paradata.ts).
      save({ ...found, clock: tick(found.clock, Date.now(), sectionIdOf(found, compiled)) });
      setSavedAt(found.updatedAt);
    })();
  }, [draftId]);

  useEffect(() => {
    if (!form) return;
    const onVisibility = () => {
      const current = latest.current;
      if (!current) return;
      const sectionId = document.visibilityState === 'visible' ? sectionIdOf(current, form) : null;
      save({ ...current, clock: tick(current.clock, Date.now(), sectionId) });
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [form, save]);

  if (missing) {
    return (
      <section class="card">
        <p class="notice">{t('formMissing')}</p>
        <button type="button" class="secondary" onClick={() => void onLeave()}>
          {t('toList')}
        </button>
      </section>
    );
  }
  if (!draft || !form) return <div aria-busy="true" />;

  const update = (change: { answers?: Answers; sectionIndex?: number }) => {
    const current = latest.current ?? draft;
    const answers = change.answers ?? current.answers;
    const sectionIndex = change.sectionIndex ?? current.sectionIndex;
    const now = new Date();
    const sectionId = askedSections(form, answers)[sectionIndex]?.id ?? null;
    save({ ...current, answers, sectionIndex, clock: tick(current.clock, now.getTime(), sectionId), updatedAt: now.toISOString() });
  };

  return (
    <FormRunner
      form={form}
      lang={lang}
      answers={draft.answers}
      sectionIndex={draft.sectionIndex}
      {...(draft.serverProblems ? { serverProblems: draft.serverProblems } : {})}
      {...(draft.reviewComments ? { reviewComments: draft.reviewComments } : {})}
      onAnswers={(answers) => update({ answers })}
      onSection={(sectionIndex) => update({ sectionIndex })}
      onComplete={() =>
        void (async () => {
          await writes.current;
          await completeDraft(deps, draft.id, form);
          await onLeave(t('completed'));
        })()
      }
      header={
        <div class="form-head">
          <button type="button" class="link" onClick={() => void writes.current.then(() => onLeave())}>
            {t('toList')}
          </button>
          <p class="respondent">
            {t('respondent')}: <strong>{draft.unitLabel}</strong>
          </p>
          <p class="saved" role="status" data-testid="draft-saved">
            {savedAt ? t('draftSaved', { time: formatTime(savedAt, lang) }) : ''}
          </p>
        </div>
      }
    />
  );
}

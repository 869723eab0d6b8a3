import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Problem } from '../../../survey-forms/ajv';
import validators from 'sipas:form-validators';
import { compileForm, type CompiledForm } from '../../../survey-forms/form';
import { api, type RespondentQuestionnaireReply } from '../../shared/api-client';
import { useStoredLanguage } from '../../shared/use-language';
import { withoutUnasked, type Answers } from '../../src/form-model';
import { FormRunner } from '../../src/form-runner';
import { formatTime } from '../../src/i18n';
import { newUuid } from '../../src/uuid';
import { translate } from './i18n';
import { forgetDraft, loadDraft, storeDraft, type RespondentDraft } from './respondent-draft';

/**
 * The respondent page, /r/<token>: no account, the token in the address is the key. A consent
 * text, then the round's questionnaire in the enumerators' form runner (same validator), a draft kept
 * on the device as the respondent goes, and one submission.
 */
const token = decodeURIComponent(location.pathname.split('/')[2] ?? '');

type Ended = 'done' | 'used' | 'withdrawn' | 'expired' | 'unknown';
type Screen =
  | { kind: 'loading' }
  | { kind: 'ended'; why: Ended }
  | { kind: 'busy' }
  | { kind: 'consent'; reply: RespondentQuestionnaireReply; form: CompiledForm }
  | { kind: 'form'; reply: RespondentQuestionnaireReply; form: CompiledForm; draft: RespondentDraft; resumed: boolean };

function endedBy(code: string | undefined, status: number): Ended {
  if (code === 'link_used') return 'used';
  if (code === 'link_withdrawn') return 'withdrawn';
  if (code === 'link_expired') return 'expired';
  return status === 404 ? 'unknown' : 'expired';
}

function RespondentPage() {
  const [lang, switchLang] = useStoredLanguage('sipas-respond-lang', (l) => translate(l)('title'));
  const t = translate(lang);
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });
  const [serverProblems, setServerProblems] = useState<ReadonlyArray<Problem>>([]);
  const [sendFailed, setSendFailed] = useState(false);

  useEffect(() => {
    void (async () => {
      const outcome = token ? await api.respondQuestionnaire(token) : { kind: 'http' as const, status: 404, message: 'no token' };
      if (outcome.kind === 'ok') {
        const form = compileForm(outcome.value.form, `${outcome.value.formId}@${outcome.value.formVersion}`, validators);
        const kept = loadDraft(token);
        // Agreed before on this device: straight back to where they were.
        if (kept) setScreen({ kind: 'form', reply: outcome.value, form, draft: kept, resumed: true });
        else setScreen({ kind: 'consent', reply: outcome.value, form });
        return;
      }
      if (outcome.kind === 'http' && outcome.status === 429) return setScreen({ kind: 'busy' });
      setScreen({ kind: 'ended', why: outcome.kind === 'http' ? endedBy(outcome.code, outcome.status) : 'unknown' });
    })();
  }, []);

  const save = (draft: RespondentDraft, toServer: boolean): void => {
    storeDraft(token, draft);
    if (screen.kind === 'form') setScreen({ ...screen, draft });
    if (toServer) void api.respondSaveDraft(token, draft.answers);
  };

  const bar = (extra?: string) => (
    <div class="respond-bar">
      <h1>{t('title')}</h1>
      <button type="button" class="secondary" onClick={switchLang} lang={lang === 'vi' ? 'en' : 'vi'}>
        {t('language')}
      </button>
      {extra !== undefined && (
        <p class="saved" role="status" data-testid="draft-saved">
          {extra}
        </p>
      )}
    </div>
  );

  if (screen.kind === 'loading') return <p aria-busy="true">{t('loading')}</p>;
  if (screen.kind === 'busy' || screen.kind === 'ended') {
    const why = screen.kind === 'busy' ? 'busy' : screen.why;
    return (
      <>
        {bar()}
        <section class="card done" data-page={why}>
          <h2>{t(why === 'done' ? 'doneTitle' : `${why}Title`)}</h2>
          <p>{t(why)}</p>
        </section>
      </>
    );
  }
  if (screen.kind === 'consent') {
    const { reply, form } = screen;
    const start = (): void => {
      const now = new Date().toISOString();
      const answers = withoutUnasked(form, { ...reply.prefill, ...(reply.draft?.answers ?? {}) });
      const draft: RespondentDraft = { responseId: newUuid(), startedAt: now, answers, sectionIndex: 0, savedAt: now };
      storeDraft(token, draft);
      setScreen({ kind: 'form', reply, form, draft, resumed: false });
    };
    return (
      <>
        {bar()}
        <section class="card consent">
          <h2>{t('consentTitle')}</h2>
          <p>{reply.consent[lang]}</p>
          <button type="button" class="primary" onClick={start}>
            {t('agree')}
          </button>
        </section>
      </>
    );
  }

  const { form, draft } = screen;
  const submit = async (): Promise<void> => {
    setSendFailed(false);
    const outcome = await api.respondSubmit(token, {
      id: draft.responseId,
      answers: draft.answers,
      paradata: { startedAt: draft.startedAt, endedAt: new Date().toISOString(), appVersion: 'respondent-page' },
    });
    if (outcome.kind === 'ok') {
      forgetDraft(token);
      setScreen({ kind: 'ended', why: 'done' });
    } else if (outcome.kind === 'http' && outcome.status === 400 && outcome.details) {
      setServerProblems(outcome.details.map((d) => ({ ...d, path: d.path.replace(/^\/body/, '') })));
    } else if (outcome.kind === 'http' && outcome.status === 410) {
      forgetDraft(token);
      setScreen({ kind: 'ended', why: endedBy(outcome.code, outcome.status) });
    } else setSendFailed(true);
  };
  return (
    <>
      {sendFailed && (
        <div class="notice notice-error" role="alert">
          <strong>{t('offlineTitle')}</strong> {t('offline')}{' '}
          <button type="button" class="secondary" onClick={() => void submit()}>
            {t('retry')}
          </button>
        </div>
      )}
      <FormRunner
        form={form}
        lang={lang}
        answers={draft.answers}
        sectionIndex={draft.sectionIndex}
        serverProblems={serverProblems}
        onAnswers={(answers: Answers) => save({ ...draft, answers, savedAt: new Date().toISOString() }, false)}
        onSection={(sectionIndex) => save({ ...draft, sectionIndex, savedAt: new Date().toISOString() }, true)}
        onComplete={() => void submit()}
        header={bar(`${screen.resumed ? `${t('resumed')} ` : ''}${t('savedOnDevice', { time: formatTime(draft.savedAt, lang) })}`)}
      />
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<RespondentPage />, root);

import { useEffect, useRef, useState } from 'preact/hooks';
import { codeMessage } from '../../../survey-forms/codes';
import { answerLines, flagEvidenceWords, paradataTimeline } from '../../../survey-forms/review-words';
import { api, orThrow, type FormDefinition, type ReviewListReply, type ReviewResponseView } from '../../shared/api-client';
import { ruleLabel, translate, type Lang } from './i18n';
import type { ViewState } from './view-state';

type Decision = 'approved' | 'rejected' | 'returned';

/**
 * One response as a reviewer reads it: each answer with its question and answer label, the flags'
 * evidence in words, the paradata as a timeline. Approve (A), reject (R), return to the enumerator
 * with a comment per item, next (N). A decision names the state this page shows; if someone decided
 * meanwhile the server refuses it (409 `stale_decision`) and the page says so.
 */
export function ReviewScreen(props: {
  lang: Lang;
  token: string;
  roundId: string;
  form: FormDefinition;
  responseId: string;
  queue: ReviewListReply | null;
  view: ViewState;
  setView: (v: ViewState) => void;
  onDecided: () => void;
}) {
  const { lang, token, roundId, form, responseId } = props;
  const t = translate(lang);
  const [response, setResponse] = useState<ReviewResponseView | null>(null);
  const [reason, setReason] = useState('');
  const [comments, setComments] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setResponse(null);
    setComments({});
    setReason('');
    orThrow(api.response(token, roundId, responseId)).then(setResponse, (e: Error) => setMessage(e.message));
  }, [responseId, token]);

  const ids = props.queue?.responses.map((r) => r.id) ?? [];
  /** The next response of the queue; with none left, the screen stays on this one, showing its new state. */
  const next = (): boolean => {
    const after = ids[ids.indexOf(responseId) + 1] ?? ids.find((id) => id !== responseId) ?? null;
    if (after === null) return false;
    props.setView({ ...props.view, response: after });
    return true;
  };
  const decide = async (decision: Decision) => {
    if (!response) return;
    const text = reason.trim();
    if (text.length < 3) {
      setMessage(t('reasonNeeded'));
      reasonRef.current?.focus();
      return;
    }
    const commentList = Object.entries(comments)
      .map(([item, c]) => ({ item, text: c.trim() }))
      .filter((c) => c.text !== '');
    if (decision === 'returned' && commentList.length === 0) return setMessage(t('commentNeeded'));
    const outcome = await api.decide(token, roundId, response.id, {
      decision,
      reason: text,
      expectedStatus: response.reviewStatus,
      ...(decision === 'returned' ? { comments: commentList } : {}),
    });
    if (outcome.kind === 'ok') {
      setMessage(t(`done_${decision}`));
      props.onDecided();
      if (!next()) setResponse(outcome.value);
    } else if (outcome.kind === 'http' && outcome.code === 'stale_decision') setMessage(codeMessage('stale_decision', lang));
    else setMessage(t('failed', { message: outcome.message ?? outcome.kind }));
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const key = e.key.toLowerCase();
      if (key === 'a') void decide('approved');
      else if (key === 'r') void decide('rejected');
      else if (key === 'n') void next();
      else if (key === 'escape') props.setView({ ...props.view, response: null });
      else return;
      e.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  });

  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const lines = response ? answerLines(form, response.answers, lang) : [];
  return (
    <section aria-labelledby="review-title" class="review-screen">
      <h2 id="review-title">{t('reviewTitle', { id: responseId.slice(0, 8) })}</h2>
      <p class="shortcuts">{t('shortcuts')}</p>
      {message && <p class="message" role="status">{message}</p>}
      {!response ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : (
        <>
          <dl class="facts">
            <dt>{t('province')}</dt><dd>{response.provinceName}</dd>
            <dt>{t('postOffice')}</dt><dd>{response.postOffice ?? '–'}</dd>
            <dt>{t('enumerator')}</dt><dd>{response.submittedBy}</dd>
            <dt>{t('status')}</dt><dd data-status={response.reviewStatus}>{t(`review_${response.reviewStatus}`)}</dd>
            {response.correctsResponseId && (<><dt>{t('corrects')}</dt><dd>{response.correctsResponseId}</dd></>)}
          </dl>
          <h3>{t('flags')}</h3>
          {response.qualityFlags.length === 0 ? (
            <p>{t('noFlags')}</p>
          ) : (
            <ul class="flags">
              {response.qualityFlags.map((f) => (
                <li><strong>{ruleLabel(lang, f.rule)}:</strong> {flagEvidenceWords(f.rule, f.evidence, lang)}</li>
              ))}
            </ul>
          )}
          <h3>{t('timeline')}</h3>
          <ol class="timeline">
            {paradataTimeline(form, response.paradata, lang).map((step) => (
              <li>
                {step.at ? <time dateTime={step.at}>{new Date(step.at).toLocaleString(locale)}</time> : null} {step.label}
                {step.seconds !== null ? ` — ${t('minutes', { n: (step.seconds / 60).toFixed(1) })}` : ''}
              </li>
            ))}
          </ol>
          <h3>{t('answers')}</h3>
          <table class="answers">
            <thead>
              <tr><th>{t('question')}</th><th>{t('answer')}</th><th>{t('commentForEnumerator')}</th></tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr data-item={l.itemId}>
                  <td><span class="item-id">{l.itemId}</span> {l.question}</td>
                  <td>{l.answer}</td>
                  <td>
                    <input
                      name={`comment-${l.itemId}`}
                      aria-label={t('commentOn', { item: l.itemId })}
                      value={comments[l.itemId] ?? ''}
                      onInput={(e) => setComments({ ...comments, [l.itemId]: e.currentTarget.value })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="decision">
            <label>
              {t('reason')}
              <textarea ref={reasonRef} name="reason" rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
            <div class="review-actions">
              <button type="button" class="approve" onClick={() => void decide('approved')}>{t('approve')} (A)</button>
              <button type="button" class="reject" onClick={() => void decide('rejected')}>{t('reject')} (R)</button>
              <button type="button" class="return" onClick={() => void decide('returned')}>{t('returnToEnumerator')}</button>
              <button type="button" class="next" onClick={() => void next()}>{t('next')} (N)</button>
              <button type="button" class="close" onClick={() => props.setView({ ...props.view, response: null })}>{t('close')}</button>
            </div>
          </div>
        </>
      )}
    </section>
  );
}

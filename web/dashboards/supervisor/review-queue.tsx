import { useState } from 'preact/hooks';
import { codeMessage } from '../../../survey-forms/codes';
import { api, orThrow, type ReviewListReply, type ReviewResponseView } from '../../shared/api-client';
import { ruleLabel, translate, type Lang } from './i18n';

type QueuedResponse = ReviewListReply['responses'][number];

/**
 * Flagged responses: open one, approve or reject it with a reason. A decision names the state this
 * page shows; when someone else decided meanwhile the server refuses it (409 `stale_decision`), the
 * page says so and reads the queue again.
 */
export function ReviewQueue(props: { lang: Lang; token: string; roundId: string; queue: ReviewListReply; onDecided: () => void }) {
  const { lang, token, roundId, queue } = props;
  const t = translate(lang);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [opened, setOpened] = useState<ReviewResponseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const decide = async (queued: QueuedResponse, decision: 'approved' | 'rejected') => {
    const { id } = queued;
    const reason = (reasons[id] ?? '').trim();
    if (reason.length < 3) return setError(t('reasonNeeded'));
    // What this page shows: the opened response if it was read after the queue, else the queue's row.
    const expectedStatus = opened?.id === id ? opened.reviewStatus : queued.reviewStatus;
    const outcome = await api.decide(token, roundId, id, { decision, reason, expectedStatus });
    if (outcome.kind === 'ok') setError(null);
    else if (outcome.kind === 'http' && outcome.code === 'stale_decision') setError(codeMessage('stale_decision', lang));
    else return setError(t('failed', { message: outcome.message ?? outcome.kind }));
    if (opened?.id === id) setOpened(null);
    props.onDecided();
  };
  return (
    <section aria-labelledby="queue-title" class="review-queue">
      <h2 id="queue-title">{t('reviewQueue', { count: queue.total })}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {queue.responses.length === 0 ? (
        <p>{t('emptyQueue')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('province')}</th>
              <th>{t('enumerator')}</th>
              <th>{t('interview')}</th>
              <th>{t('flags')}</th>
              <th>{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {queue.responses.map((r) => (
              <tr class="queued" data-response={r.id} data-province={r.provinceCode}>
                <td>{r.provinceName}</td>
                <td>{r.submittedBy}</td>
                <td>{new Date(r.interviewStartedAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}</td>
                <td>
                  {r.qualityFlags.map((f) => (
                    <span class="flag" title={f.message}>{ruleLabel(lang, f.rule)}</span>
                  ))}
                </td>
                <td>
                  <div class="review-actions">
                    <input name="reason" aria-label={t('reason')} value={reasons[r.id] ?? ''} onInput={(e) => setReasons({ ...reasons, [r.id]: e.currentTarget.value })} />
                    <button type="button" class="approve" onClick={() => void decide(r, 'approved')}>{t('approve')}</button>
                    <button type="button" class="reject" onClick={() => void decide(r, 'rejected')}>{t('reject')}</button>
                    <button
                      type="button"
                      class="open"
                      onClick={() =>
                        opened?.id === r.id
                          ? setOpened(null)
                          : void orThrow(api.response(token, roundId, r.id)).then(setOpened, (e: Error) => setError(e.message))
                      }
                    >
                      {opened?.id === r.id ? t('close') : t('open')}
                    </button>
                  </div>
                  {opened?.id === r.id && <pre class="answers">{JSON.stringify({ answers: opened.answers, paradata: opened.paradata, flags: opened.qualityFlags }, null, 2)}</pre>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

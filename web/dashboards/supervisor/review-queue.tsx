import type { ReviewListReply } from '../../shared/api-client';
import { ruleLabel, translate, type Lang } from './i18n';

/** Flagged responses of what is in view, oldest first; one opens in the review screen. */
export function ReviewQueue(props: { lang: Lang; queue: ReviewListReply; open: (responseId: string) => void }) {
  const { lang, queue } = props;
  const t = translate(lang);
  return (
    <section aria-labelledby="queue-title" class="review-queue">
      <h2 id="queue-title">{t('reviewQueue', { count: queue.total })}</h2>
      {queue.responses.length === 0 ? (
        <p>{t('emptyQueue')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('province')}</th>
              <th>{t('postOffice')}</th>
              <th>{t('enumerator')}</th>
              <th>{t('interview')}</th>
              <th>{t('flags')}</th>
              <th>{t('open')}</th>
            </tr>
          </thead>
          <tbody>
            {queue.responses.map((r) => (
              <tr class="queued" data-response={r.id} data-province={r.provinceCode}>
                <td>{r.provinceName}</td>
                <td>{r.postOffice ?? '–'}</td>
                <td>{r.submittedBy}</td>
                <td>{new Date(r.interviewStartedAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}</td>
                <td>
                  {r.qualityFlags.map((f) => (
                    <span class="flag">{ruleLabel(lang, f.rule)}</span>
                  ))}
                </td>
                <td>
                  <button type="button" class="open" onClick={() => props.open(r.id)}>
                    {t('open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import type { ReturnedResponseView } from '../../shared/api-client';
import type { Snapshot } from '../device-snapshot';
import { formatTime, translate, type Lang } from '../i18n';

/** Responses the supervisor returned, with the reason and each comment; "Correct and resend" opens a correction. */
export function Returned(props: { lang: Lang; snapshot: Snapshot; onCorrect: (returned: ReturnedResponseView, unitLabel: string) => Promise<void> }) {
  const { lang, snapshot } = props;
  const t = translate(lang);
  if (snapshot.returned.length === 0) return null;
  return (
    <section class="card returned" data-testid="returned" aria-labelledby="returned-title">
      <h2 id="returned-title">{t('returnedTitle', { count: snapshot.returned.length })}</h2>
      {snapshot.returned.map((r) => {
        const unit = snapshot.units.find((u) => u.roundId === r.roundId && u.unitId === r.sampleUnitId);
        const unitLabel = unit?.contact.name ?? r.sampleUnitId ?? r.id.slice(0, 8);
        return (
          <article key={r.id} class="correction" data-response={r.id}>
            <h3>{t('responseOf', { unit: unitLabel })}</h3>
            <p>{t('returnedBy', { name: r.returnedBy, time: formatTime(r.returnedAt, lang), reason: r.reason })}</p>
            <ul>
              {r.comments.map((c) => (
                <li key={c.item}>
                  <strong>{c.item}</strong>: {c.text}
                </li>
              ))}
            </ul>
            <button type="button" class="primary" onClick={() => void props.onCorrect(r, unitLabel)}>
              {t('correctReturned')}
            </button>
          </article>
        );
      })}
    </section>
  );
}

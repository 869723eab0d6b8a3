import type { Snapshot } from '../device-snapshot';
import type { OutboxItem } from '../device-store';
import { problemMessage, translate, type Lang } from '../i18n';

/** Items the server refused, with its reasons: a response can be corrected, any item sent again. */
export function Corrections(props: {
  lang: Lang;
  snapshot: Snapshot;
  onCorrect: (item: Extract<OutboxItem, { kind: 'response' }>) => Promise<void>;
  onRetry: (item: OutboxItem) => Promise<void>;
}) {
  const { lang } = props;
  const t = translate(lang);
  const items = props.snapshot.outbox.filter((i) => i.state === 'needs-correction');
  if (items.length === 0) return null;
  return (
    <section class="card corrections" data-testid="corrections">
      <h2>{t('needsCorrection', { count: items.length })}</h2>
      {items.map((item) => (
        <article key={item.id} class="correction">
          <h3>{t(item.kind === 'response' ? 'responseOf' : 'statusEvent', { unit: item.unitLabel })}</h3>
          <p>{t('serverRejected')}</p>
          <ul>
            {(item.problems ?? []).map((p) => (
              <li key={`${p.path}-${p.code}`}>{problemMessage(p, lang)}</li>
            ))}
          </ul>
          <div class="row">
            {item.kind === 'response' && (
              <button type="button" class="primary" onClick={() => void props.onCorrect(item)}>
                {t('correct')}
              </button>
            )}
            <button type="button" class="secondary" onClick={() => void props.onRetry(item)}>
              {t('retry')}
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}

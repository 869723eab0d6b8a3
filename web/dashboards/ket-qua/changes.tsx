import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type ReleaseChanges } from '../../shared/api-client';
import { ChangeLogTable } from '../../shared/change-log';
import { translate, type Lang } from './i18n';

/** A published correction's change log: every figure that moved against the release it corrects, old → new, and why. */
export function ChangeLogSection(props: { releaseId: string; lang: Lang }) {
  const { releaseId, lang } = props;
  const t = translate(lang);
  const [log, setLog] = useState<ReleaseChanges | null>(null);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    orThrow(api.publicChanges(releaseId)).then(setLog, (e: unknown) => setError(String(e)));
    orThrow(api.publicTable(releaseId, { by: 'province' })).then((table) => setLabels(Object.fromEntries(table.rows.map((r) => [r.group, r.label]))), () => undefined);
  }, [releaseId]);
  const more = (current: ReleaseChanges) =>
    orThrow(api.publicChanges(releaseId, current.changes.length)).then((next) => setLog({ ...next, changes: [...current.changes, ...next.changes] }), (e: unknown) => setError(String(e)));
  return (
    <section class="card" data-testid="change-log" aria-labelledby="change-log-title">
      <h2 id="change-log-title">{t('changeLog')}</h2>
      {log ? (
        <>
          <p data-testid="change-reason">{t('changeLogLead', { id: log.releaseId, of: log.corrects ?? '–', reason: log.reason ?? '–' })}</p>
          <div class="scroll">
            <ChangeLogTable changes={log.changes} total={log.total} lang={lang} kind="changes" testId="change-table" caption={t('changeCaption')} labels={labels} onMore={() => void more(log)} />
          </div>
        </>
      ) : error ? (
        <p role="alert">{error}</p>
      ) : (
        <p>{t('loading')}</p>
      )}
    </section>
  );
}

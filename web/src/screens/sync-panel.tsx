import { correctionCount, waitingCount, type Snapshot } from '../device-snapshot';
import { formatTime, translate, type Lang } from '../i18n';

/** The sync state in the top bar: a coloured dot and what waits; a tap leads to the list. */
export function SyncBadge({ lang, online, syncing, snapshot, onClick }: { lang: Lang; online: boolean; syncing: boolean; snapshot: Snapshot; onClick: () => void }) {
  const t = translate(lang);
  const waiting = waitingCount(snapshot);
  const toFix = correctionCount(snapshot);
  const state = !online ? 'offline' : toFix > 0 || snapshot.sync.lastError ? 'error' : waiting > 0 || syncing ? 'busy' : 'ok';
  const words = [t('waiting', { count: waiting }), ...(toFix > 0 ? [t('needsCorrection', { count: toFix })] : []), ...(online ? [] : [t('offlineShort')])];
  return (
    <button type="button" class={`badge badge-${state}`} onClick={onClick} data-testid="sync-badge" aria-label={words.join('; ')} title={words.join('; ')}>
      <span class="dot" aria-hidden="true" />
      {waiting}
      {toFix > 0 ? ` · ${toFix}` : ''}
    </button>
  );
}

/** What waits, when the last sync worked, and the buttons to send now and to download the list. */
export function SyncPanel(props: { lang: Lang; online: boolean; syncing: boolean; snapshot: Snapshot; onSync: () => void; onDownload: () => Promise<void> }) {
  const { lang, snapshot } = props;
  const t = translate(lang);
  const waiting = waitingCount(snapshot);
  const reports = snapshot.outbox.filter((i) => i.state === 'waiting' && i.kind === 'status').length;
  const toFix = correctionCount(snapshot);
  return (
    <section class="card sync" aria-labelledby="sync-title" data-testid="sync-panel">
      <h2 id="sync-title">{t('syncTitle')}</h2>
      {!props.online && <p class="notice">{t('offline')}</p>}
      <p data-testid="waiting">{t('waiting', { count: waiting })}</p>
      {reports > 0 && <p class="hint">{t('reportsWaiting', { count: reports })}</p>}
      {toFix > 0 && <p data-testid="needs-correction" class="error-text">{t('needsCorrection', { count: toFix })}</p>}
      <p data-testid="last-sync">{snapshot.sync.lastSuccessAt ? t('lastSync', { time: formatTime(snapshot.sync.lastSuccessAt, lang) }) : t('neverSynced')}</p>
      {snapshot.sync.lastDownloadAt && <p class="hint">{t('downloaded', { time: formatTime(snapshot.sync.lastDownloadAt, lang) })}</p>}
      {props.syncing && <p role="status">{t('syncing')}</p>}
      {snapshot.sync.lastError && (
        <p class="notice notice-error" role="alert" data-testid="sync-error">
          {snapshot.sync.lastError}
        </p>
      )}
      <div class="row">
        <button type="button" class="primary" disabled={!props.online || props.syncing || waiting + reports === 0} onClick={props.onSync}>
          {t('syncNow')}
        </button>
        <button type="button" class="secondary" disabled={!props.online} onClick={() => void props.onDownload()}>
          {t('download')}
        </button>
      </div>
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type ExportView } from '../../shared/api-client';
import { translate, type Lang } from './i18n';
import { messageOf } from './use-figures';

/** Microdata export: request, watch the progress, download when ready. */
export function MicrodataExport(props: { token: string; roundId: string; lang: Lang }) {
  const { lang, token } = props;
  const t = translate(lang);
  const [job, setJob] = useState<ExportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!job || job.state === 'ready' || job.state === 'failed' || job.state === 'expired') return;
    const timer = setTimeout(() => {
      orThrow(api.exportStatus(token, job.id)).then(setJob, (e: unknown) => setError(messageOf(e)));
    }, 400);
    return () => clearTimeout(timer);
  }, [job]);
  const start = (format: 'csv' | 'xlsx') => {
    setError(null);
    orThrow(api.requestExport(token, props.roundId, { kind: 'microdata', format })).then(setJob, (e: unknown) => setError(messageOf(e)));
  };
  const progress = job?.progress;
  const downloadUrl = job?.state === 'ready' ? job.downloadUrl : null;
  return (
    <div class="export" data-testid="microdata-export">
      <div class="row">
        <button type="button" class="secondary" onClick={() => start('csv')}>
          {t('microdata', { format: 'CSV' })}
        </button>
        <button type="button" class="secondary" onClick={() => start('xlsx')}>
          {t('microdata', { format: 'XLSX' })}
        </button>
      </div>
      {job && job.state !== 'ready' && job.state !== 'failed' ? (
        <p data-testid="export-progress">
          <progress max={100} value={progress?.percent ?? 0} />{' '}
          {t('exportState', { state: job.state, percent: progress?.percent ?? 0, rows: progress?.rows ?? 0, total: progress?.rowsTotal ?? 0 })}
        </p>
      ) : null}
      {job && downloadUrl ? (
        <p data-testid="export-ready">
          {t('exportReady', { name: job.fileName, time: job.expiresAt ? new Date(job.expiresAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB') : '' })}{' '}
          <button type="button" class="primary" onClick={() => void orThrow(api.downloadExport(token, downloadUrl, job.fileName)).catch((e: unknown) => setError(messageOf(e)))}>
            {t('downloadFile')}
          </button>
        </p>
      ) : null}
      {job?.state === 'failed' ? <p class="error">{t('exportFailed', { message: job.error ?? '' })}</p> : null}
      {error ? <p class="error" role="alert">{t('error', { message: error })}</p> : null}
    </div>
  );
}

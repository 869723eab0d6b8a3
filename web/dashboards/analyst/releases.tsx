import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type ReleaseCheck, type ReleaseView } from '../../shared/api-client';
import { translator } from '../../shared/i18n';
import type { Lang } from './i18n';
import { messageOf } from './use-figures';

const translate = translator({
  title: { vi: 'Bản công bố', en: 'Releases' },
  prepare: { vi: 'Chuẩn bị bản công bố (đóng băng số liệu hiện tại)', en: 'Prepare a release (freeze the current figures)' },
  none: { vi: 'Đợt này chưa có bản công bố.', en: 'This round has no release yet.' },
  number: { vi: 'Số', en: 'Number' },
  status: { vi: 'Trạng thái', en: 'Status' },
  prepared: { vi: 'chờ phê duyệt', en: 'awaiting approval' },
  approved: { vi: 'đã phê duyệt', en: 'approved' },
  notPublic: { vi: 'chưa công bố', en: 'not yet published' },
  public: { vi: 'đã công bố', en: 'published' },
  responses: { vi: 'Phiếu', en: 'Responses' },
  by: { vi: 'Người chuẩn bị / duyệt', en: 'Prepared / approved by' },
  embargo: { vi: 'Công bố lúc', en: 'Embargo until' },
  check: { vi: 'Kiểm tra tái lập', en: 'Reproducibility check' },
  identical: { vi: 'Giống hệt từng byte', en: 'Byte-identical' },
  differs: { vi: '{n} số liệu khác', en: '{n} figures differ' },
  approve: { vi: 'Phê duyệt', en: 'Approve' },
  open: { vi: 'Xem trang công bố', en: 'Open the public page' },
}, );

/** The round's releases: prepare one, see its state, sign-off and embargo, check it, approve it (another administrator). */
export function ReleasePanel(props: { token: string; roundId: string; lang: Lang }) {
  const { token, roundId, lang } = props;
  const t = translate(lang);
  const [releases, setReleases] = useState<ReleaseView[] | null>(null);
  const [checks, setChecks] = useState<Record<string, ReleaseCheck>>({});
  const [embargo, setEmbargo] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => orThrow(api.releases(token, roundId)).then((r) => setReleases(r.releases), (e: unknown) => setError(messageOf(e)));
  useEffect(() => void load(), [roundId]);
  const act = (work: Promise<unknown>) => {
    setBusy(true);
    setError(null);
    work.then(load, (e: unknown) => setError(messageOf(e))).finally(() => setBusy(false));
  };
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB') : '–');
  return (
    <section class="card" data-testid="releases">
      <h2>{t('title')}</h2>
      <button type="button" class="primary" disabled={busy} onClick={() => act(orThrow(api.prepareRelease(token, roundId, {})))} data-testid="prepare-release">
        {t('prepare')}
      </button>
      {releases && releases.length === 0 ? <p>{t('none')}</p> : null}
      {releases && releases.length > 0 ? (
        <table data-testid="release-table">
          <thead>
            <tr>
              <th scope="col">{t('number')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('responses')}</th>
              <th scope="col">{t('by')}</th>
              <th scope="col">{t('embargo')}</th>
              <th scope="col">{t('check')}</th>
            </tr>
          </thead>
          <tbody>
            {releases.map((r) => {
              const check = checks[r.releaseId];
              return (
                <tr key={r.releaseId} data-release={r.releaseId}>
                  <th scope="row">{r.releaseId}</th>
                  <td data-field="status">
                    {t(r.status)} · <strong class={r.public ? '' : 'error'}>{r.public ? t('public') : t('notPublic')}</strong>
                    {r.public ? (
                      <>
                        {' '}
                        <a href={`/ket-qua/${r.releaseId}/`}>{t('open')}</a>
                      </>
                    ) : null}
                  </td>
                  <td>{r.provenance.responses}</td>
                  <td>
                    {r.preparedBy} / {r.approvedBy ?? '–'}
                  </td>
                  <td>
                    {r.status === 'approved' ? (
                      when(r.embargoUntil)
                    ) : (
                      <span class="row">
                        <input
                          type="datetime-local"
                          aria-label={t('embargo')}
                          value={embargo[r.releaseId] ?? ''}
                          onInput={(e) => setEmbargo({ ...embargo, [r.releaseId]: e.currentTarget.value })}
                        />
                        <button
                          type="button"
                          class="secondary"
                          disabled={busy || !embargo[r.releaseId]}
                          onClick={() => act(orThrow(api.approveRelease(token, r.releaseId, new Date(embargo[r.releaseId] ?? '').toISOString())))}
                        >
                          {t('approve')}
                        </button>
                      </span>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      disabled={busy}
                      data-testid={`check-${r.releaseId}`}
                      onClick={() => act(orThrow(api.checkRelease(token, r.releaseId)).then((c) => setChecks((all) => ({ ...all, [r.releaseId]: c }))))}
                    >
                      {t('check')}
                    </button>{' '}
                    {check ? <span data-testid={`check-result-${r.releaseId}`}>{check.identical ? t('identical') : t('differs', { n: check.differencesTotal })}</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {error ? <p class="error" role="alert">{error}</p> : null}
    </section>
  );
}

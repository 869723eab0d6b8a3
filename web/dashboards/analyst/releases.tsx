import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type ReleaseChanges, type ReleaseCheck, type ReleaseView } from '../../shared/api-client';
import { ChangeLogTable } from '../../shared/change-log';
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
  embargoOf: { vi: 'Thời điểm công bố bản {id}', en: 'Embargo time of release {id}' },
  check: { vi: 'Kiểm tra tái lập', en: 'Reproducibility check' },
  checkOf: { vi: 'Kiểm tra tái lập bản {id}', en: 'Check that release {id} reproduces' },
  identical: { vi: 'Giống hệt từng byte', en: 'Byte-identical' },
  differs: { vi: '{n} số liệu khác', en: '{n} figures differ' },
  differences: { vi: 'Bản {id}: số liệu đã lưu khác với số liệu tính lại', en: 'Release {id}: stored figures that differ from the recomputed ones' },
  missing: { vi: '{n} phiếu đã tính không còn được lưu.', en: '{n} counted responses are no longer stored.' },
  approve: { vi: 'Phê duyệt', en: 'Approve' },
  approveOf: { vi: 'Phê duyệt bản {id}', en: 'Approve release {id}' },
  waiting: { vi: 'chờ một quản trị viên khác phê duyệt', en: 'waiting for another administrator' },
  ownRelease: { vi: 'bạn đã chuẩn bị bản này; một quản trị viên khác phải phê duyệt', en: 'you prepared it; another administrator approves it' },
  open: { vi: 'Xem trang công bố', en: 'Open the public page' },
  correctionOf: { vi: 'đính chính bản {id}', en: 'corrects {id}' },
  correction: { vi: 'Chuẩn bị bản đính chính', en: 'Prepare a correction' },
  correctionHelp: {
    vi: 'Bản đính chính là một bản công bố mới, đóng băng số liệu hiện tại, kèm nhật ký mọi số liệu thay đổi so với bản được đính chính.',
    en: 'A correction is a new release freezing the current figures, with a log of every figure that moved against the release it corrects.',
  },
  corrects: { vi: 'Đính chính bản', en: 'Corrects release' },
  reason: { vi: 'Lý do đính chính', en: 'Reason for the correction' },
  reasonNeeded: { vi: 'Hãy nêu lý do đính chính.', en: 'Say why the correction is made.' },
  changes: { vi: 'Nhật ký thay đổi', en: 'Change log' },
  changesOf: { vi: 'Nhật ký thay đổi của bản {id}', en: 'Change log of release {id}' },
  changeLog: { vi: 'Bản {id} đính chính bản {of}. Lý do: {reason}', en: 'Release {id} corrects {of}. Reason: {reason}' },
  changeCaption: { vi: 'Mọi số liệu thay đổi: cũ → mới, và vì sao', en: 'Every figure that moved: old → new, and why' },
  moved: { vi: '{n} số liệu thay đổi', en: '{n} figures moved' },
  close: { vi: 'Đóng', en: 'Close' },
});

/**
 * The round's releases: prepare one, see its state, sign-off and embargo ("chưa công bố" until it is
 * public), approve it (an administrator other than its preparer), check that it reproduces, and prepare
 * a correction with its reason and read its change log.
 */
export function ReleasePanel(props: { token: string; roundId: string; lang: Lang }) {
  const { token, roundId, lang } = props;
  const t = translate(lang);
  const [me, setMe] = useState<{ username: string; role: string } | null>(null);
  const [releases, setReleases] = useState<ReleaseView[] | null>(null);
  const [checks, setChecks] = useState<Record<string, ReleaseCheck>>({});
  const [embargo, setEmbargo] = useState<Record<string, string>>({});
  const [corrects, setCorrects] = useState('');
  const [reason, setReason] = useState('');
  const [log, setLog] = useState<ReleaseChanges | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => orThrow(api.releases(token, roundId)).then((r) => setReleases(r.releases), (e: unknown) => setError(messageOf(e)));
  useEffect(() => {
    setLog(null);
    setCorrects('');
    void load();
  }, [roundId]);
  useEffect(() => void orThrow(api.me(token)).then(setMe, (e: unknown) => setError(messageOf(e))), [token]);
  const act = (work: Promise<unknown>) => {
    setBusy(true);
    setError(null);
    work.then(load, (e: unknown) => setError(messageOf(e))).finally(() => setBusy(false));
  };
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB') : '–');
  const approved = (releases ?? []).filter((r) => r.status === 'approved');
  const correcting = corrects || approved[0]?.releaseId || '';
  const showChanges = (releaseId: string) => act(orThrow(api.releaseChanges(token, releaseId)).then(setLog));
  const moreChanges = (current: ReleaseChanges) =>
    act(orThrow(api.releaseChanges(token, current.releaseId, current.changes.length)).then((next) => setLog({ ...next, changes: [...current.changes, ...next.changes] })));
  const prepareCorrection = (event: Event) => {
    event.preventDefault();
    if (!reason.trim()) return setError(t('reasonNeeded'));
    act(
      orThrow(api.prepareRelease(token, roundId, { corrects: correcting, reason: reason.trim() })).then((made) => {
        setReason('');
        return showChanges(made.releaseId);
      }),
    );
  };

  const approval = (r: ReleaseView) => {
    if (r.status === 'approved') return when(r.embargoUntil);
    if (me?.role !== 'admin') return <span class="muted">{t('waiting')}</span>;
    if (me.username === r.preparedBy) return <span class="muted">{t('ownRelease')}</span>;
    return (
      <span class="row">
        <input
          type="datetime-local"
          step={1}
          aria-label={t('embargoOf', { id: r.releaseId })}
          data-testid={`embargo-${r.releaseId}`}
          value={embargo[r.releaseId] ?? ''}
          onInput={(e) => setEmbargo({ ...embargo, [r.releaseId]: e.currentTarget.value })}
        />
        <button
          type="button"
          class="secondary"
          aria-label={t('approveOf', { id: r.releaseId })}
          data-testid={`approve-${r.releaseId}`}
          disabled={busy || !embargo[r.releaseId]}
          onClick={() => act(orThrow(api.approveRelease(token, r.releaseId, new Date(embargo[r.releaseId] ?? '').toISOString())))}
        >
          {t('approve')}
        </button>
      </span>
    );
  };

  const checked = Object.values(checks).filter((c) => !c.identical);
  return (
    <section class="card" data-testid="releases" aria-labelledby="releases-title">
      <h2 id="releases-title">{t('title')}</h2>
      <button type="button" class="primary" disabled={busy} onClick={() => act(orThrow(api.prepareRelease(token, roundId, {})))} data-testid="prepare-release">
        {t('prepare')}
      </button>
      {releases && releases.length === 0 ? <p>{t('none')}</p> : null}
      {releases && releases.length > 0 ? (
        <div class="scroll">
          <table class="figures" data-testid="release-table">
            <thead>
              <tr>
                <th scope="col">{t('number')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col" class="num">
                  {t('responses')}
                </th>
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
                    <th scope="row">
                      {r.releaseId}
                      {r.corrects ? <div class="muted">{t('correctionOf', { id: r.corrects })}</div> : null}
                    </th>
                    <td data-field="status">
                      {t(r.status)} · <strong class={r.public ? 'published' : 'error'}>{r.public ? t('public') : t('notPublic')}</strong>
                      {r.public ? (
                        <div>
                          <a href={`/ket-qua/${r.releaseId}/`}>{t('open')}</a>
                        </div>
                      ) : null}
                      {r.corrects ? (
                        <div>
                          <button type="button" class="link" data-testid={`changes-${r.releaseId}`} aria-label={t('changesOf', { id: r.releaseId })} onClick={() => showChanges(r.releaseId)}>
                            {t('changes')}
                          </button>{' '}
                          {r.changeSummary ? <span class="muted">({t('moved', { n: r.changeSummary.changes })})</span> : null}
                        </div>
                      ) : null}
                    </td>
                    <td class="num">{r.provenance.responses}</td>
                    <td>
                      {r.preparedBy} / {r.approvedBy ?? '–'}
                    </td>
                    <td data-field="approval">{approval(r)}</td>
                    <td>
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy}
                        aria-label={t('checkOf', { id: r.releaseId })}
                        data-testid={`check-${r.releaseId}`}
                        onClick={() => act(orThrow(api.checkRelease(token, r.releaseId)).then((c) => setChecks((all) => ({ ...all, [r.releaseId]: c }))))}
                      >
                        {t('check')}
                      </button>{' '}
                      {check ? (
                        <strong class={check.identical ? 'published' : 'error'} data-testid={`check-result-${r.releaseId}`}>
                          {check.identical ? t('identical') : t('differs', { n: check.differencesTotal })}
                        </strong>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {checked.map((c) => (
        <div key={c.releaseId} class="scroll" data-testid={`check-differences-${c.releaseId}`}>
          {c.missingResponses > 0 ? <p class="error">{t('missing', { n: c.missingResponses })}</p> : null}
          <ChangeLogTable changes={c.differences} total={c.differencesTotal} lang={lang} kind="differences" testId={`differences-${c.releaseId}`} caption={t('differences', { id: c.releaseId })} />
        </div>
      ))}
      {approved.length > 0 ? (
        <form class="correction" data-testid="correction-form" onSubmit={prepareCorrection}>
          <h3>{t('correction')}</h3>
          <p class="muted">{t('correctionHelp')}</p>
          <div class="row">
            <label>
              {t('corrects')}
              <select value={correcting} onChange={(e) => setCorrects(e.currentTarget.value)} data-testid="correction-of">
                {approved.map((r) => (
                  <option key={r.releaseId} value={r.releaseId}>
                    {r.releaseId}
                  </option>
                ))}
              </select>
            </label>
            <label class="grow">
              {t('reason')}
              <textarea rows={2} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} data-testid="correction-reason" />
            </label>
          </div>
          <button type="submit" class="primary" disabled={busy} data-testid="prepare-correction">
            {t('correction')}
          </button>
        </form>
      ) : null}
      {log ? (
        <div class="scroll" data-testid="change-log">
          <div class="card-head">
            <h3>{t('changesOf', { id: log.releaseId })}</h3>
            <button type="button" class="link" onClick={() => setLog(null)}>
              {t('close')}
            </button>
          </div>
          {log.notice ? <p><strong class="error">{log.notice[lang]}</strong></p> : null}
          <p data-testid="change-reason">{t('changeLog', { id: log.releaseId, of: log.corrects ?? '–', reason: log.reason ?? '–' })}</p>
          <ChangeLogTable changes={log.changes} total={log.total} lang={lang} kind="changes" testId="change-table" caption={t('changeCaption')} onMore={() => moreChanges(log)} />
        </div>
      ) : null}
      {error ? <p class="error" role="alert">{error}</p> : null}
    </section>
  );
}

import { useEffect, useMemo, useState } from 'preact/hooks';
import { codeMessage, isCode } from '../../../survey-forms/codes';
import { LINK_STATUSES, linkCanBeReplaced, type LinkStatus } from '../../../survey-forms/respondent-link-status';
import { api, ApiError, orThrow, type RespondentLinkView } from '../../shared/api-client';
import type { Lang } from './i18n';

/** Units loaded per request; a supervisor's province fits in one or two. */
const PAGE = 1000;
/** Rows drawn at once: a filter narrows a long list rather than the page growing without end. */
const SHOWN = 200;

function words(lang: Lang) {
  const vi = lang === 'vi';
  return {
    title: vi ? 'Đường dẫn tự trả lời trực tuyến' : 'Respondent links (answering online)',
    intro: vi
      ? 'Mỗi đơn vị mẫu có một đường dẫn dùng một lần, in thành mã QR trên phiếu giấy. Chép đường dẫn để gửi cho người được hỏi, hoặc tải danh sách CSV.'
      : 'Each sample unit has a one-time link, printed as a QR code on its paper form. Copy a link to send it to the respondent, or download the list as CSV.',
    status: vi ? 'Trạng thái' : 'Status',
    allStatuses: vi ? 'Mọi trạng thái' : 'All statuses',
    province: vi ? 'Tỉnh' : 'Province',
    allProvinces: vi ? 'Mọi tỉnh' : 'All provinces',
    search: vi ? 'Tìm mã đơn vị hoặc điều tra viên' : 'Find a unit id or enumerator',
    unit: vi ? 'Đơn vị mẫu' : 'Unit',
    postOffice: vi ? 'Bưu cục' : 'Post office',
    enumerator: vi ? 'Điều tra viên' : 'Enumerator',
    lastActivity: vi ? 'Lần cuối' : 'Last activity',
    link: vi ? 'Đường dẫn' : 'Link',
    copy: vi ? 'Chép' : 'Copy',
    copyLabel: (unit: string) => (vi ? `Chép đường dẫn của ${unit}` : `Copy the link of ${unit}`),
    copied: (unit: string) => (vi ? `Đã chép đường dẫn của ${unit}.` : `Copied the link of ${unit}.`),
    copyFailed: (unit: string) => (vi ? `Không chép được; hãy chọn đường dẫn của ${unit} và chép tay.` : `Could not copy; select the link of ${unit} and copy it by hand.`),
    csv: vi ? 'Tải danh sách (CSV)' : 'Download the list (CSV)',
    more: vi ? 'Tải thêm' : 'Load more',
    loaded: (n: number, total: number) => (vi ? `Đã tải ${n}/${total} đơn vị` : `${n} of ${total} units loaded`),
    shown: (n: number, of: number) => (vi ? `Hiện ${n} trong ${of} đơn vị khớp bộ lọc; thu hẹp bộ lọc để xem các đơn vị khác.` : `Showing ${n} of ${of} matching units; narrow the filter to see others.`),
    none: vi ? 'Không có đơn vị nào khớp bộ lọc.' : 'No unit matches the filter.',
    notCawi: codeMessage('cawi_not_allowed', lang),
    failed: (m: string) => (vi ? `Lỗi: ${m}` : `Failed: ${m}`),
    counts: vi ? 'Số đường dẫn theo trạng thái' : 'Links by status',
    noLink: '–',
    actions: vi ? 'Thao tác' : 'Actions',
    withdraw: vi ? 'Thu hồi' : 'Withdraw',
    reissue: vi ? 'Cấp đường dẫn mới' : 'Issue a new link',
    withdrawLabel: (unit: string) => (vi ? `Thu hồi đường dẫn của ${unit}` : `Withdraw the link of ${unit}`),
    reissueLabel: (unit: string) => (vi ? `Cấp đường dẫn mới cho ${unit}` : `Issue a new link for ${unit}`),
    confirmWithdraw: (unit: string) =>
      vi ? `Thu hồi đường dẫn của ${unit}? Đường dẫn (và mã QR trên phiếu giấy) sẽ không mở được nữa.` : `Withdraw the link of ${unit}? The link (and the QR code on its paper form) will open nothing any more.`,
    confirmReissue: (unit: string) =>
      vi ? `Cấp đường dẫn mới cho ${unit}? Đường dẫn cũ (và mã QR trên phiếu giấy đã in) sẽ không mở được nữa.` : `Issue a new link for ${unit}? The old link (and the QR code on the printed form) will open nothing any more.`,
    withdrawn: (unit: string) => (vi ? `Đã thu hồi đường dẫn của ${unit}.` : `The link of ${unit} was withdrawn.`),
    reissued: (unit: string) => (vi ? `Đã cấp đường dẫn mới cho ${unit}; hãy in lại phiếu hoặc gửi đường dẫn mới.` : `A new link was issued for ${unit}; print its form again or send the new link.`),
  };
}

export const STATUS_WORDS: Record<LinkStatus, { vi: string; en: string }> = {
  not_opened: { vi: 'Chưa mở', en: 'Not opened' },
  opened: { vi: 'Đã mở', en: 'Opened' },
  draft_saved: { vi: 'Đã lưu nháp', en: 'Draft saved' },
  submitted: { vi: 'Đã gửi', en: 'Submitted' },
  completed_otherwise: { vi: 'Đã hoàn thành cách khác', en: 'Completed otherwise' },
  expired: { vi: 'Hết hạn', en: 'Expired' },
  withdrawn: { vi: 'Đã thu hồi', en: 'Withdrawn' },
};

/** The most recent thing that happened to a link. */
function lastActivity(link: RespondentLinkView): string | null {
  return link.withdrawnAt ?? link.usedAt ?? link.draftSavedAt ?? link.openedAt ?? null;
}

function messageOf(error: unknown, lang: Lang): string {
  if (error instanceof ApiError && error.code && isCode(error.code)) return codeMessage(error.code, lang);
  return error instanceof Error ? error.message : String(error);
}

/**
 * The supervisor's respondent links: every unit in their scope (provinces, and post office when they
 * have one: the server decides), with its link's status, filters, copying a link and the CSV list.
 */
export function RespondentLinks({ lang, token, roundId }: { lang: Lang; token: string; roundId: string }) {
  const w = words(lang);
  const [links, setLinks] = useState<RespondentLinkView[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [notCawi, setNotCawi] = useState(false);
  const [status, setStatus] = useState<LinkStatus | ''>('');
  const [province, setProvince] = useState('');
  const [search, setSearch] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (offset: number, keep: RespondentLinkView[]) => {
    try {
      const page = await orThrow(api.respondentLinks(token, roundId, { offset, limit: PAGE }));
      setLinks([...keep, ...page.links]);
      setTotal(page.total);
      setNotCawi(false);
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.details.some((d) => d.code === 'cawi_not_allowed')) setNotCawi(true);
      else setError(w.failed(messageOf(e, lang)));
    }
  };
  useEffect(() => {
    setLinks([]);
    setTotal(null);
    void load(0, []);
  }, [token, roundId]);

  // A message is written in the language it was shown in: switching drops it rather than leave it untranslated.
  useEffect(() => setMessage(null), [lang]);

  const provinces = useMemo(() => [...new Set(links.map((l) => l.provinceCode))].sort(), [links]);
  const counts = useMemo(() => {
    const byStatus = new Map<LinkStatus, number>(LINK_STATUSES.map((s) => [s, 0]));
    for (const l of links) if (!province || l.provinceCode === province) byStatus.set(l.status, (byStatus.get(l.status) ?? 0) + 1);
    return byStatus;
  }, [links, province]);
  const matching = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return links.filter(
      (l) =>
        (!status || l.status === status) &&
        (!province || l.provinceCode === province) &&
        (!needle || l.unitId.toLowerCase().includes(needle) || (l.assignedTo ?? '').toLowerCase().includes(needle)),
    );
  }, [links, status, province, search]);

  const copy = async (link: RespondentLinkView) => {
    const url = `${location.origin}${link.path}`;
    try {
      await navigator.clipboard.writeText(url);
      setMessage(w.copied(link.unitId));
    } catch {
      setMessage(w.copyFailed(link.unitId));
    }
  };
  /** Withdraws or replaces a unit's link, after the supervisor confirms, and shows the link as it now stands. */
  const change = async (link: RespondentLinkView, action: 'withdraw' | 'reissue') => {
    if (!window.confirm(action === 'withdraw' ? w.confirmWithdraw(link.unitId) : w.confirmReissue(link.unitId))) return;
    try {
      const call = action === 'withdraw' ? api.withdrawRespondentLink : api.reissueRespondentLink;
      const { roundId: _round, expiresAt: _expires, ...now } = await orThrow(call(token, roundId, link.unitId));
      setLinks((all) => all.map((l) => (l.unitId === link.unitId ? now : l)));
      setMessage(action === 'withdraw' ? w.withdrawn(link.unitId) : w.reissued(link.unitId));
      setError(null);
    } catch (e) {
      setError(w.failed(messageOf(e, lang)));
    }
  };
  const download = async () => {
    const outcome = await api.downloadRespondentLinks(token, roundId, { ...(province ? { province } : {}), limit: PAGE });
    if (outcome.kind !== 'ok') setError(w.failed(outcome.message ?? outcome.kind));
  };
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }) : w.noLink);

  return (
    <section aria-labelledby="links-title" class="respondent-links">
      <h2 id="links-title">{w.title}</h2>
      {notCawi ? (
        <p>{w.notCawi}</p>
      ) : (
        <>
          <p class="hint">{w.intro}</p>
          <div class="filters">
            <label>
              {w.status}{' '}
              <select name="link-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as LinkStatus | '')}>
                <option value="">{w.allStatuses}</option>
                {LINK_STATUSES.map((s) => (
                  <option value={s}>{`${STATUS_WORDS[s][lang]} (${counts.get(s) ?? 0})`}</option>
                ))}
              </select>
            </label>
            {provinces.length > 1 && (
              <label>
                {w.province}{' '}
                <select name="link-province" value={province} onChange={(e) => setProvince(e.currentTarget.value)}>
                  <option value="">{w.allProvinces}</option>
                  {provinces.map((p) => <option value={p}>{p}</option>)}
                </select>
              </label>
            )}
            <label>
              {w.search}{' '}
              <input type="search" name="link-search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
            </label>
            <button type="button" onClick={() => void download()}>{w.csv}</button>
          </div>
          <ul class="link-counts" aria-label={w.counts}>
            {LINK_STATUSES.filter((s) => (counts.get(s) ?? 0) > 0).map((s) => (
              <li class={`link-status status-${s}`}>{`${STATUS_WORDS[s][lang]}: ${counts.get(s) ?? 0}`}</li>
            ))}
          </ul>
          {message && <p role="status">{message}</p>}
          {error && <p class="error" role="alert">{error}</p>}
          {total !== null && (
            <p class="loaded">
              {w.loaded(links.length, total)}{' '}
              {links.length < total && <button type="button" onClick={() => void load(links.length, links)}>{w.more}</button>}
            </p>
          )}
          {total !== null && matching.length === 0 && <p>{w.none}</p>}
          {matching.length > 0 && (
            <table data-testid="respondent-links">
              <thead>
                <tr>
                  <th>{w.unit}</th><th>{w.province}</th><th>{w.postOffice}</th><th>{w.enumerator}</th><th>{w.status}</th><th>{w.lastActivity}</th><th>{w.link}</th><th>{w.actions}</th>
                </tr>
              </thead>
              <tbody>
                {matching.slice(0, SHOWN).map((l) => (
                  <tr key={l.unitId} data-unit={l.unitId} data-status={l.status}>
                    <td>{l.unitId}</td>
                    <td>{l.provinceCode}</td>
                    <td>{l.postOffice ?? w.noLink}</td>
                    <td>{l.assignedTo ?? w.noLink}</td>
                    <td><span class={`link-status status-${l.status}`}>{STATUS_WORDS[l.status][lang]}</span></td>
                    <td>{when(lastActivity(l))}</td>
                    <td class="link-cell">
                      {l.state === 'open' && l.status !== 'expired' ? (
                        <>
                          <code class="link-path">{`${location.origin}${l.path}`}</code>{' '}
                          <button type="button" aria-label={w.copyLabel(l.unitId)} onClick={() => void copy(l)}>{w.copy}</button>
                        </>
                      ) : (
                        w.noLink
                      )}
                    </td>
                    <td>
                      {linkCanBeReplaced(l.status) && (
                        <span class="link-actions">
                          {l.status !== 'withdrawn' && (
                            <button type="button" aria-label={w.withdrawLabel(l.unitId)} onClick={() => void change(l, 'withdraw')}>{w.withdraw}</button>
                          )}
                          <button type="button" aria-label={w.reissueLabel(l.unitId)} onClick={() => void change(l, 'reissue')}>{w.reissue}</button>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {matching.length > SHOWN && <p class="hint">{w.shown(SHOWN, matching.length)}</p>}
        </>
      )}
    </section>
  );
}

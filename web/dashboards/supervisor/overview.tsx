import type { QuotaProgressReply } from '../../shared/api-client';
import { translate, type Lang } from './i18n';
import type { SortKey, ViewState } from './view-state';

type Summary = QuotaProgressReply['totals'];
const percent = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const PACE_ORDER = { 'at-risk': 0, behind: 1, 'on-track': 2, 'no-target': 3 } as const;

export function Bar(props: { share: number | null }) {
  const share = Math.min(1, props.share ?? 0);
  return (
    <span class={`bar${share >= 1 ? ' full' : ''}`} aria-hidden="true">
      <span style={{ width: `${(share * 100).toFixed(1)}%` }} />
    </span>
  );
}

/** The value a column sorts by. */
function sortValue(row: Summary & { name: string }, key: SortKey): string | number {
  switch (key) {
    case 'share':
      return row.share ?? -1;
    case 'pace':
      return PACE_ORDER[row.paceStatus];
    case 'awaiting':
      return row.awaitingReview;
    case 'rate':
      return row.responseRate ?? -1;
    default:
      return row.name;
  }
}

export function sortRows<R extends Summary & { name: string }>(rows: ReadonlyArray<R>, key: SortKey, desc: boolean): R[] {
  const sign = desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'vi');
    return sign * order || a.name.localeCompare(b.name, 'vi');
  });
}

/**
 * One row per province, post office or enumerator: progress, pace status, flags awaiting review and
 * response rate, sortable by any of them; a row's name drills down.
 */
export function LevelTable<R extends Summary & { name: string; key: string }>(props: {
  lang: Lang;
  caption: string;
  nameHeader: string;
  rows: ReadonlyArray<R>;
  view: ViewState;
  setView: (v: ViewState) => void;
  open?: (row: R) => void;
  testId: string;
}) {
  const { lang, view } = props;
  const t = translate(lang);
  const rows = sortRows(props.rows, view.sort, view.desc);
  const header = (key: SortKey, label: string, numeric = true) => {
    const active = view.sort === key;
    return (
      <th class={numeric ? 'num' : ''} aria-sort={active ? (view.desc ? 'descending' : 'ascending') : 'none'}>
        <button type="button" class="sort" onClick={() => props.setView({ ...view, sort: key, desc: active ? !view.desc : key !== 'name' })}>
          {label}
          {active ? (view.desc ? ' ▼' : ' ▲') : ''}
        </button>
      </th>
    );
  };
  return (
    <table class="level-table" data-testid={props.testId}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {header('name', props.nameHeader, false)}
          <th class="num">{t('accepted')}</th>
          <th class="num">{t('target')}</th>
          {header('share', t('progress'))}
          {header('pace', t('paceStatus'), false)}
          <th class="num">{t('perDay')}</th>
          {header('awaiting', t('awaitingReview'))}
          {header('rate', t('responseRate'))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr data-key={r.key}>
            <th scope="row">
              {props.open ? (
                <button type="button" class="drill" onClick={() => props.open?.(r)}>
                  {r.name}
                </button>
              ) : (
                r.name
              )}
            </th>
            <td class="num">{r.accepted}</td>
            <td class="num">{r.target ?? '–'}</td>
            <td class="num progress">
              <Bar share={r.share} /> {percent(r.share)}
            </td>
            <td class={`pace-${r.paceStatus}`}>{t(`pace_${r.paceStatus}`)}</td>
            <td class="num">{r.pace.perDay}</td>
            <td class="num awaiting">{r.awaitingReview}</td>
            <td class="num">{percent(r.responseRate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The totals of the level in view, as a line of tiles. */
export function Totals(props: { lang: Lang; totals: Summary; title: string }) {
  const t = translate(props.lang);
  const s = props.totals;
  return (
    <div class="totals" aria-label={props.title}>
      <div class="tile"><span>{t('accepted')}</span><strong>{s.accepted}</strong></div>
      <div class="tile"><span>{t('progress')}</span><strong>{percent(s.share)}</strong></div>
      <div class={`tile pace-${s.paceStatus}`}><span>{t('paceStatus')}</span><strong>{t(`pace_${s.paceStatus}`)}</strong></div>
      <div class="tile"><span>{t('awaitingReview')}</span><strong>{s.awaitingReview}</strong></div>
      <div class="tile"><span>{t('returned')}</span><strong>{s.returned}</strong></div>
      <div class="tile"><span>{t('responseRate')}</span><strong>{percent(s.responseRate)}</strong></div>
    </div>
  );
}

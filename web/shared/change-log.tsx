import type { ReleaseFigureChange } from './api-client';
import { translator, type Lang } from './i18n';

const translate = translator({
  table: { vi: 'Bảng', en: 'Table' },
  group: { vi: 'Dòng', en: 'Row' },
  field: { vi: 'Số liệu', en: 'Figure' },
  before: { vi: 'Cũ', en: 'Old' },
  after: { vi: 'Mới', en: 'New' },
  stored: { vi: 'Đã lưu', en: 'Stored' },
  recomputed: { vi: 'Tính lại', en: 'Recomputed' },
  why: { vi: 'Vì sao', en: 'Why' },
  responses: { vi: 'phiếu của dòng này thay đổi: thêm {added}, bớt {removed}', en: 'its own responses changed: {added} added, {removed} removed' },
  ranking: { vi: 'phiếu không đổi; các tỉnh khác thay đổi (thứ hạng, so sánh)', en: 'same responses; other provinces moved (rank, comparison)' },
  provinces: { vi: 'phiếu của {provinces} thay đổi', en: 'responses of {provinces} changed' },
  onlyOne: { vi: 'bảng chỉ có ở một trong hai bản', en: 'the table is in only one of the two releases' },
  national: { vi: 'toàn quốc', en: 'national' },
  summary: { vi: 'tổng hợp', en: 'summary' },
  shown: { vi: 'Hiển thị {shown}/{total} số liệu thay đổi.', en: 'Showing {shown} of {total} figures that moved.' },
  shownDifferent: { vi: 'Hiển thị {shown}/{total} số liệu khác nhau.', en: 'Showing {shown} of {total} figures that differ.' },
  more: { vi: 'Xem thêm', en: 'Show more' },
  yes: { vi: 'có', en: 'yes' },
  no: { vi: 'không', en: 'no' },
});

/** A figure as the change log shows it: numbers with up to four decimals (decimal comma in Vietnamese). */
export function changedFigure(value: ReleaseFigureChange['before'], lang: Lang): string {
  if (value === null) return '–';
  if (typeof value === 'boolean') return translate(lang)(value ? 'yes' : 'no');
  if (typeof value === 'number') return value.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 4, useGrouping: false });
  return value;
}

/** Why a figure moved, in words. */
export function changeCause(cause: ReleaseFigureChange['cause'], lang: Lang): string {
  const t = translate(lang);
  if (!cause) return '–';
  switch (cause.kind) {
    case 'responses':
      return t('responses', { added: cause.added, removed: cause.removed });
    case 'ranking':
      return t('ranking');
    case 'provinces':
      return t('provinces', { provinces: cause.provinces.join(', ') });
    case 'table':
      return t('onlyOne');
  }
}

/**
 * Figures that moved between two versions of a release (a correction's change log: old → new and why),
 * or that differ between a release and its recomputation (stored → recomputed).
 */
export function ChangeLogTable(props: {
  changes: ReleaseFigureChange[];
  total: number;
  lang: Lang;
  kind: 'changes' | 'differences';
  testId: string;
  caption: string;
  /** Row names by group key (province code → name), where the page knows them. */
  labels?: Readonly<Record<string, string>>;
  onMore?: () => void;
}) {
  const { lang, kind } = props;
  const t = translate(lang);
  const group = (g: string) => (g === 'national' ? t('national') : g === 'summary' ? t('summary') : (props.labels?.[g] ?? g));
  return (
    <div class="change-log">
      <div class="change-log-box" tabIndex={0} role="region" aria-label={props.caption}>
      <table class="figures" data-testid={props.testId}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('table')}</th>
            <th scope="col">{t('group')}</th>
            <th scope="col">{t('field')}</th>
            <th scope="col" class="num">
              {kind === 'changes' ? t('before') : t('stored')}
            </th>
            <th scope="col" class="num">
              {kind === 'changes' ? t('after') : t('recomputed')}
            </th>
            {kind === 'changes' ? <th scope="col">{t('why')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.changes.map((c) => (
            <tr key={`${c.table}|${c.group}|${c.field}`} data-table={c.table} data-group={c.group} data-field-name={c.field}>
              <td>
                <code>{c.table}</code>
              </td>
              <td>{group(c.group)}</td>
              <td>{c.field}</td>
              <td class="num" data-field="before">
                {changedFigure(c.before, lang)}
              </td>
              <td class="num" data-field="after">
                {changedFigure(c.after, lang)}
              </td>
              {kind === 'changes' ? <td data-field="cause">{changeCause(c.cause, lang)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <p class="note" data-testid={`${props.testId}-count`}>
        {t(kind === 'changes' ? 'shown' : 'shownDifferent', { shown: props.changes.length, total: props.total })}{' '}
        {props.onMore && props.changes.length < props.total ? (
          <button type="button" class="secondary" onClick={props.onMore}>
            {t('more')}
          </button>
        ) : null}
      </p>
    </div>
  );
}

import type { AggregatesReply } from '../../shared/api-client';
import { formatFigure, formatPlaces, translate, type Lang } from './i18n';

type Row = AggregatesReply['rows'][number];

/** The province table: value, interval, rank, change in points and places with arrows. */
export function ProvinceTable(props: { reply: AggregatesReply; lang: Lang }) {
  const { reply, lang } = props;
  const t = translate(lang);
  const rows = [...reply.rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.group.localeCompare(b.group));
  return (
    <table class="figures" data-testid="province-table">
      <thead>
        <tr>
          <th>{t('rank')}</th>
          <th>{t('code')}</th>
          <th>{t('name')}</th>
          <th class="num">{t('n')}</th>
          <th class="num">{t('value')}</th>
          <th class="num">{t('interval')}</th>
          <th class="num">{t('changePoints')}</th>
          <th>{t('changePlaces')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const places = formatPlaces(row.changePlaces, lang);
          return (
            <tr key={row.group} data-group={row.group} class={row.reliable ? '' : 'unreliable'}>
              <td>{row.rank ?? '–'}</td>
              <td>{row.group}</td>
              <td>
                {row.label}
                {row.reliable ? null : <span class="note"> ({row.suppressed ? t('suppressed') : t('unreliable', { n: reply.minimumN })})</span>}
              </td>
              <td class="num">{row.n}</td>
              <td class="num" data-field="value">
                {formatFigure(row.value, lang)}
              </td>
              <td class="num">{row.low === null || row.high === null ? '–' : `${formatFigure(row.low, lang)}–${formatFigure(row.high, lang)}`}</td>
              <td class="num">{row.changePoints === null ? '–' : `${row.changePoints > 0 ? '+' : ''}${formatFigure(row.changePoints, lang)}`}</td>
              <td class={`places ${places.direction}`} title={places.text}>
                {places.arrow} {places.direction === 'none' ? '–' : places.text}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A small table of groups (unit types, regions, elements): name, n, value. */
export function GroupTable(props: { rows: ReadonlyArray<Pick<Row, 'group' | 'label' | 'n' | 'value'>>; lang: Lang; testId: string }) {
  const t = translate(props.lang);
  return (
    <table class="figures" data-testid={props.testId}>
      <thead>
        <tr>
          <th>{t('name')}</th>
          <th class="num">{t('n')}</th>
          <th class="num">{t('value')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.group} data-group={row.group}>
            <td>{row.label}</td>
            <td class="num">{row.n}</td>
            <td class="num">{formatFigure(row.value, props.lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The spread of the provincial values as numbers: minimum, quartiles, median, maximum. */
export function DistributionTable(props: { summary: NonNullable<AggregatesReply['summary']>; lang: Lang }) {
  const { summary, lang } = props;
  const t = translate(lang);
  return (
    <table class="figures" data-testid="distribution-table">
      <tbody>
        {(
          [
            ['min', summary.min.value],
            ['q1', summary.q1],
            ['median', summary.median],
            ['q3', summary.q3],
            ['max', summary.max.value],
          ] as const
        ).map(([key, value]) => (
          <tr key={key} data-stat={key}>
            <th>{t(key)}</th>
            <td class="num">{formatFigure(value, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

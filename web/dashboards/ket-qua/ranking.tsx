import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type PublicRelease, type ReleaseDownloads, type ReleaseTable } from '../../shared/api-client';
import { formatFigure, placesText, signedFigure, translate, type Lang } from './i18n';

const WIDTH = 760;
const LABEL = 150;
const BAR = 13;
const GAP = 3;

/** The ranking as horizontal bars, the national mean as a vertical line. */
function RankingChart(props: { table: ReleaseTable; national: number | null; lang: Lang }) {
  const rows = props.table.rows.filter((r) => r.value !== null).sort((a, b) => (a.rank ?? 999) - (b.rank ?? 999) || a.group.localeCompare(b.group));
  const values = rows.map((r) => r.value as number);
  const from = Math.max(0, Math.floor((Math.min(...values, props.national ?? 100, 100) - 5) / 10) * 10);
  const plot = WIDTH - LABEL - 50;
  const x = (v: number): number => LABEL + ((v - from) / (100 - from)) * plot;
  const height = rows.length * (BAR + GAP) + 24;
  const t = translate(props.lang);
  return (
    <svg class="chart" data-testid="ranking-chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={t('chart')}>
      {rows.map((row, i) => (
        <g key={row.group} class={row.reliable ? 'bar' : 'bar unreliable'} data-group={row.group} data-value={row.value}>
          <text x={LABEL - 6} y={i * (BAR + GAP) + BAR - 3} text-anchor="end">
            {row.label}
          </text>
          <rect x={LABEL} y={i * (BAR + GAP)} width={Math.max(1, x(row.value as number) - LABEL)} height={BAR} rx={2} />
          <text x={x(row.value as number) + 4} y={i * (BAR + GAP) + BAR - 3}>
            {formatFigure(row.value, props.lang)}
          </text>
        </g>
      ))}
      {props.national !== null ? (
        <line data-testid="national-line" data-value={props.national} x1={x(props.national)} x2={x(props.national)} y1={0} y2={height - 20} class="reference" />
      ) : null}
      <text x={LABEL} y={height - 6} class="tick">
        {from}
      </text>
      <text x={LABEL + plot} y={height - 6} class="tick" text-anchor="end">
        100
      </text>
    </svg>
  );
}

/** The national ranking of a release: filters, chart, table, downloads with their SHA-256. */
export function RankingPage(props: { release: PublicRelease; lang: Lang }) {
  const { release, lang } = props;
  const t = translate(lang);
  const [indicator, setIndicator] = useState('overall');
  const [unitType, setUnitType] = useState('');
  const [region, setRegion] = useState('');
  const [table, setTable] = useState<ReleaseTable | null>(null);
  const [national, setNational] = useState<ReleaseTable | null>(null);
  const [downloads, setDownloads] = useState<ReleaseDownloads | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const query = { indicator, by: 'province' as const, ...(unitType ? { unitType } : {}), ...(region ? { region } : {}) };
    Promise.all([
      orThrow(api.publicTable(release.releaseId, query)),
      orThrow(api.publicTable(release.releaseId, { indicator, by: 'national' })),
      orThrow(api.publicDownloads(release.releaseId, query)),
    ]).then(
      ([t1, t2, d]) => {
        setTable(t1);
        setNational(t2);
        setDownloads(d);
      },
      (e: unknown) => setError(String(e)),
    );
  }, [release.releaseId, indicator, unitType, region]);

  const nationalRow = national?.rows[0];
  const choices = release.indicators.filter((i) => i.level !== 'criterion');
  const ranked = table ? [...table.rows].sort((a, b) => (a.rank ?? 999) - (b.rank ?? 999) || a.group.localeCompare(b.group)) : [];
  return (
    <main>
      <section class="card national" data-testid="national">
        <h2>{t('national')}</h2>
        <p class="big" data-testid="national-value">
          {formatFigure(nationalRow?.value, lang)}%
        </p>
        <p>
          {t('interval')}: {formatFigure(nationalRow?.low, lang)}–{formatFigure(nationalRow?.high, lang)} · {t('change')}:{' '}
          <span data-testid="national-change">{nationalRow?.changePoints == null ? '–' : t('points', { value: signedFigure(nationalRow.changePoints, lang) })}</span>
        </p>
      </section>
      <section class="card filters">
        <label>
          {t('indicator')}
          <select value={indicator} onChange={(e) => setIndicator((e.target as HTMLSelectElement).value)} data-testid="filter-indicator">
            {choices.map((i) => (
              <option key={i.id} value={i.id}>
                {i.label[lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('unitType')}
          <select value={unitType} onChange={(e) => setUnitType((e.target as HTMLSelectElement).value)} data-testid="filter-unit-type">
            <option value="">{t('all')}</option>
            {release.unitTypes.map((u) => (
              <option key={u.key} value={u.key}>
                {u.label[lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('region')}
          <select value={region} onChange={(e) => setRegion((e.target as HTMLSelectElement).value)} data-testid="filter-region">
            <option value="">{t('all')}</option>
            {release.regions.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label[lang]}
              </option>
            ))}
          </select>
        </label>
      </section>
      {error ? <p role="alert">{error}</p> : null}
      {table ? (
        <section class="card">
          <h2>{t('ranking')}</h2>
          <RankingChart table={table} national={nationalRow?.value ?? null} lang={lang} />
          <table data-testid="ranking-table">
            <thead>
              <tr>
                <th scope="col">{t('rank')}</th>
                <th scope="col">{t('province')}</th>
                <th scope="col">{t('value')}</th>
                <th scope="col">{t('interval')}</th>
                <th scope="col">{t('n')}</th>
                <th scope="col">{t('changePoints')}</th>
                <th scope="col">{t('changePlaces')}</th>
              </tr>
            </thead>
            <tbody>
              {ranked.map((row) => (
                <tr key={row.group} data-group={row.group}>
                  <td data-field="rank">{row.rank ?? '–'}</td>
                  <th scope="row">
                    <a href={`/ket-qua/${release.releaseId}/tinh/${row.group}`}>{row.label}</a>
                    {row.reliable ? '' : ' *'}
                  </th>
                  <td data-field="value">{formatFigure(row.value, lang)}</td>
                  <td>
                    {formatFigure(row.low, lang)}–{formatFigure(row.high, lang)}
                  </td>
                  <td>{row.n}</td>
                  <td data-field="changePoints">{signedFigure(row.changePoints, lang)}</td>
                  <td data-field="changePlaces">{placesText(row.changePlaces, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="note">{t('smallCell', { n: table.minimumN })}</p>
        </section>
      ) : (
        <p>{t('loading')}</p>
      )}
      {downloads ? (
        <section class="card" data-testid="downloads">
          <h2>{t('downloads')}</h2>
          <ul class="downloads">
            {downloads.files.map((f) => (
              <li key={f.format}>
                <a href={f.url} download={f.fileName} data-format={f.format}>
                  {f.format.toUpperCase()}
                </a>{' '}
                <span>{t('bytes', { kb: (f.bytes / 1024).toFixed(1) })}</span> · {t('sha')}: <code data-sha={f.format}>{f.sha256}</code>
              </li>
            ))}
          </ul>
          <p>
            <a href={api.reportCardsUrl(release.releaseId)}>{t('allCards')}</a>
          </p>
        </section>
      ) : null}
    </main>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type PublicRelease, type ReleaseProvince } from '../../shared/api-client';
import { formatFigure, placesText, signedFigure, translate, type Lang } from './i18n';

/** One province in a release: value, rank, change, its elements (or components) against the nation, trend, notes. */
export function ProvincePage(props: { release: PublicRelease; code: string; lang: Lang }) {
  const { release, code, lang } = props;
  const t = translate(lang);
  const [view, setView] = useState<ReleaseProvince | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    orThrow(api.publicProvince(release.releaseId, code)).then(setView, (e: unknown) => setError(String(e)));
  }, [release.releaseId, code]);
  if (error) return <p role="alert">{t('notFound')}</p>;
  if (!view) return <p>{t('loading')}</p>;
  const { overall } = view;
  return (
    <main>
      <p>
        <a href={`/ket-qua/${release.releaseId}/`}>{t('back')}</a>
      </p>
      <section class="card national" data-testid="province-head">
        <h2 data-testid="province-name">{view.province.name}</h2>
        <p class="big" data-testid="province-value">
          {formatFigure(overall.value, lang)}%
        </p>
        <p data-testid="province-rank">{overall.rank === null ? '–' : t('rankOf', { rank: overall.rank, of: view.provincesRanked })}</p>
        <p>
          {t('change')}: <span data-testid="province-change">{overall.changePoints === null ? '–' : t('points', { value: signedFigure(overall.changePoints, lang) })}</span> ·{' '}
          {placesText(overall.changePlaces, lang)}
        </p>
        <p>
          {t('interval')}: {formatFigure(overall.low, lang)}–{formatFigure(overall.high, lang)} · n = {overall.n} · {t('national')}: {formatFigure(overall.national, lang)}%
        </p>
        <p>
          <a href={api.reportCardUrl(release.releaseId, code)} data-testid="report-card">
            {t('reportCard')}
          </a>
        </p>
      </section>
      <section class="card">
        <h2>{t('partsTitle')}</h2>
        <table data-testid="parts-table">
          <thead>
            <tr>
              <th scope="col">{t('part')}</th>
              <th scope="col">{t('provinceValue')}</th>
              <th scope="col">{t('nationalValue')}</th>
              <th scope="col">{t('difference')}</th>
              <th scope="col">{t('interval')}</th>
              <th scope="col">n</th>
            </tr>
          </thead>
          <tbody>
            {view.parts.map((p) => (
              <tr key={p.indicator} data-indicator={p.indicator}>
                <th scope="row">
                  {p.label[lang]}
                  {p.reliable ? '' : ' *'}
                </th>
                <td data-field="value">{formatFigure(p.value, lang)}</td>
                <td data-field="national">{formatFigure(p.national, lang)}</td>
                <td>{signedFigure(p.difference, lang)}</td>
                <td>
                  {formatFigure(p.low, lang)}–{formatFigure(p.high, lang)}
                </td>
                <td>{p.n}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <svg class="chart" viewBox={`0 0 600 ${view.parts.length * 30 + 10}`} role="img" aria-label={t('partsTitle')}>
          {view.parts.map((p, i) => (
            <g key={p.indicator}>
              <rect x={0} y={i * 30} width={((p.value ?? 0) / 100) * 600} height={12} class="province-bar" />
              <rect x={0} y={i * 30 + 13} width={((p.national ?? 0) / 100) * 600} height={8} class="national-bar" />
            </g>
          ))}
        </svg>
        <p class="legend">
          <span class="key province-key" /> {t('provinceMark')} <span class="key national-key" /> {t('nationalMark')}
        </p>
      </section>
      <section class="card">
        <h2>{t('trend')}</h2>
        <table data-testid="trend-table">
          <thead>
            <tr>
              <th scope="col">{t('year')}</th>
              <th scope="col">{t('value')}</th>
              <th scope="col">{t('rank')}</th>
            </tr>
          </thead>
          <tbody>
            {view.trend.map((p) => (
              <tr key={p.releaseId}>
                <th scope="row">
                  <a href={`/ket-qua/${p.releaseId}/tinh/${code}`}>{p.year}</a>
                </th>
                <td>{formatFigure(p.value, lang)}</td>
                <td>{p.rank ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {view.notes.length > 0 ? (
        <section class="card" data-testid="notes">
          <ul>
            {view.notes.map((n) => (
              <li key={n.indicator}>{lang === 'vi' ? n.vi : n.en}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}

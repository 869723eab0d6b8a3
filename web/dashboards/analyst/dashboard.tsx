import { useState } from 'preact/hooks';
import { api, orThrow, type AggregatesQuery } from '../../shared/api-client';
import { BarChart, BoxPlot, ChartCard } from './charts';
import { Controls } from './controls';
import { ElementBreakdown } from './element-breakdown';
import { DistributionTable, GroupTable, ProvinceTable } from './figure-tables';
import { formatFigure, translate, type Lang } from './i18n';
import { MicrodataExport } from './microdata-export';
import { ReleasePanel } from './releases';
import { messageOf, tableOf, useFigures } from './use-figures';

/** The analyst's page: the selection, then the ranking, the province table with downloads, groups, elements and the spread. */
export function Dashboard(props: { token: string; lang: Lang; onLogout: () => void }) {
  const { token, lang } = props;
  const t = translate(lang);
  const { rounds, round, indicators, selection, setSelection, figures, error, setError } = useFigures(token, props.onLogout);
  const [suppress, setSuppress] = useState(false);

  if (error) return <p class="error" role="alert">{t('error', { message: error })}</p>;
  if (!rounds) return <p>{t('loading')}</p>;
  if (!selection || !round) return <p>{t('noRound')}</p>;

  const national = figures?.national.rows[0]?.value ?? null;
  const reference = national === null ? null : { value: national, label: t('nationalMean', { value: formatFigure(national, lang) }) };
  const provinceRows = figures ? [...figures.province.rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity)) : [];
  const downloadButtons = (by: AggregatesQuery['by']) => (
    <div class="row downloads" data-testid={`downloads-${by}`}>
      {(['csv', 'xlsx', 'json'] as const).map((format) => (
        <button
          key={format}
          type="button"
          class="secondary"
          data-format={format}
          onClick={() => void orThrow(api.downloadAggregates(token, selection.roundId, { ...tableOf(selection, by), suppress }, format)).catch((e: unknown) => setError(messageOf(e)))}
        >
          {t('downloadTable', { format: format.toUpperCase() })}
        </button>
      ))}
    </div>
  );

  return (
    <>
      <Controls rounds={rounds} round={round} indicators={indicators} selection={selection} lang={lang} onSelect={setSelection} />
      {!figures ? (
        <p>{t('loading')}</p>
      ) : (
        <>
          <p class="muted" data-testid="computed">
            {figures.province.computedAt
              ? t('computedAt', { time: new Date(figures.province.computedAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB'), n: figures.province.responses })
              : t('notComputed')}
          </p>
          <ChartCard
            title={`${t('ranking')}: ${figures.province.indicatorLabel[lang]}`}
            lang={lang}
            testId="ranking"
            chart={
              <BarChart
                bars={provinceRows.map((r) => ({ group: r.group, label: r.label, value: r.value, reliable: r.reliable }))}
                reference={reference}
                lang={lang}
                testId="ranking-chart"
                title={t('ranking')}
              />
            }
            table={<GroupTable rows={provinceRows} lang={lang} testId="ranking-table" />}
          />
          <section class="card">
            <h2>{t('provinceTable')}</h2>
            <ProvinceTable reply={figures.province} lang={lang} />
            <h3>{t('downloads')}</h3>
            <label class="inline">
              <input type="checkbox" checked={suppress} onChange={(e) => setSuppress(e.currentTarget.checked)} data-testid="suppress" /> {t('suppress')}
            </label>
            {downloadButtons('province')}
            <MicrodataExport token={token} roundId={selection.roundId} lang={lang} />
          </section>
          <ReleasePanel token={token} roundId={selection.roundId} lang={lang} />
          {(
            [
              ['unit-type', 'byUnitType', figures.unitType],
              ['region', 'byRegion', figures.region],
            ] as const
          ).map(([by, title, reply]) => (
            <ChartCard
              key={by}
              title={t(title)}
              lang={lang}
              testId={`groups-${by}`}
              chart={
                <BarChart
                  bars={reply.rows.map((r) => ({ group: r.group, label: r.label, value: r.value, reliable: r.reliable }))}
                  reference={reference}
                  lang={lang}
                  testId={`chart-${by}`}
                  title={t(title)}
                />
              }
              table={<GroupTable rows={reply.rows} lang={lang} testId={`table-${by}`} />}
              actions={downloadButtons(by)}
            />
          ))}
          <ElementBreakdown token={token} selection={selection} elements={indicators.filter((i) => i.level === 'element')} provinces={provinceRows.filter((r) => r.value !== null)} lang={lang} />
          {figures.province.summary ? (
            <ChartCard
              title={t('distribution')}
              lang={lang}
              testId="distribution"
              chart={
                <BoxPlot
                  summary={{ min: figures.province.summary.min.value, q1: figures.province.summary.q1, median: figures.province.summary.median, q3: figures.province.summary.q3, max: figures.province.summary.max.value }}
                  lang={lang}
                  testId="distribution-chart"
                />
              }
              table={<DistributionTable summary={figures.province.summary} lang={lang} />}
            />
          ) : null}
        </>
      )}
    </>
  );
}

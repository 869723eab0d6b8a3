import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { DashboardLogin } from '../shared/login';
import { api, ApiError, downloadFile, type AggregateRow, type AggregatesReply, type ExportView, type IndicatorDefinition, type RoundView } from './api';
import { BarChart, BoxPlot, ChartCard, PairedBarChart } from './charts';
import { formatFigure, formatPlaces, t, type Lang } from './i18n';

const TOKEN_KEY = 'sipas-analyst-token';
const LANG_KEY = 'sipas-analyst-lang';
const ESTIMATES = ['index', 'pooled', 'weighted'] as const;
type EstimateKey = (typeof ESTIMATES)[number];

interface Selection {
  roundId: string;
  edition: 63 | 34;
  indicator: string;
  estimate: EstimateKey;
}

interface Figures {
  province: AggregatesReply;
  national: AggregatesReply;
  unitType: AggregatesReply;
  region: AggregatesReply;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function Login(props: { lang: Lang; onToken: (token: string) => void }) {
  const { lang } = props;
  const words = {
    username: t(lang, 'username'),
    password: t(lang, 'password'),
    logIn: t(lang, 'logIn'),
    loginFailed: t(lang, 'loginFailed'),
    wrongRole: t(lang, 'notAnalyst'),
    failed: (message: string) => t(lang, 'error', { message }),
  };
  return <DashboardLogin words={words} roles={['analyst']} logIn={api.login} roleOf={async (token) => (await api.me(token)).role} onToken={props.onToken} />;
}

/** The province table: value, interval, rank, change in points and places with arrows. */
function ProvinceTable(props: { reply: AggregatesReply; lang: Lang }) {
  const { reply, lang } = props;
  const rows = [...reply.rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.group.localeCompare(b.group));
  return (
    <table class="figures" data-testid="province-table">
      <thead>
        <tr>
          <th>{t(lang, 'rank')}</th>
          <th>{t(lang, 'code')}</th>
          <th>{t(lang, 'name')}</th>
          <th class="num">{t(lang, 'n')}</th>
          <th class="num">{t(lang, 'value')}</th>
          <th class="num">{t(lang, 'interval')}</th>
          <th class="num">{t(lang, 'changePoints')}</th>
          <th>{t(lang, 'changePlaces')}</th>
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
                {row.reliable ? null : <span class="note"> ({row.suppressed ? t(lang, 'suppressed') : t(lang, 'unreliable', { n: reply.minimumN })})</span>}
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
function GroupTable(props: { rows: ReadonlyArray<Pick<AggregateRow, 'group' | 'label' | 'n' | 'value'>>; lang: Lang; testId: string }) {
  return (
    <table class="figures" data-testid={props.testId}>
      <thead>
        <tr>
          <th>{t(props.lang, 'name')}</th>
          <th class="num">{t(props.lang, 'n')}</th>
          <th class="num">{t(props.lang, 'value')}</th>
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

/** The five elements of a chosen province against the national figure. */
function ElementBreakdown(props: { token: string; selection: Selection; elements: ReadonlyArray<IndicatorDefinition>; provinces: ReadonlyArray<AggregateRow>; lang: Lang }) {
  const { lang, selection } = props;
  const [province, setProvince] = useState<string>(props.provinces[0]?.group ?? '');
  const [pairs, setPairs] = useState<Array<{ key: string; label: string; a: number | null; b: number | null }>>([]);
  // Arrays are rebuilt on every render of the page: effects depend on their contents instead.
  const provinceCodes = props.provinces.map((p) => p.group).join(',');
  const elementIds = props.elements.map((e) => e.id).join(',');
  useEffect(() => {
    if (!props.provinces.some((p) => p.group === province)) setProvince(props.provinces[0]?.group ?? '');
  }, [provinceCodes]);
  useEffect(() => {
    if (!province) return;
    let live = true;
    const query = (by: string, indicator: string) => ({ by, indicator, edition: String(selection.edition), estimate: selection.estimate, fields: 'group,n,value' });
    Promise.all(
      props.elements.map(async (element) => {
        const [byProvince, national] = await Promise.all([
          api.aggregates(props.token, selection.roundId, query('province', element.id)),
          api.aggregates(props.token, selection.roundId, query('national', element.id)),
        ]);
        return { key: element.id, label: element.label[lang], a: byProvince.rows.find((r) => r.group === province)?.value ?? null, b: national.rows[0]?.value ?? null };
      }),
    ).then(
      (result) => live && setPairs(result),
      () => live && setPairs([]),
    );
    return () => {
      live = false;
    };
  }, [province, selection, elementIds, lang]);
  const provinceName = props.provinces.find((p) => p.group === province)?.label ?? province;
  return (
    <ChartCard
      title={t(lang, 'elements')}
      lang={lang}
      testId="elements"
      chart={
        <>
          <label class="inline">
            {t(lang, 'province')}{' '}
            <select value={province} onChange={(e) => setProvince(e.currentTarget.value)} data-testid="element-province">
              {props.provinces.map((p) => (
                <option key={p.group} value={p.group}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <PairedBarChart pairs={pairs} names={[provinceName, t(lang, 'national')]} lang={lang} testId="elements-chart" />
        </>
      }
      table={
        <table class="figures" data-testid="elements-table">
          <thead>
            <tr>
              <th>{t(lang, 'element')}</th>
              <th class="num">{provinceName}</th>
              <th class="num">{t(lang, 'national')}</th>
            </tr>
          </thead>
          <tbody>
            {pairs.map((p) => (
              <tr key={p.key}>
                <td>{p.label}</td>
                <td class="num">{formatFigure(p.a, lang)}</td>
                <td class="num">{formatFigure(p.b, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/** Microdata export: request, watch the progress, download when ready. */
function MicrodataExport(props: { token: string; roundId: string; lang: Lang }) {
  const { lang, token } = props;
  const [job, setJob] = useState<ExportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!job || job.state === 'ready' || job.state === 'failed' || job.state === 'expired') return;
    const timer = setTimeout(() => {
      api.exportStatus(token, job.id).then(setJob, (e: unknown) => setError(messageOf(e)));
    }, 400);
    return () => clearTimeout(timer);
  }, [job]);
  const start = (format: 'csv' | 'xlsx') => {
    setError(null);
    api.requestExport(token, props.roundId, format).then(setJob, (e: unknown) => setError(messageOf(e)));
  };
  const progress = job?.progress;
  return (
    <div class="export" data-testid="microdata-export">
      <div class="row">
        <button type="button" class="secondary" onClick={() => start('csv')}>
          {t(lang, 'microdata', { format: 'CSV' })}
        </button>
        <button type="button" class="secondary" onClick={() => start('xlsx')}>
          {t(lang, 'microdata', { format: 'XLSX' })}
        </button>
      </div>
      {job && job.state !== 'ready' && job.state !== 'failed' ? (
        <p data-testid="export-progress">
          <progress max={100} value={progress?.percent ?? 0} />{' '}
          {t(lang, 'exportState', { state: job.state, percent: progress?.percent ?? 0, rows: progress?.rows ?? 0, total: progress?.rowsTotal ?? 0 })}
        </p>
      ) : null}
      {job?.state === 'ready' && job.downloadUrl ? (
        <p data-testid="export-ready">
          {t(lang, 'exportReady', { name: job.fileName, time: job.expiresAt ? new Date(job.expiresAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB') : '' })}{' '}
          <button type="button" class="primary" onClick={() => void downloadFile(token, job.downloadUrl!, job.fileName).catch((e: unknown) => setError(messageOf(e)))}>
            {t(lang, 'downloadFile')}
          </button>
        </p>
      ) : null}
      {job?.state === 'failed' ? <p class="error">{t(lang, 'exportFailed', { message: job.error ?? '' })}</p> : null}
      {error ? <p class="error" role="alert">{t(lang, 'error', { message: error })}</p> : null}
    </div>
  );
}

function Dashboard(props: { token: string; lang: Lang; onLogout: () => void }) {
  const { token, lang } = props;
  const [rounds, setRounds] = useState<RoundView[] | null>(null);
  const [indicators, setIndicators] = useState<IndicatorDefinition[]>([]);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [suppress, setSuppress] = useState(false);

  useEffect(() => {
    api.rounds(token).then(
      ({ rounds: list }) => {
        setRounds(list);
        const first = list[0];
        if (first) setSelection({ roundId: first.id, edition: first.boundaryEdition, indicator: 'overall', estimate: 'index' });
      },
      (e: unknown) => (e instanceof ApiError && e.status === 401 ? props.onLogout() : setError(messageOf(e))),
    );
  }, [token]);

  const round = rounds?.find((r) => r.id === selection?.roundId);
  useEffect(() => {
    if (!round) return;
    api.definition(token, round.indexDefinitionId, round.indexDefinitionVersion).then(
      (d) => setIndicators(d.indicators),
      (e: unknown) => setError(messageOf(e)),
    );
  }, [round?.id]);

  useEffect(() => {
    if (!selection) return;
    let live = true;
    setFigures(null);
    setError(null);
    const query = (by: string) => ({ by, indicator: selection.indicator, edition: String(selection.edition), estimate: selection.estimate });
    Promise.all([
      api.aggregates(token, selection.roundId, query('province')),
      api.aggregates(token, selection.roundId, query('national')),
      api.aggregates(token, selection.roundId, query('unit-type')),
      api.aggregates(token, selection.roundId, query('region')),
    ]).then(
      ([province, national, unitType, region]) => live && setFigures({ province, national, unitType, region }),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [selection]);

  if (error) return <p class="error" role="alert">{t(lang, 'error', { message: error })}</p>;
  if (!rounds) return <p>{t(lang, 'loading')}</p>;
  if (!selection || !round) return <p>{t(lang, 'noRound')}</p>;

  const update = (patch: Partial<Selection>) => setSelection({ ...selection, ...patch });
  const national = figures?.national.rows[0]?.value ?? null;
  const provinceRows = figures ? [...figures.province.rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity)) : [];
  const download = (by: string, format: 'csv' | 'xlsx' | 'json') => {
    const query = new URLSearchParams({ by, indicator: selection.indicator, edition: String(selection.edition), estimate: selection.estimate, format, fields: 'all' });
    if (suppress) query.set('suppress', 'true');
    if (format === 'json') query.set('download', 'true');
    void downloadFile(token, `/api/v1/rounds/${encodeURIComponent(selection.roundId)}/aggregates?${query.toString()}`, `${selection.roundId}.${format}`).catch((e: unknown) => setError(messageOf(e)));
  };
  const downloadButtons = (by: string) => (
    <div class="row downloads" data-testid={`downloads-${by}`}>
      {(['csv', 'xlsx', 'json'] as const).map((format) => (
        <button key={format} type="button" class="secondary" data-format={format} onClick={() => download(by, format)}>
          {t(lang, 'downloadTable', { format: format.toUpperCase() })}
        </button>
      ))}
    </div>
  );

  return (
    <>
      <section class="card controls">
        <label>
          {t(lang, 'round')}
          <select data-testid="round" value={selection.roundId} onChange={(e) => {
            const next = rounds.find((r) => r.id === e.currentTarget.value);
            if (next) setSelection({ roundId: next.id, edition: next.boundaryEdition, indicator: 'overall', estimate: selection.estimate });
          }}>
            {rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id} ({r.year})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(lang, 'edition')}
          <select data-testid="edition" value={String(selection.edition)} onChange={(e) => update({ edition: Number(e.currentTarget.value) as 63 | 34 })}>
            {(round.boundaryEdition === 63 ? [63, 34] : [34]).map((n) => (
              <option key={n} value={String(n)}>
                {t(lang, 'editionUnits', { n })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(lang, 'indicator')}
          <select data-testid="indicator" value={selection.indicator} onChange={(e) => update({ indicator: e.currentTarget.value })}>
            {[...indicators].reverse().map((i) => (
              <option key={i.id} value={i.id}>
                {i.id} – {i.label[lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(lang, 'estimate')}
          <select data-testid="estimate" value={selection.estimate} onChange={(e) => update({ estimate: e.currentTarget.value as EstimateKey })}>
            {ESTIMATES.map((key) => (
              <option key={key} value={key}>
                {t(lang, `estimate_${key}`)}
              </option>
            ))}
          </select>
        </label>
      </section>

      {!figures ? (
        <p>{t(lang, 'loading')}</p>
      ) : (
        <>
          <p class="muted" data-testid="computed">
            {figures.province.computedAt
              ? t(lang, 'computedAt', { time: new Date(figures.province.computedAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB'), n: figures.province.responses })
              : t(lang, 'notComputed')}
          </p>
          <ChartCard
            title={`${t(lang, 'ranking')}: ${figures.province.indicatorLabel[lang]}`}
            lang={lang}
            testId="ranking"
            chart={
              <BarChart
                bars={provinceRows.map((r) => ({ group: r.group, label: r.label, value: r.value, reliable: r.reliable }))}
                reference={national === null ? null : { value: national, label: t(lang, 'nationalMean', { value: formatFigure(national, lang) }) }}
                lang={lang}
                testId="ranking-chart"
                title={t(lang, 'ranking')}
              />
            }
            table={<GroupTable rows={provinceRows} lang={lang} testId="ranking-table" />}
          />
          <section class="card">
            <h2>{t(lang, 'provinceTable')}</h2>
            <ProvinceTable reply={figures.province} lang={lang} />
            <h3>{t(lang, 'downloads')}</h3>
            <label class="inline">
              <input type="checkbox" checked={suppress} onChange={(e) => setSuppress(e.currentTarget.checked)} data-testid="suppress" /> {t(lang, 'suppress')}
            </label>
            {downloadButtons('province')}
            <MicrodataExport token={token} roundId={selection.roundId} lang={lang} />
          </section>
          {(
            [
              ['unit-type', 'byUnitType', figures.unitType],
              ['region', 'byRegion', figures.region],
            ] as const
          ).map(([by, title, reply]) => (
            <ChartCard
              key={by}
              title={t(lang, title)}
              lang={lang}
              testId={`groups-${by}`}
              chart={
                <BarChart
                  bars={reply.rows.map((r) => ({ group: r.group, label: r.label, value: r.value, reliable: r.reliable }))}
                  reference={national === null ? null : { value: national, label: t(lang, 'nationalMean', { value: formatFigure(national, lang) }) }}
                  lang={lang}
                  testId={`chart-${by}`}
                  title={t(lang, title)}
                />
              }
              table={<GroupTable rows={reply.rows} lang={lang} testId={`table-${by}`} />}
              actions={downloadButtons(by)}
            />
          ))}
          <ElementBreakdown token={token} selection={selection} elements={indicators.filter((i) => i.level === 'element')} provinces={provinceRows.filter((r) => r.value !== null)} lang={lang} />
          {figures.province.summary ? (
            <ChartCard
              title={t(lang, 'distribution')}
              lang={lang}
              testId="distribution"
              chart={
                <BoxPlot
                  summary={{ min: figures.province.summary.min.value, q1: figures.province.summary.q1, median: figures.province.summary.median, q3: figures.province.summary.q3, max: figures.province.summary.max.value }}
                  lang={lang}
                  testId="distribution-chart"
                />
              }
              table={
                <table class="figures" data-testid="distribution-table">
                  <tbody>
                    {(
                      [
                        ['min', figures.province.summary.min.value],
                        ['q1', figures.province.summary.q1],
                        ['median', figures.province.summary.median],
                        ['q3', figures.province.summary.q3],
                        ['max', figures.province.summary.max.value],
                      ] as const
                    ).map(([key, value]) => (
                      <tr key={key} data-stat={key}>
                        <th>{t(lang, key)}</th>
                        <td class="num">{formatFigure(value, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              }
            />
          ) : null}
        </>
      )}
    </>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi'));
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  useEffect(() => {
    localStorage.setItem(LANG_KEY, lang);
    document.documentElement.lang = lang;
    document.title = t(lang, 'title');
  }, [lang]);
  const keep = (next: string | null) => {
    if (next) sessionStorage.setItem(TOKEN_KEY, next);
    else sessionStorage.removeItem(TOKEN_KEY);
    setToken(next);
  };
  return (
    <>
      <header class="topbar">
        <h1>{t(lang, 'title')}</h1>
        <button type="button" class="link" data-testid="language" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
          {t(lang, 'language')}
        </button>
        {token ? (
          <button type="button" class="link" onClick={() => keep(null)}>
            {t(lang, 'logOut')}
          </button>
        ) : null}
      </header>
      <main>{token ? <Dashboard token={token} lang={lang} onLogout={() => keep(null)} /> : <Login lang={lang} onToken={keep} />}</main>
    </>
  );
}

render(<App />, document.getElementById('app')!);

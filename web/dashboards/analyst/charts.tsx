import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { formatFigure, translate, type Lang } from './i18n';

/** A bar of a chart: a group and its value (null: no value, drawn as nothing). */
export interface Bar {
  group: string;
  label: string;
  value: number | null;
  reliable?: boolean;
}

const WIDTH = 720;
const LABEL_WIDTH = 170;
const VALUE_WIDTH = 56;
const BAR_HEIGHT = 14;
const GAP = 4;

/**
 * The value axis: from a round ten below the lowest value to 100. Provincial values sit between 70
 * and 100; an axis from 0 would make their differences invisible, so the start is printed on the axis.
 */
function axisOf(values: ReadonlyArray<number>): { from: number; to: number; ticks: number[] } {
  const lowest = Math.min(...values, 100);
  const from = Math.max(0, Math.floor((lowest - 5) / 10) * 10);
  const ticks: number[] = [];
  for (let tick = from; tick <= 100; tick += 10) ticks.push(tick);
  return { from, to: 100, ticks };
}

/** Horizontal bars, one per group, with an optional reference line (the national mean). */
export function BarChart(props: { bars: ReadonlyArray<Bar>; reference?: { value: number; label: string } | null; lang: Lang; testId: string; title: string }) {
  const { bars, reference, lang } = props;
  const shown = bars.filter((b): b is Bar & { value: number } => b.value !== null);
  const axis = axisOf([...shown.map((b) => b.value), ...(reference ? [reference.value] : [])]);
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const x = (value: number): number => LABEL_WIDTH + ((value - axis.from) / (axis.to - axis.from)) * plotWidth;
  const height = shown.length * (BAR_HEIGHT + GAP) + 30;
  return (
    <svg class="chart" data-testid={props.testId} viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={props.title}>
      {axis.ticks.map((tick) => (
        <g key={tick}>
          <line x1={x(tick)} x2={x(tick)} y1={0} y2={height - 20} stroke="#e1e4e8" />
          <text x={x(tick)} y={height - 6} text-anchor="middle" class="tick">
            {tick}
          </text>
        </g>
      ))}
      {shown.map((bar, i) => (
        <g key={bar.group} class={bar.reliable === false ? 'bar unreliable' : 'bar'} data-group={bar.group} data-value={bar.value}>
          <text x={LABEL_WIDTH - 6} y={i * (BAR_HEIGHT + GAP) + BAR_HEIGHT - 3} text-anchor="end" class="bar-label">
            {bar.label}
          </text>
          <rect x={LABEL_WIDTH} y={i * (BAR_HEIGHT + GAP)} width={Math.max(1, x(bar.value) - LABEL_WIDTH)} height={BAR_HEIGHT} rx={2} />
          <text x={x(bar.value) + 4} y={i * (BAR_HEIGHT + GAP) + BAR_HEIGHT - 3} class="bar-value">
            {formatFigure(bar.value, lang)}
          </text>
        </g>
      ))}
      {reference ? (
        <g data-testid={`${props.testId}-reference`} data-value={reference.value}>
          <line x1={x(reference.value)} x2={x(reference.value)} y1={0} y2={height - 20} class="reference" />
          <text x={x(reference.value) + 3} y={10} class="reference-label">
            {reference.label}
          </text>
        </g>
      ) : null}
    </svg>
  );
}

/** Two bars per category (a province and the nation), side by side. */
export function PairedBarChart(props: { pairs: ReadonlyArray<{ key: string; label: string; a: number | null; b: number | null }>; names: [string, string]; lang: Lang; testId: string }) {
  const values = props.pairs.flatMap((p) => [p.a, p.b]).filter((v): v is number => v !== null);
  const axis = axisOf(values);
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const x = (value: number): number => LABEL_WIDTH + ((value - axis.from) / (axis.to - axis.from)) * plotWidth;
  const rowHeight = BAR_HEIGHT * 2 + GAP * 3;
  const height = props.pairs.length * rowHeight + 44;
  return (
    <svg class="chart" data-testid={props.testId} viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={props.names.join(' / ')}>
      {axis.ticks.map((tick) => (
        <g key={tick}>
          <line x1={x(tick)} x2={x(tick)} y1={0} y2={height - 40} stroke="#e1e4e8" />
          <text x={x(tick)} y={height - 26} text-anchor="middle" class="tick">
            {tick}
          </text>
        </g>
      ))}
      {props.pairs.map((pair, i) => (
        <g key={pair.key} data-group={pair.key}>
          <text x={LABEL_WIDTH - 6} y={i * rowHeight + BAR_HEIGHT + 2} text-anchor="end" class="bar-label">
            {pair.label}
          </text>
          {([['a', pair.a], ['b', pair.b]] as const).map(([which, value], k) =>
            value === null ? null : (
              <g key={which} class={`bar series-${which}`}>
                <rect x={LABEL_WIDTH} y={i * rowHeight + k * (BAR_HEIGHT + GAP)} width={Math.max(1, x(value) - LABEL_WIDTH)} height={BAR_HEIGHT} rx={2} />
                <text x={x(value) + 4} y={i * rowHeight + k * (BAR_HEIGHT + GAP) + BAR_HEIGHT - 3} class="bar-value">
                  {formatFigure(value, props.lang)}
                </text>
              </g>
            ),
          )}
        </g>
      ))}
      <g class="legend">
        <rect class="series-a" x={LABEL_WIDTH} y={height - 14} width={12} height={10} />
        <text x={LABEL_WIDTH + 16} y={height - 5}>
          {props.names[0]}
        </text>
        <rect class="series-b" x={LABEL_WIDTH + 220} y={height - 14} width={12} height={10} />
        <text x={LABEL_WIDTH + 236} y={height - 5}>
          {props.names[1]}
        </text>
      </g>
    </svg>
  );
}

/** Box and whiskers of the provincial values: range, quartiles and median. */
export function BoxPlot(props: { summary: { min: number; q1: number; median: number; q3: number; max: number }; lang: Lang; testId: string }) {
  const { summary } = props;
  const t = translate(props.lang);
  const axis = axisOf([summary.min]);
  const x = (value: number): number => 20 + ((value - axis.from) / (axis.to - axis.from)) * (WIDTH - 40);
  return (
    <svg class="chart" data-testid={props.testId} viewBox={`0 0 ${WIDTH} 80`} role="img" aria-label={t('distribution')}>
      {axis.ticks.map((tick) => (
        <text key={tick} x={x(tick)} y={76} text-anchor="middle" class="tick">
          {tick}
        </text>
      ))}
      <line x1={x(summary.min)} x2={x(summary.max)} y1={30} y2={30} class="whisker" />
      <line x1={x(summary.min)} x2={x(summary.min)} y1={20} y2={40} class="whisker" />
      <line x1={x(summary.max)} x2={x(summary.max)} y1={20} y2={40} class="whisker" />
      <rect x={x(summary.q1)} y={14} width={Math.max(1, x(summary.q3) - x(summary.q1))} height={32} class="box" />
      <line x1={x(summary.median)} x2={x(summary.median)} y1={14} y2={46} class="median" />
      <text x={x(summary.median)} y={10} text-anchor="middle" class="bar-value">
        {formatFigure(summary.median, props.lang)}
      </text>
    </svg>
  );
}

/** A chart with a switch to its table: every chart can be read as numbers. */
export function ChartCard(props: { title: string; lang: Lang; chart: ComponentChildren; table: ComponentChildren; actions?: ComponentChildren; testId: string }) {
  const t = translate(props.lang);
  const [asTable, setAsTable] = useState(false);
  return (
    <section class="card" data-testid={props.testId}>
      <header class="card-head">
        <h2>{props.title}</h2>
        <button type="button" class="link" onClick={() => setAsTable(!asTable)}>
          {t(asTable ? 'showChart' : 'showTable')}
        </button>
      </header>
      {asTable ? props.table : props.chart}
      {props.actions}
    </section>
  );
}

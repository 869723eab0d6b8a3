import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type AggregatesReply } from '../../shared/api-client';
import { ChartCard, PairedBarChart } from './charts';
import { formatFigure, translate, type Lang } from './i18n';
import { tableOf, type Indicator, type Selection } from './use-figures';

type Pair = { key: string; label: string; a: number | null; b: number | null };

/** The five elements of a chosen province against the national figure. */
export function ElementBreakdown(props: { token: string; selection: Selection; elements: ReadonlyArray<Indicator>; provinces: AggregatesReply['rows']; lang: Lang }) {
  const { lang, selection } = props;
  const t = translate(lang);
  const [province, setProvince] = useState<string>(props.provinces[0]?.group ?? '');
  const [pairs, setPairs] = useState<Pair[]>([]);
  // Arrays are rebuilt on every render of the page: effects depend on their contents instead.
  const provinceCodes = props.provinces.map((p) => p.group).join(',');
  const elementIds = props.elements.map((e) => e.id).join(',');
  useEffect(() => {
    if (!props.provinces.some((p) => p.group === province)) setProvince(props.provinces[0]?.group ?? '');
  }, [provinceCodes]);
  useEffect(() => {
    if (!province) return;
    let live = true;
    const values = (by: 'province' | 'national', indicator: string) =>
      orThrow(api.aggregates(props.token, selection.roundId, { ...tableOf(selection, by), indicator }, ['group', 'n', 'value']));
    Promise.all(
      props.elements.map(async (element) => {
        const [byProvince, national] = await Promise.all([values('province', element.id), values('national', element.id)]);
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
      title={t('elements')}
      lang={lang}
      testId="elements"
      chart={
        <>
          <label class="inline">
            {t('province')}{' '}
            <select value={province} onChange={(e) => setProvince(e.currentTarget.value)} data-testid="element-province">
              {props.provinces.map((p) => (
                <option key={p.group} value={p.group}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <PairedBarChart pairs={pairs} names={[provinceName, t('national')]} lang={lang} testId="elements-chart" />
        </>
      }
      table={
        <table class="figures" data-testid="elements-table">
          <thead>
            <tr>
              <th>{t('element')}</th>
              <th class="num">{provinceName}</th>
              <th class="num">{t('national')}</th>
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

import type { RoundView } from '../../shared/api-client';
import { translate, type Lang } from './i18n';
import { ESTIMATES, type EstimateKey, type Indicator, type Selection } from './use-figures';

/** What to look at: round, boundary edition, indicator and estimate. A new round starts at its overall index. */
export function Controls(props: { rounds: RoundView[]; round: RoundView; indicators: Indicator[]; selection: Selection; lang: Lang; onSelect: (selection: Selection) => void }) {
  const { rounds, round, selection, lang } = props;
  const t = translate(lang);
  const update = (patch: Partial<Selection>) => props.onSelect({ ...selection, ...patch });
  return (
    <section class="card controls">
      <label>
        {t('round')}
        <select data-testid="round" value={selection.roundId} onChange={(e) => {
          const next = rounds.find((r) => r.id === e.currentTarget.value);
          if (next) props.onSelect({ roundId: next.id, edition: next.boundaryEdition, indicator: 'overall', estimate: selection.estimate });
        }}>
          {rounds.map((r) => (
            <option key={r.id} value={r.id}>
              {r.id} ({r.year})
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('edition')}
        <select data-testid="edition" value={String(selection.edition)} onChange={(e) => update({ edition: Number(e.currentTarget.value) as 63 | 34 })}>
          {(round.boundaryEdition === 63 ? [63, 34] : [34]).map((n) => (
            <option key={n} value={String(n)}>
              {t('editionUnits', { n })}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('indicator')}
        <select data-testid="indicator" value={selection.indicator} onChange={(e) => update({ indicator: e.currentTarget.value })}>
          {[...props.indicators].reverse().map((i) => (
            <option key={i.id} value={i.id}>
              {i.id} – {i.label[lang]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('estimate')}
        <select data-testid="estimate" value={selection.estimate} onChange={(e) => update({ estimate: e.currentTarget.value as EstimateKey })}>
          {ESTIMATES.map((key) => (
            <option key={key} value={key}>
              {t(`estimate_${key}`)}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

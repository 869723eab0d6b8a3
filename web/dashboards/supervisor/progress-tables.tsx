import type { Option } from '../../../survey-forms/form-definition.schema';
import type { QuotaProgressReply } from '../../shared/api-client';
import { translate, type Lang } from './i18n';
import { Bar } from './overview';

const percent = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);


/** Quota cells of each province, then the province's total. */
export function QuotaGrid(props: { progress: QuotaProgressReply; levels: Option[]; fields: Option[]; lang: Lang }) {
  const { progress, lang } = props;
  const t = translate(lang);
  const labelOf = (options: Option[], code: string | number | null): string =>
    code === null ? t('anyType') : (options.find((o) => String(o.code) === String(code))?.label[lang] ?? String(code));
  return (
    <section aria-labelledby="grid-title" class="cells">
      <h3 id="grid-title">{t('quotaGrid')}</h3>
      <table class="quota-grid">
        <thead>
          <tr>
            <th>{t('province')}</th>
            <th>{t('level')}</th>
            <th>{t('field')}</th>
            <th>{t('respondentType')}</th>
            <th class="num">{t('target')}</th>
            <th class="num">{t('accepted')}</th>
            <th>{t('progress')}</th>
            <th class="num">{t('awaitingReview')}</th>
            <th class="num">{t('flagged')}</th>
            <th class="num">{t('rejected')}</th>
            <th class="num">{t('returned')}</th>
            <th class="num">{t('responseRate')}</th>
          </tr>
        </thead>
        <tbody>
          {progress.provinces.map((p) => (
            <>
              {progress.cells
                .filter((c) => c.provinceCode === p.provinceCode)
                .map((c) => (
                  <tr class="cell" data-province={c.provinceCode} data-level={String(c.servingLevel)} data-field={String(c.serviceField)}>
                    <td>{c.provinceName}</td>
                    <td>{labelOf(props.levels, c.servingLevel)}</td>
                    <td>{labelOf(props.fields, c.serviceField)}</td>
                    <td>{c.respondentType === null ? t('anyType') : String(c.respondentType)}</td>
                    <td class="num">{c.target ?? '–'}</td>
                    <td class="num accepted">{c.accepted}</td>
                    <td class="progress"><Bar share={c.share} /> {percent(c.share)}</td>
                    <td class="num awaiting">{c.awaitingReview}</td>
                    <td class="num flagged">{c.flagged}</td>
                    <td class="num rejected">{c.rejected}</td>
                    <td class="num returned">{c.returned}</td>
                    <td class="num">{percent(c.responseRate)}</td>
                  </tr>
                ))}
              <tr class="province-total" data-province={p.provinceCode}>
                <td colSpan={4}>{t('provinceTotal', { name: p.provinceName })}</td>
                <td class="num">{p.target ?? '–'}</td>
                <td class="num accepted">{p.accepted}</td>
                <td class="progress"><Bar share={p.share} /> {percent(p.share)}</td>
                <td class="num awaiting">{p.awaitingReview}</td>
                <td class="num flagged">{p.flagged}</td>
                <td class="num rejected">{p.rejected}</td>
                <td class="num returned">{p.returned}</td>
                <td class="num">{percent(p.responseRate)}</td>
              </tr>
            </>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Each enumerator's output, response rate and share flagged; a name opens their cells. */
export function EnumeratorTable(props: { lang: Lang; enumerators: QuotaProgressReply['enumerators']; open: (username: string) => void }) {
  const t = translate(props.lang);
  return (
    <table class="enumerators" data-testid="enumerators">
      <caption>{t('enumerators')}</caption>
      <thead>
        <tr>
          <th>{t('enumerator')}</th>
          <th class="num">{t('responses')}</th>
          <th class="num">{t('completedPerDay')}</th>
          <th class="num">{t('responseRate')}</th>
          <th class="num">{t('shareFlagged')}</th>
          <th>{t('lastDay')}</th>
        </tr>
      </thead>
      <tbody>
        {props.enumerators.map((e) => (
          <tr data-key={e.username}>
            <th scope="row">
              <button type="button" class="drill" onClick={() => props.open(e.username)}>{e.username}</button>
            </th>
            <td class="num">{e.responses}</td>
            <td class="num">{e.completedPerDay}</td>
            <td class="num">{percent(e.responseRate)}</td>
            <td class="num">{percent(e.shareFlagged)}</td>
            <td>{e.lastDay}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import { translate, type Lang } from './i18n';
import { EnumeratorTable, PaceTable, QuotaGrid } from './progress-tables';
import { PaperForms } from './paper-forms';
import { ReviewQueue } from './review-queue';
import { useSupervision } from './use-supervision';

/** The supervisor's page: filters, quota grid, pace, enumerators and the review queue. */
export function Dashboard(props: { lang: Lang; token: string; onLogout: () => void }) {
  const { lang, token } = props;
  const t = translate(lang);
  const s = useSupervision(token, props.onLogout);

  if (s.rounds && s.rounds.length === 0) return <p>{t('noRound')}</p>;
  return (
    <main>
      <div class="filters">
        <label>
          {t('round')}{' '}
          <select name="round" value={s.roundId ?? ''} onChange={(e) => s.setRoundId(e.currentTarget.value)}>
            {s.rounds?.map((r) => <option value={r.id}>{r.id}</option>)}
          </select>
        </label>
        <label>
          {t('level')}{' '}
          <select name="level" value={s.level} onChange={(e) => s.setLevel(e.currentTarget.value)}>
            <option value="">{t('allLevels')}</option>
            {s.levels.map((o) => <option value={String(o.code)}>{o.label[lang]}</option>)}
          </select>
        </label>
        <label>
          {t('field')}{' '}
          <select name="field" value={s.field} onChange={(e) => s.setField(e.currentTarget.value)}>
            <option value="">{t('allFields')}</option>
            {s.fields.map((o) => <option value={String(o.code)}>{o.label[lang]}</option>)}
          </select>
        </label>
        {s.updatedAt && <span class="updated">{t('updated', { time: s.updatedAt.toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB') })}</span>}
        {s.error && <span class="error" role="alert">{t('failed', { message: s.error })}</span>}
      </div>
      {s.progress && (
        <>
          <QuotaGrid progress={s.progress} levels={s.levels} fields={s.fields} lang={lang} />
          <PaceTable progress={s.progress} lang={lang} />
          <EnumeratorTable progress={s.progress} lang={lang} />
        </>
      )}
      {s.queue && s.roundId && <ReviewQueue lang={lang} token={token} roundId={s.roundId} queue={s.queue} onDecided={() => void s.refresh()} />}
      {s.roundId && <PaperForms lang={lang} token={token} roundId={s.roundId} />}
    </main>
  );
}

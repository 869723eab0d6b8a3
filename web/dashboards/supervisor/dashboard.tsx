import { useEffect } from 'preact/hooks';
import { translate, type Lang } from './i18n';
import { LevelTable, Totals } from './overview';
import { EnumeratorTable, QuotaGrid } from './progress-tables';
import { PaperForms } from './paper-forms';
import { ReviewQueue } from './review-queue';
import { ReviewScreen } from './review-screen';
import { RespondentLinks } from './respondent-links';
import { readDeviceFilters, writeDeviceFilters } from './device-filters';
import { DevicesScreen } from './devices';
import { ScreenNav, useScreen } from './screens';
import { useSupervision } from './use-supervision';
import { drillTo, writeViewState } from './view-state';

// Performance marks: when the app's code starts, and when the server's progress is first on screen (the bench reads them).
performance.mark('sipas:supervisor-start');
let drawn = false;

/**
 * The supervisor's page: the national overview first (a row per province), drilling down to post
 * offices, enumerators and quota cells; the review queue of what is in view; the review screen of one
 * response. Where the supervisor is looking lives in the URL.
 */
export function Dashboard(props: { lang: Lang; token: string; onLogout: () => void }) {
  const { lang, token } = props;
  const t = translate(lang);
  const s = useSupervision(token, props.onLogout);
  const { view, setView, progress } = s;
  useEffect(() => {
    if (!drawn && s.updatedAt && progress) {
      drawn = true;
      performance.mark('sipas:overview-drawn');
    }
  }, [s.updatedAt]);

  const [screen, openScreen] = useScreen();

  if (s.rounds && s.rounds.length === 0) return <p>{t('noRound')}</p>;
  const nav = (
    <ScreenNav
      lang={lang}
      screen={screen}
      addresses={{ overview: writeViewState(view), devices: writeDeviceFilters(readDeviceFilters(''), s.roundId) }}
      open={openScreen}
    />
  );
  if (screen === 'devices') {
    const names = new Map((progress?.provinces ?? []).map((p) => [p.provinceCode, p.provinceName]));
    return (
      <main>
        {nav}
        <DevicesScreen lang={lang} token={token} roundId={s.roundId} provinceNames={names} onLogout={props.onLogout} />
      </main>
    );
  }
  const provinceName = progress?.provinces.find((p) => p.provinceCode === view.province)?.provinceName ?? view.province;
  const officeName = progress?.postOffices.find((o) => o.postOffice === view.postOffice)?.postOfficeName ?? view.postOffice;
  const crumbs = [
    { label: t('national'), to: drillTo(view, { province: null }) },
    ...(view.province ? [{ label: provinceName ?? '', to: drillTo(view, { province: view.province }) }] : []),
    ...(view.postOffice ? [{ label: officeName ?? '', to: drillTo(view, { postOffice: view.postOffice }) }] : []),
    ...(view.enumerator ? [{ label: view.enumerator, to: drillTo(view, { enumerator: view.enumerator }) }] : []),
  ];
  return (
    <main>
      {nav}
      <div class="filters">
        <label>
          {t('round')}{' '}
          <select name="round" value={s.roundId ?? ''} onChange={(e) => setView({ ...drillTo(view, { province: null }), round: e.currentTarget.value })}>
            {s.rounds?.map((r) => <option value={r.id}>{r.id}</option>)}
          </select>
        </label>
        <label>
          {t('level')}{' '}
          <select name="level" value={view.level} onChange={(e) => setView({ ...view, level: e.currentTarget.value })}>
            <option value="">{t('allLevels')}</option>
            {s.levels.map((o) => <option value={String(o.code)}>{o.label[lang]}</option>)}
          </select>
        </label>
        <label>
          {t('field')}{' '}
          <select name="field" value={view.field} onChange={(e) => setView({ ...view, field: e.currentTarget.value })}>
            <option value="">{t('allFields')}</option>
            {s.fields.map((o) => <option value={String(o.code)}>{o.label[lang]}</option>)}
          </select>
        </label>
        {s.updatedAt && <span class="updated">{t('updated', { time: s.updatedAt.toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB') })}</span>}
        {s.error && <span class="error" role="alert">{t('failed', { message: s.error })}</span>}
      </div>
      <nav aria-label={t('whereAmI')} class="crumbs">
        <ol>
          {crumbs.map((c, i) => (
            <li>
              {i === crumbs.length - 1 ? <span aria-current="page">{c.label}</span> : <a href={writeViewState(c.to) || location.pathname} onClick={(e) => { e.preventDefault(); setView(c.to); }}>{c.label}</a>}
            </li>
          ))}
        </ol>
      </nav>
      {s.roundId && view.response && s.form && (
        <ReviewScreen lang={lang} token={token} roundId={s.roundId} form={s.form} responseId={view.response} queue={s.queue} view={view} setView={setView} onDecided={() => void s.refresh()} />
      )}
      {progress ? (
        <section aria-labelledby="overview-title" class="overview">
          <h2 id="overview-title">{crumbs[crumbs.length - 1]?.label}</h2>
          <Totals lang={lang} totals={progress.totals} title={t('totals')} />
          {!view.province && progress.level !== 'post-office' && (
            <LevelTable
              lang={lang}
              testId="provinces"
              caption={t('byProvince')}
              nameHeader={t('province')}
              rows={progress.provinces.map((p) => ({ ...p, name: p.provinceName, key: p.provinceCode }))}
              view={view}
              setView={setView}
              open={(r) => setView(drillTo(view, { province: r.key }))}
            />
          )}
          {(view.province || progress.level === 'post-office') && !view.postOffice && !view.enumerator && progress.postOffices.length > 0 && (
            <LevelTable
              lang={lang}
              testId="post-offices"
              caption={t('byPostOffice')}
              nameHeader={t('postOffice')}
              rows={progress.postOffices.map((o) => ({ ...o, name: o.postOfficeName, key: o.postOffice }))}
              view={view}
              setView={setView}
              open={(r) => setView({ ...drillTo(view, { postOffice: r.key }), province: r.provinceCode })}
            />
          )}
          {(view.province || progress.level === 'post-office') && !view.enumerator && (
            <EnumeratorTable
              lang={lang}
              enumerators={progress.enumerators.filter((e) => !view.postOffice || e.postOffice === view.postOffice)}
              open={(username) => setView(drillTo(view, { enumerator: username }))}
            />
          )}
          {view.province && <QuotaGrid progress={progress} levels={s.levels} fields={s.fields} lang={lang} />}
        </section>
      ) : (
        <p aria-busy="true">{t('loading')}</p>
      )}
      {s.queue && s.roundId && !view.response && <ReviewQueue lang={lang} queue={s.queue} open={(id) => setView({ ...view, response: id })} />}
      {s.roundId && progress && <PaperForms lang={lang} token={token} roundId={s.roundId} />}
      {s.roundId && progress && <RespondentLinks lang={lang} token={token} roundId={s.roundId} />}
    </main>
  );
}

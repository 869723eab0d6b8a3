import type { Static } from '@sinclair/typebox';
import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { QuotaProgressReply } from '../../../server/modules/quotas/quota.schema';
import type { ReviewListReply, ReviewResponseView } from '../../../server/modules/review/review.schema';
import { ApiError, DashboardLogin } from '../shared/login';
import { ruleLabel, t, type Lang } from './i18n';

type Progress = Static<typeof QuotaProgressReply>;
type Queue = Static<typeof ReviewListReply>;
type Opened = Static<typeof ReviewResponseView>;
interface Round { id: string; year: number; formId: string; formVersion: string; fieldworkEnd: string }
interface Option { code: string | number; label: { vi: string; en: string } }

/** How often the dashboard reads progress and the queue again: fresh enough to watch a day's work. */
const POLL_MS = 3000;

async function call<T>(path: string, token: string | null, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    cache: 'no-store',
  });
  const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  if (!res.ok) throw new ApiError(res.status, body?.error?.message ?? res.statusText);
  return body as T;
}

function Login(props: { lang: Lang; onToken: (token: string) => void }) {
  const { lang } = props;
  const words = {
    username: t(lang, 'username'),
    password: t(lang, 'password'),
    logIn: t(lang, 'logIn'),
    loginFailed: t(lang, 'loginFailed'),
    wrongRole: t(lang, 'notSupervisor'),
    failed: (message: string) => t(lang, 'error', { message }),
  };
  return <DashboardLogin words={words} roles={['supervisor', 'admin']} logIn={(username, password) => call<{ token: string }>('/api/v1/auth/login', null, { method: 'POST', body: { username, password } })} roleOf={async (token) => (await call<{ role: string }>('/api/v1/me', token)).role} onToken={props.onToken} />;
}

const percent = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

function Bar(props: { share: number | null }) {
  const share = Math.min(1, props.share ?? 0);
  return (
    <span class={`bar${share >= 1 ? ' full' : ''}`} title={percent(props.share)}>
      <span style={{ width: `${(share * 100).toFixed(1)}%` }} />
    </span>
  );
}

function Dashboard(props: { lang: Lang; token: string; onLogout: () => void }) {
  const { lang, token } = props;
  const [rounds, setRounds] = useState<Round[] | null>(null);
  const [roundId, setRoundId] = useState<string | null>(null);
  const [levels, setLevels] = useState<Option[]>([]);
  const [fields, setFields] = useState<Option[]>([]);
  const [level, setLevel] = useState('');
  const [field, setField] = useState('');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [queue, setQueue] = useState<Queue | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call<{ rounds: Round[] }>('/api/v1/rounds', token).then(
      (r) => {
        setRounds(r.rounds);
        setRoundId((current) => current ?? r.rounds[0]?.id ?? null);
      },
      (e: Error) => setError(e.message),
    );
  }, [token]);

  const round = rounds?.find((r) => r.id === roundId);
  useEffect(() => {
    if (!round) return;
    call<{ dimensions: Record<string, string>; codeLists: Record<string, Option[]>; sections: Array<{ items: Array<{ id: string; options?: Option[]; codeList?: string }> }> }>(
      `/api/v1/forms/${round.formId}/${round.formVersion}`,
      token,
    ).then((form) => {
      const optionsOf = (itemId: string | undefined): Option[] => {
        const item = form.sections.flatMap((s) => s.items).find((i) => i.id === itemId);
        return item?.options ?? (item?.codeList ? (form.codeLists[item.codeList] ?? []) : []);
      };
      setLevels(optionsOf(form.dimensions.servingLevel));
      setFields(optionsOf(form.dimensions.serviceField));
    }, () => undefined);
  }, [round?.id, token]);

  const refresh = useCallback(async () => {
    if (!roundId) return;
    const query = new URLSearchParams({ ...(level ? { servingLevel: level } : {}), ...(field ? { serviceField: field } : {}) });
    try {
      const [p, q] = await Promise.all([
        call<Progress>(`/api/v1/rounds/${roundId}/quota-progress?${query.toString()}`, token),
        call<Queue>(`/api/v1/rounds/${roundId}/review?status=flagged&limit=100`, token),
      ]);
      setProgress(p);
      setQueue(q);
      setUpdatedAt(new Date());
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) props.onLogout();
      else setError((e as Error).message);
    }
  }, [roundId, level, field, token]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const labelOf = (options: Option[], code: string | number | null): string =>
    code === null ? t(lang, 'anyType') : (options.find((o) => String(o.code) === String(code))?.label[lang] ?? String(code));

  if (rounds && rounds.length === 0) return <p>{t(lang, 'noRound')}</p>;
  return (
    <main>
      <div class="filters">
        <label>
          {t(lang, 'round')}{' '}
          <select name="round" value={roundId ?? ''} onChange={(e) => setRoundId(e.currentTarget.value)}>
            {rounds?.map((r) => <option value={r.id}>{r.id}</option>)}
          </select>
        </label>
        <label>
          {t(lang, 'level')}{' '}
          <select name="level" value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
            <option value="">{t(lang, 'allLevels')}</option>
            {levels.map((o) => <option value={String(o.code)}>{o.label[lang]}</option>)}
          </select>
        </label>
        <label>
          {t(lang, 'field')}{' '}
          <select name="field" value={field} onChange={(e) => setField(e.currentTarget.value)}>
            <option value="">{t(lang, 'allFields')}</option>
            {fields.map((o) => <option value={String(o.code)}>{o.label[lang]}</option>)}
          </select>
        </label>
        {updatedAt && <span class="updated">{t(lang, 'updated', { time: updatedAt.toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB') })}</span>}
        {error && <span class="error" role="alert">{t(lang, 'failed', { message: error })}</span>}
      </div>
      {progress && (
        <>
          <section aria-labelledby="grid-title">
            <h2 id="grid-title">{t(lang, 'quotaGrid')}</h2>
            <table class="quota-grid">
              <thead>
                <tr>
                  <th>{t(lang, 'province')}</th>
                  <th>{t(lang, 'level')}</th>
                  <th>{t(lang, 'field')}</th>
                  <th>{t(lang, 'respondentType')}</th>
                  <th class="num">{t(lang, 'target')}</th>
                  <th class="num">{t(lang, 'accepted')}</th>
                  <th>{t(lang, 'progress')}</th>
                  <th class="num">{t(lang, 'awaitingReview')}</th>
                  <th class="num">{t(lang, 'flagged')}</th>
                  <th class="num">{t(lang, 'rejected')}</th>
                  <th class="num">{t(lang, 'responseRate')}</th>
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
                          <td>{labelOf(levels, c.servingLevel)}</td>
                          <td>{labelOf(fields, c.serviceField)}</td>
                          <td>{c.respondentType === null ? t(lang, 'anyType') : String(c.respondentType)}</td>
                          <td class="num">{c.target ?? '–'}</td>
                          <td class="num accepted">{c.accepted}</td>
                          <td class="progress"><Bar share={c.share} /> {percent(c.share)}</td>
                          <td class="num awaiting">{c.awaitingReview}</td>
                          <td class="num flagged">{c.flagged}</td>
                          <td class="num rejected">{c.rejected}</td>
                          <td class="num">{percent(c.responseRate)}</td>
                        </tr>
                      ))}
                    <tr class="province-total" data-province={p.provinceCode}>
                      <td colSpan={4}>{t(lang, 'provinceTotal', { name: p.provinceName })}</td>
                      <td class="num">{p.target ?? '–'}</td>
                      <td class="num accepted">{p.accepted}</td>
                      <td class="progress"><Bar share={p.share} /> {percent(p.share)}</td>
                      <td class="num awaiting">{p.awaitingReview}</td>
                      <td class="num flagged">{p.flagged}</td>
                      <td class="num rejected">{p.rejected}</td>
                      <td class="num">{percent(p.responseRate)}</td>
                    </tr>
                  </>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="pace-title">
            <h2 id="pace-title">{t(lang, 'pace')}</h2>
            <p>{t(lang, 'fieldworkEnd', { date: progress.fieldworkEnd })}</p>
            <table class="pace">
              <thead>
                <tr>
                  <th>{t(lang, 'province')}</th>
                  <th class="num">{t(lang, 'perDay')}</th>
                  <th>{t(lang, 'forecast')}</th>
                </tr>
              </thead>
              <tbody>
                {progress.provinces.map((p) => (
                  <tr data-province={p.provinceCode}>
                    <td>{p.provinceName}</td>
                    <td class="num">{p.pace.perDay}</td>
                    <td class={p.forecast.status}>
                      {t(lang, `status_${p.forecast.status}`, { days: p.forecast.daysLate ?? 0 })}
                      {p.forecast.projectedDate ? ` (${p.forecast.projectedDate})` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="enumerators-title">
            <h2 id="enumerators-title">{t(lang, 'enumerators')}</h2>
            <table class="enumerators">
              <thead>
                <tr>
                  <th>{t(lang, 'enumerator')}</th>
                  <th class="num">{t(lang, 'responses')}</th>
                  <th class="num">{t(lang, 'completedPerDay')}</th>
                  <th class="num">{t(lang, 'shareFlagged')}</th>
                  <th>{t(lang, 'lastDay')}</th>
                </tr>
              </thead>
              <tbody>
                {progress.enumerators.map((e) => (
                  <tr>
                    <td>{e.username}</td>
                    <td class="num">{e.responses}</td>
                    <td class="num">{e.completedPerDay}</td>
                    <td class="num">{percent(e.shareFlagged)}</td>
                    <td>{e.lastDay}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
      {queue && roundId && <ReviewQueue lang={lang} token={token} roundId={roundId} queue={queue} onDecided={() => void refresh()} />}
    </main>
  );
}

function ReviewQueue(props: { lang: Lang; token: string; roundId: string; queue: Queue; onDecided: () => void }) {
  const { lang, token, roundId, queue } = props;
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState<string | null>(null);
  const decide = async (id: string, decision: 'approved' | 'rejected') => {
    const reason = (reasons[id] ?? '').trim();
    if (reason.length < 3) return setError(t(lang, 'reasonNeeded'));
    try {
      await call(`/api/v1/rounds/${roundId}/responses/${id}/review`, token, { method: 'POST', body: { decision, reason } });
      setError(null);
      if (opened?.id === id) setOpened(null);
      props.onDecided();
    } catch (e) {
      setError(t(lang, 'failed', { message: (e as Error).message }));
    }
  };
  return (
    <section aria-labelledby="queue-title" class="review-queue">
      <h2 id="queue-title">{t(lang, 'reviewQueue', { count: queue.total })}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {queue.responses.length === 0 ? (
        <p>{t(lang, 'emptyQueue')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t(lang, 'province')}</th>
              <th>{t(lang, 'enumerator')}</th>
              <th>{t(lang, 'interview')}</th>
              <th>{t(lang, 'flags')}</th>
              <th>{t(lang, 'reason')}</th>
            </tr>
          </thead>
          <tbody>
            {queue.responses.map((r) => (
              <tr class="queued" data-response={r.id} data-province={r.provinceCode}>
                <td>{r.provinceName}</td>
                <td>{r.submittedBy}</td>
                <td>{new Date(r.interviewStartedAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}</td>
                <td>
                  {r.qualityFlags.map((f) => (
                    <span class="flag" title={f.message}>{ruleLabel(lang, f.rule)}</span>
                  ))}
                </td>
                <td>
                  <div class="review-actions">
                    <input name="reason" aria-label={t(lang, 'reason')} value={reasons[r.id] ?? ''} onInput={(e) => setReasons({ ...reasons, [r.id]: e.currentTarget.value })} />
                    <button type="button" class="approve" onClick={() => void decide(r.id, 'approved')}>{t(lang, 'approve')}</button>
                    <button type="button" class="reject" onClick={() => void decide(r.id, 'rejected')}>{t(lang, 'reject')}</button>
                    <button
                      type="button"
                      class="open"
                      onClick={() =>
                        opened?.id === r.id
                          ? setOpened(null)
                          : void call<Opened>(`/api/v1/rounds/${roundId}/responses/${r.id}`, token).then(setOpened, (e: Error) => setError(e.message))
                      }
                    >
                      {opened?.id === r.id ? t(lang, 'close') : t(lang, 'open')}
                    </button>
                  </div>
                  {opened?.id === r.id && <pre class="answers">{JSON.stringify({ answers: opened.answers, paradata: opened.paradata, flags: opened.qualityFlags }, null, 2)}</pre>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('sipas-supervisor-lang') === 'en' ? 'en' : 'vi'));
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem('sipas-supervisor-token'));
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t(lang, 'title');
    localStorage.setItem('sipas-supervisor-lang', lang);
  }, [lang]);
  const keep = (next: string | null) => {
    if (next) sessionStorage.setItem('sipas-supervisor-token', next);
    else sessionStorage.removeItem('sipas-supervisor-token');
    setToken(next);
  };
  return (
    <>
      <header>
        <h1>{t(lang, 'title')}</h1>
        <button type="button" class="language" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>{t(lang, 'language')}</button>
        {token && <button type="button" class="logout" onClick={() => keep(null)}>{t(lang, 'logOut')}</button>}
      </header>
      {token ? <Dashboard lang={lang} token={token} onLogout={() => keep(null)} /> : <Login lang={lang} onToken={keep} />}
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CompiledForm } from '../../survey-forms/form';
import { api } from './api';
import type { DeviceStore, Draft, OutboxItem, SentRecord, Session, Settings, SyncState, UnitRecord } from './device-store';
import {
  DEFAULT_SETTINGS,
  EMPTY_SYNC,
  compiledForm,
  completeDraft,
  download,
  formKey,
  logIn,
  logOut,
  reopenForCorrection,
  reportOutcome,
  retry,
  startDraft,
  sync,
  type FieldWorkDeps,
} from './field-work';
import { askedSections, type Answers } from './form-model';
import { FormRunner } from './form-runner';
import { problemMessage, t, type Lang, type MessageKey } from './i18n';
import { tick } from './paradata';

interface Snapshot {
  session: Session | undefined;
  settings: Settings;
  sync: SyncState;
  units: UnitRecord[];
  drafts: Draft[];
  outbox: OutboxItem[];
  sent: SentRecord[];
  formKeys: Set<string>;
  roundForms: Map<string, string>;
}

async function readSnapshot(store: DeviceStore): Promise<Snapshot> {
  const [session, settings, syncState, units, drafts, outbox, sent, rounds] = await Promise.all([
    store.getMeta('session'),
    store.getMeta('settings'),
    store.getMeta('sync'),
    store.units(),
    store.drafts(),
    store.outbox(),
    store.sent(),
    store.rounds(),
  ]);
  const roundForms = new Map(rounds.map((r) => [r.id, formKey(r.formId, r.formVersion)]));
  const formKeys = new Set<string>();
  for (const key of new Set(roundForms.values())) if (await store.form(key)) formKeys.add(key);
  const mine = (x: { username: string }) => !session || x.username === session.username;
  return {
    session,
    settings: settings ?? DEFAULT_SETTINGS,
    sync: syncState ?? EMPTY_SYNC,
    units: units.sort((a, b) => a.key.localeCompare(b.key)),
    drafts: drafts.filter(mine),
    outbox: outbox.filter(mine).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt)),
    sent,
    formKeys,
    roundForms,
  };
}

const formatTime = (iso: string | null, lang: Lang): string =>
  iso ? new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }) : '';

function routeOf(hash: string): { screen: 'home' } | { screen: 'form'; draftId: string } {
  const match = /^#\/form\/([0-9a-f-]{36})$/.exec(hash);
  return match?.[1] ? { screen: 'form', draftId: match[1] } : { screen: 'home' };
}

/** The enumerator app: log in, the assigned units with the sync state, and the questionnaire. */
export function App({ store }: { store: DeviceStore }) {
  const deps: FieldWorkDeps = { store, api };
  const [snapshot, setSnapshot] = useState<Snapshot | undefined>();
  const [route, setRoute] = useState(routeOf(location.hash));
  const [online, setOnline] = useState(navigator.onLine);
  const [syncing, setSyncing] = useState(false);
  const [flash, setFlash] = useState<string | undefined>();

  const refresh = useCallback(async () => setSnapshot(await readSnapshot(store)), [store]);
  const lang = snapshot?.settings.lang ?? 'vi';
  const session = snapshot?.session;

  const runSync = useCallback(async () => {
    const current = await store.getMeta('session');
    if (!current || current.expired || !navigator.onLine) return;
    const settings = (await store.getMeta('settings')) ?? DEFAULT_SETTINGS;
    setSyncing(true);
    try {
      await sync(deps, current, settings.lang);
    } finally {
      setSyncing(false);
      await refresh();
    }
  }, [store, refresh]);

  const startUp = useCallback(async () => {
    const current = await store.getMeta('session');
    if (current && !current.expired && navigator.onLine) {
      await download(deps, current, ((await store.getMeta('settings')) ?? DEFAULT_SETTINGS).lang);
      await refresh();
    }
    await runSync();
  }, [store, refresh, runSync]);

  useEffect(() => {
    void refresh();
    const onHash = () => setRoute(routeOf(location.hash));
    const onOnline = () => {
      setOnline(true);
      void runSync();
    };
    const onOffline = () => setOnline(false);
    window.addEventListener('hashchange', onHash);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    // Background sync while the app is open: soon after start (with a fresh list), then every half minute.
    const first = setTimeout(() => void startUp(), 500);
    const timer = setInterval(() => void runSync(), 30_000);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [refresh, runSync, startUp]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t(lang, 'appTitle');
  }, [lang]);

  if (!snapshot) return <main class="loading" aria-busy="true" />;

  const setSettings = async (change: Partial<Settings>) => {
    await store.setMeta('settings', { ...snapshot.settings, ...change });
    await refresh();
  };
  const go = (hash: string) => {
    location.hash = hash;
    setRoute(routeOf(hash));
  };

  const header = (
    <header class="topbar">
      <h1>SIPAS</h1>
      <SyncBadge lang={lang} online={online} syncing={syncing} snapshot={snapshot} onClick={() => go('#/')} />
      <button type="button" class="link" onClick={() => void setSettings({ lang: lang === 'vi' ? 'en' : 'vi' })}>
        {t(lang, 'language')}
      </button>
    </header>
  );

  if (!session) {
    return (
      <>
        {header}
        <main>
          <LoginForm lang={lang} deps={deps} onDone={async () => {
            await refresh();
            const current = await store.getMeta('session');
            if (current) await download(deps, current, lang);
            await refresh();
          }} />
        </main>
      </>
    );
  }

  if (route.screen === 'form') {
    return (
      <>
        {header}
        <main>
          <FormScreen
            key={route.draftId}
            deps={deps}
            lang={lang}
            draftId={route.draftId}
            onLeave={async (message) => {
              setFlash(message);
              go('#/');
              await refresh();
              void runSync();
            }}
          />
        </main>
      </>
    );
  }

  return (
    <>
      {header}
      <main>
        {session.expired && (
          <section class="card notice-error" role="alert">
            <p>{t(lang, 'sessionExpired')}</p>
            <LoginForm lang={lang} deps={deps} username={session.username} onDone={async () => {
              await refresh();
              void runSync();
            }} />
          </section>
        )}
        {flash && (
          <p class="notice notice-ok" role="status">
            {flash}
          </p>
        )}
        <SyncPanel
          lang={lang}
          online={online}
          syncing={syncing}
          snapshot={snapshot}
          onSync={() => void runSync()}
          onDownload={async () => {
            setFlash(undefined);
            await download(deps, session, lang);
            await refresh();
          }}
        />
        <Corrections
          lang={lang}
          snapshot={snapshot}
          onCorrect={async (item) => {
            const draft = await reopenForCorrection(deps, item);
            go(`#/form/${draft.id}`);
          }}
          onRetry={async (item) => {
            await retry(deps, item);
            await refresh();
            void runSync();
          }}
        />
        <Assignments
          lang={lang}
          snapshot={snapshot}
          onStart={async (unit) => {
            const key = snapshot.roundForms.get(unit.roundId);
            const record = key ? await store.form(key) : undefined;
            if (!record) return;
            const draft = await startDraft(deps, session, unit, compiledForm(record.definition), snapshot.settings);
            go(`#/form/${draft.id}`);
          }}
          onResume={(draft) => go(`#/form/${draft.id}`)}
          onOutcome={async (unit, status, note) => {
            await reportOutcome(deps, session, unit, status, note);
            await refresh();
            void runSync();
          }}
        />
        <footer class="card">
          <label class="choice">
            <input type="checkbox" checked={snapshot.settings.recordLocation} onChange={(e) => void setSettings({ recordLocation: (e.target as HTMLInputElement).checked })} />
            <span>{t(lang, 'recordLocation')}</span>
          </label>
          <p>{t(lang, 'loggedInAs', { name: session.displayName })}</p>
          <button
            type="button"
            class="secondary"
            onClick={() =>
              void (async () => {
                const result = await logOut(deps, session, lang);
                setFlash('error' in result ? result.error : undefined);
                await refresh();
              })()
            }
          >
            {t(lang, 'logOut')}
          </button>
        </footer>
      </main>
    </>
  );
}

function LoginForm({ lang, deps, username, onDone }: { lang: Lang; deps: FieldWorkDeps; username?: string; onDone: () => Promise<void> }) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    setBusy(true);
    const field = (name: string): string => {
      const value = data.get(name);
      return typeof value === 'string' ? value : '';
    };
    const result = await logIn(deps, lang, username ?? field('username').trim(), field('password'));
    setBusy(false);
    if ('error' in result) setError(result.error);
    else await onDone();
  };
  return (
    <form class="card login" onSubmit={(e) => void submit(e)}>
      <label for="username">{t(lang, 'username')}</label>
      <input id="username" name="username" autoComplete="username" autoCapitalize="none" required value={username} readOnly={username !== undefined} />
      <label for="password">{t(lang, 'password')}</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      {error && (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t(lang, 'logIn')}
      </button>
    </form>
  );
}

/** Responses waiting to be sent (status reports are counted apart: they are no responses). */
function waitingCount(snapshot: Snapshot): number {
  return snapshot.outbox.filter((i) => i.state === 'waiting' && i.kind === 'response').length;
}

function SyncBadge({ lang, online, syncing, snapshot, onClick }: { lang: Lang; online: boolean; syncing: boolean; snapshot: Snapshot; onClick: () => void }) {
  const waiting = waitingCount(snapshot);
  const toFix = snapshot.outbox.filter((i) => i.state === 'needs-correction').length;
  const state = !online ? 'offline' : toFix > 0 || snapshot.sync.lastError ? 'error' : waiting > 0 || syncing ? 'busy' : 'ok';
  const words = [t(lang, 'waiting', { count: waiting }), ...(toFix > 0 ? [t(lang, 'needsCorrection', { count: toFix })] : []), ...(online ? [] : [t(lang, 'offlineShort')])];
  return (
    <button type="button" class={`badge badge-${state}`} onClick={onClick} data-testid="sync-badge" aria-label={words.join('; ')} title={words.join('; ')}>
      <span class="dot" aria-hidden="true" />
      {waiting}
      {toFix > 0 ? ` · ${toFix}` : ''}
    </button>
  );
}

function SyncPanel(props: { lang: Lang; online: boolean; syncing: boolean; snapshot: Snapshot; onSync: () => void; onDownload: () => Promise<void> }) {
  const { lang, snapshot } = props;
  const waiting = waitingCount(snapshot);
  const reports = snapshot.outbox.filter((i) => i.state === 'waiting' && i.kind === 'status').length;
  const toFix = snapshot.outbox.filter((i) => i.state === 'needs-correction').length;
  return (
    <section class="card sync" aria-labelledby="sync-title" data-testid="sync-panel">
      <h2 id="sync-title">{t(lang, 'syncTitle')}</h2>
      {!props.online && <p class="notice">{t(lang, 'offline')}</p>}
      <p data-testid="waiting">{t(lang, 'waiting', { count: waiting })}</p>
      {reports > 0 && <p class="hint">{t(lang, 'reportsWaiting', { count: reports })}</p>}
      {toFix > 0 && <p data-testid="needs-correction" class="error-text">{t(lang, 'needsCorrection', { count: toFix })}</p>}
      <p data-testid="last-sync">{snapshot.sync.lastSuccessAt ? t(lang, 'lastSync', { time: formatTime(snapshot.sync.lastSuccessAt, lang) }) : t(lang, 'neverSynced')}</p>
      {snapshot.sync.lastDownloadAt && <p class="hint">{t(lang, 'downloaded', { time: formatTime(snapshot.sync.lastDownloadAt, lang) })}</p>}
      {props.syncing && <p role="status">{t(lang, 'syncing')}</p>}
      {snapshot.sync.lastError && (
        <p class="notice notice-error" role="alert" data-testid="sync-error">
          {snapshot.sync.lastError}
        </p>
      )}
      <div class="row">
        <button type="button" class="primary" disabled={!props.online || props.syncing || waiting + reports === 0} onClick={props.onSync}>
          {t(lang, 'syncNow')}
        </button>
        <button type="button" class="secondary" disabled={!props.online} onClick={() => void props.onDownload()}>
          {t(lang, 'download')}
        </button>
      </div>
    </section>
  );
}

function Corrections(props: {
  lang: Lang;
  snapshot: Snapshot;
  onCorrect: (item: Extract<OutboxItem, { kind: 'response' }>) => Promise<void>;
  onRetry: (item: OutboxItem) => Promise<void>;
}) {
  const { lang } = props;
  const items = props.snapshot.outbox.filter((i) => i.state === 'needs-correction');
  if (items.length === 0) return null;
  return (
    <section class="card corrections" data-testid="corrections">
      <h2>{t(lang, 'needsCorrection', { count: items.length })}</h2>
      {items.map((item) => (
        <article key={item.id} class="correction">
          <h3>{t(lang, item.kind === 'response' ? 'responseOf' : 'statusEvent', { unit: item.unitLabel })}</h3>
          <p>{t(lang, 'serverRejected')}</p>
          <ul>
            {(item.problems ?? []).map((p) => (
              <li key={`${p.path}-${p.code}`}>{problemMessage(p, lang)}</li>
            ))}
          </ul>
          <div class="row">
            {item.kind === 'response' && (
              <button type="button" class="primary" onClick={() => void props.onCorrect(item)}>
                {t(lang, 'correct')}
              </button>
            )}
            <button type="button" class="secondary" onClick={() => void props.onRetry(item)}>
              {t(lang, 'retry')}
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}

type ShownStatus = 'not-started' | 'in-progress' | 'completed' | 'queued' | 'refused' | 'not-reachable' | 'needs-correction';

function shownStatus(unit: UnitRecord, snapshot: Snapshot): ShownStatus {
  const items = snapshot.outbox.filter((i) => i.unitKey === unit.key);
  const response = items.find((i) => i.kind === 'response');
  if (response) return response.state === 'needs-correction' ? 'needs-correction' : 'queued';
  if (unit.status === 'completed' || snapshot.sent.some((s) => s.unitKey === unit.key)) return 'completed';
  if (snapshot.drafts.some((d) => d.unitKey === unit.key)) return 'in-progress';
  const reports = items.filter((i): i is Extract<OutboxItem, { kind: 'status' }> => i.kind === 'status');
  const latest = reports[reports.length - 1];
  return latest ? latest.payload.status : unit.status;
}

function Assignments(props: {
  lang: Lang;
  snapshot: Snapshot;
  onStart: (unit: UnitRecord) => Promise<void>;
  onResume: (draft: Draft) => void;
  onOutcome: (unit: UnitRecord, status: 'refused' | 'not-reachable', note: string) => Promise<void>;
}) {
  const { lang, snapshot } = props;
  const [outcomeFor, setOutcomeFor] = useState<string | undefined>();
  // Interviews begun on units no longer in the downloaded list (reassigned, round closed) stay reachable.
  const orphans = snapshot.drafts.filter((d) => !snapshot.units.some((u) => u.key === d.unitKey));
  return (
    <section class="card" aria-labelledby="assignments-title">
      <h2 id="assignments-title">{t(lang, 'assignments', { count: snapshot.units.length })}</h2>
      {snapshot.units.length === 0 && <p>{t(lang, 'noAssignments')}</p>}
      <ul class="units">
        {orphans.map((draft) => (
          <li key={draft.id} class="unit" data-unit={draft.sampleUnitId}>
            <div class="unit-head">
              <strong>{draft.unitLabel}</strong>
              <span class="status status-in-progress">{t(lang, 'status.in-progress')}</span>
            </div>
            <p class="hint">
              {draft.sampleUnitId} · {t(lang, 'notInList')}
            </p>
            <div class="row">
              <button type="button" class="primary" onClick={() => props.onResume(draft)}>
                {t(lang, 'resume')}
              </button>
            </div>
          </li>
        ))}
        {snapshot.units.map((unit) => {
          const status = shownStatus(unit, snapshot);
          const draft = snapshot.drafts.find((d) => d.unitKey === unit.key);
          const hasForm = snapshot.formKeys.has(snapshot.roundForms.get(unit.roundId) ?? '');
          const open = status !== 'completed' && status !== 'queued' && status !== 'needs-correction';
          return (
            <li key={unit.key} class="unit" data-unit={unit.unitId}>
              <div class="unit-head">
                <strong>{unit.contact.name}</strong>
                <span class={`status status-${status}`}>{t(lang, `status.${status}` as MessageKey)}</span>
              </div>
              <p class="hint">
                {unit.unitId} · {unit.provinceName}
              </p>
              {unit.contact.phone && (
                <p>
                  <a href={`tel:${unit.contact.phone.replace(/[^\d+]/g, '')}`}>{unit.contact.phone}</a>
                </p>
              )}
              {unit.contact.address && <p>{unit.contact.address}</p>}
              {unit.procedure && (
                <p class="hint">
                  {t(lang, 'procedure')}: {unit.procedure}
                </p>
              )}
              {open && !hasForm && <p class="notice">{t(lang, 'formMissing')}</p>}
              {open && hasForm && (
                <div class="row">
                  {draft ? (
                    <button type="button" class="primary" onClick={() => props.onResume(draft)}>
                      {t(lang, 'resume')}
                    </button>
                  ) : (
                    <button type="button" class="primary" onClick={() => void props.onStart(unit)}>
                      {t(lang, 'start')}
                    </button>
                  )}
                  {!draft && (
                    <button type="button" class="secondary" onClick={() => setOutcomeFor(outcomeFor === unit.key ? undefined : unit.key)}>
                      {t(lang, 'notInterviewed')}
                    </button>
                  )}
                </div>
              )}
              {outcomeFor === unit.key && (
                <OutcomeForm
                  lang={lang}
                  onCancel={() => setOutcomeFor(undefined)}
                  onSave={async (status, note) => {
                    setOutcomeFor(undefined);
                    await props.onOutcome(unit, status, note);
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function OutcomeForm({ lang, onSave, onCancel }: { lang: Lang; onSave: (status: 'refused' | 'not-reachable', note: string) => Promise<void>; onCancel: () => void }) {
  const [status, setStatus] = useState<'refused' | 'not-reachable'>('not-reachable');
  const [note, setNote] = useState('');
  return (
    <fieldset class="outcome">
      <legend>{t(lang, 'outcome')}</legend>
      {(['not-reachable', 'refused'] as const).map((s) => (
        <label class="choice" key={s}>
          <input type="radio" name="outcome" checked={status === s} onChange={() => setStatus(s)} />
          <span>{t(lang, `status.${s}`)}</span>
        </label>
      ))}
      <label for="outcome-note">{t(lang, 'note')}</label>
      <textarea id="outcome-note" rows={2} maxLength={500} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
      <div class="row">
        <button type="button" class="primary" onClick={() => void onSave(status, note)}>
          {t(lang, 'save')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t(lang, 'cancel')}
        </button>
      </div>
    </fieldset>
  );
}

/**
 * One interview. Every change is written to IndexedDB at once (writes queue in order), so a
 * reload, a closed tab or a dead battery loses at most the keystroke in flight.
 */
function FormScreen({ deps, lang, draftId, onLeave }: { deps: FieldWorkDeps; lang: Lang; draftId: string; onLeave: (message?: string) => Promise<void> }) {
  const [draft, setDraft] = useState<Draft | undefined>();
  const [form, setForm] = useState<CompiledForm | undefined>();
  const [missing, setMissing] = useState(false);
  const [savedAt, setSavedAt] = useState<string | undefined>();
  const latest = useRef<Draft | undefined>(undefined);
  const writes = useRef<Promise<void>>(Promise.resolve());

  const save = useCallback(
    (next: Draft) => {
      latest.current = next;
      setDraft(next);
      const { answers, sectionIndex, clock, updatedAt } = next;
      writes.current = writes.current
        .then(() => deps.store.patchDraft(next.id, () => ({ answers, sectionIndex, clock, updatedAt })))
        .then(() => setSavedAt(updatedAt));
    },
    [deps.store],
  );
  const sectionIdOf = (d: Draft, f: CompiledForm): string | null => askedSections(f, d.answers)[d.sectionIndex]?.id ?? null;

  useEffect(() => {
    void (async () => {
      const found = await deps.store.draft(draftId);
      const record = found ? await deps.store.form(formKey(found.formId, found.formVersion)) : undefined;
      if (!found || !record) {
        setMissing(true);
        return;
      }
      const compiled = compiledForm(record.definition);
      setForm(compiled);
      // A stretch left running before a reload counts only if it was short (see paradata.ts).
      save({ ...found, clock: tick(found.clock, Date.now(), sectionIdOf(found, compiled)) });
      setSavedAt(found.updatedAt);
    })();
  }, [draftId]);

  useEffect(() => {
    if (!form) return;
    const onVisibility = () => {
      const current = latest.current;
      if (!current) return;
      const sectionId = document.visibilityState === 'visible' ? sectionIdOf(current, form) : null;
      save({ ...current, clock: tick(current.clock, Date.now(), sectionId) });
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [form, save]);

  if (missing) {
    return (
      <section class="card">
        <p class="notice">{t(lang, 'formMissing')}</p>
        <button type="button" class="secondary" onClick={() => void onLeave()}>
          {t(lang, 'toList')}
        </button>
      </section>
    );
  }
  if (!draft || !form) return <div aria-busy="true" />;

  const update = (change: { answers?: Answers; sectionIndex?: number }) => {
    const current = latest.current ?? draft;
    const answers = change.answers ?? current.answers;
    const sectionIndex = change.sectionIndex ?? current.sectionIndex;
    const now = new Date();
    const sectionId = askedSections(form, answers)[sectionIndex]?.id ?? null;
    save({ ...current, answers, sectionIndex, clock: tick(current.clock, now.getTime(), sectionId), updatedAt: now.toISOString() });
  };

  return (
    <FormRunner
      form={form}
      lang={lang}
      answers={draft.answers}
      sectionIndex={draft.sectionIndex}
      {...(draft.serverProblems ? { serverProblems: draft.serverProblems } : {})}
      onAnswers={(answers) => update({ answers })}
      onSection={(sectionIndex) => update({ sectionIndex })}
      onComplete={() =>
        void (async () => {
          await writes.current;
          await completeDraft(deps, draft.id, form);
          await onLeave(t(lang, 'completed'));
        })()
      }
      header={
        <div class="form-head">
          <button type="button" class="link" onClick={() => void writes.current.then(() => onLeave())}>
            {t(lang, 'toList')}
          </button>
          <p class="respondent">
            {t(lang, 'respondent')}: <strong>{draft.unitLabel}</strong>
          </p>
          <p class="saved" role="status" data-testid="draft-saved">
            {savedAt ? t(lang, 'draftSaved', { time: formatTime(savedAt, lang) }) : ''}
          </p>
        </div>
      }
    />
  );
}

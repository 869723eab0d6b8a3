import type { Session, Settings } from '../device-store';
import { compiledForm, download, logOut, reopenForCorrection, reportOutcome, retry, startDraft } from '../field-work';
import { translate, type Lang } from '../i18n';
import type { DeviceState } from '../use-device-state';
import type { Snapshot } from '../device-snapshot';
import { Assignments } from './assignments';
import { Corrections } from './corrections';
import { Returned } from './returned';
import { startCorrection } from '../review-loop';
import { LoginForm } from './login-form';
import { SyncPanel } from './sync-panel';

/** The list screen of a logged-in enumerator: sync, corrections, assigned units, settings and logging out. */
export function HomeScreen(props: {
  lang: Lang;
  state: DeviceState & { snapshot: Snapshot };
  session: Session;
  flash: string | undefined;
  onFlash: (message: string | undefined) => void;
  onSettings: (change: Partial<Settings>) => Promise<void>;
  go: (hash: string) => void;
}) {
  const { lang, state, session, flash, onFlash, go } = props;
  const { deps, snapshot, refresh, runSync } = state;
  const t = translate(lang);
  return (
    <main>
      {session.expired && (
        <section class="card notice-error" role="alert">
          <p>{t('sessionExpired')}</p>
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
        online={state.online}
        syncing={state.syncing}
        snapshot={snapshot}
        onSync={() => void runSync()}
        onDownload={async () => {
          onFlash(undefined);
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
      <Returned
        lang={lang}
        snapshot={snapshot}
        onCorrect={async (returned, unitLabel) => {
          const draft = await startCorrection(deps, session, returned, unitLabel);
          go(`#/form/${draft.id}`);
        }}
      />
      <Assignments
        lang={lang}
        snapshot={snapshot}
        onStart={async (unit) => {
          const key = snapshot.roundForms.get(unit.roundId);
          const record = key ? await deps.store.form(key) : undefined;
          if (!record) return;
          const draft = await startDraft(deps, session, unit, compiledForm(record.definition), snapshot.settings);
          go(`#/form/${draft.id}`);
        }}
        onResume={(draft) => go(`#/form/${draft.id}`)}
        onOutcome={async (unit, status, note, appointmentAt) => {
          await reportOutcome(deps, session, unit, status, note, appointmentAt);
          await refresh();
          void runSync();
        }}
      />
      <footer class="card">
        <label class="choice">
          <input type="checkbox" checked={snapshot.settings.recordLocation} onChange={(e) => void props.onSettings({ recordLocation: (e.target as HTMLInputElement).checked })} />
          <span>{t('recordLocation')}</span>
        </label>
        <p>{t('loggedInAs', { name: session.displayName })}</p>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            void (async () => {
              const result = await logOut(deps, session, lang);
              onFlash('error' in result ? result.error : undefined);
              await refresh();
            })()
          }
        >
          {t('logOut')}
        </button>
      </footer>
    </main>
  );
}

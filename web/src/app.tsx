import { useEffect, useState } from 'preact/hooks';
import { otherLang } from '../shared/i18n';
import { usePageLanguage } from '../shared/use-language';
import type { DeviceStore, Settings } from './device-store';
import { download } from './field-work';
import { translate } from './i18n';
import { FormScreen } from './screens/form-screen';
import { HomeScreen } from './screens/home-screen';
import { KeyingScreen } from './screens/keying-screen';
import { LoginForm } from './screens/login-form';
import { SyncBadge } from './screens/sync-panel';
import { useDeviceState } from './use-device-state';

function routeOf(hash: string): { screen: 'home' } | { screen: 'keying' } | { screen: 'form'; draftId: string } {
  if (hash === '#/keying') return { screen: 'keying' };
  const match = /^#\/form\/([0-9a-f-]{36})$/.exec(hash);
  return match?.[1] ? { screen: 'form', draftId: match[1] } : { screen: 'home' };
}

/** The enumerator app: log in, the assigned units with the sync state, and the questionnaire. */
export function App({ store }: { store: DeviceStore }) {
  const state = useDeviceState(store);
  const { deps, snapshot, refresh, runSync } = state;
  const [route, setRoute] = useState(routeOf(location.hash));
  const [flash, setFlash] = useState<string | undefined>();
  // The language is one of the device's settings: the offline sync writes its messages in it too.
  const lang = snapshot?.settings.lang ?? 'vi';
  const t = translate(lang);
  usePageLanguage(lang, t('appTitle'));

  useEffect(() => {
    const onHash = () => setRoute(routeOf(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  if (!snapshot) return <main class="loading" aria-busy="true" />;
  const session = snapshot.session;

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
      <SyncBadge lang={lang} online={state.online} syncing={state.syncing} snapshot={snapshot} onClick={() => go('#/')} />
      {session && !session.expired && (
        <a class="link" href={route.screen === 'keying' ? '#/' : '#/keying'}>
          {route.screen === 'keying' ? t('appTitle') : lang === 'vi' ? 'Nhập phiếu giấy' : 'Key paper forms'}
        </a>
      )}
      <button type="button" class="link" onClick={() => void setSettings({ lang: otherLang(lang) })}>
        {t('language')}
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

  if (route.screen === 'keying') {
    return (
      <>
        {header}
        <main>
          <KeyingScreen deps={deps} lang={lang} session={session} onQueued={async () => {
            await refresh();
            void runSync();
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
      <HomeScreen lang={lang} state={{ ...state, snapshot }} session={session} flash={flash} onFlash={setFlash} onSettings={setSettings} go={go} />
    </>
  );
}

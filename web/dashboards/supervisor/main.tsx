import { render } from 'preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n';
import { useStoredLanguage } from '../../shared/use-language';
import { DashboardLogin } from '../../shared/login';
import { Dashboard } from './dashboard';
import { translate } from './i18n';

const TOKEN_KEY = 'sipas-supervisor-token';
const LANG_KEY = 'sipas-supervisor-lang';

function Login(props: { lang: Lang; onToken: (token: string) => void }) {
  const t = translate(props.lang);
  const words = {
    username: t('username'),
    password: t('password'),
    logIn: t('logIn'),
    loginFailed: t('loginFailed'),
    wrongRole: t('notSupervisor'),
    failed: (message: string) => t('error', { message }),
  };
  return <DashboardLogin words={words} roles={['supervisor', 'admin']} onToken={props.onToken} />;
}

/** The supervisor dashboard: quota progress, pace, enumerators and the review queue of their provinces. */
function App() {
  const [lang, switchLanguage] = useStoredLanguage(LANG_KEY, (l) => translate(l)('title'));
  const t = translate(lang);
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const keep = (next: string | null) => {
    if (next) sessionStorage.setItem(TOKEN_KEY, next);
    else sessionStorage.removeItem(TOKEN_KEY);
    setToken(next);
  };
  return (
    <>
      <header>
        <h1>{t('title')}</h1>
        <button type="button" class="language" onClick={switchLanguage}>{t('language')}</button>
        {token && <button type="button" class="logout" onClick={() => keep(null)}>{t('logOut')}</button>}
      </header>
      {token ? <Dashboard lang={lang} token={token} onLogout={() => keep(null)} /> : <Login lang={lang} onToken={keep} />}
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);

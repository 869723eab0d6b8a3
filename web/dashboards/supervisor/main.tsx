import { render } from 'preact';
import type { Lang } from '../../shared/i18n';
import { useStoredLanguage } from '../../shared/use-language';
import { DashboardLogin } from '../../shared/login';
import { useStoredToken } from '../../shared/use-stored-token';
import { loginWords } from '../../shared/words';
import { Dashboard } from './dashboard';
import { translate } from './i18n';

const TOKEN_KEY = 'sipas-supervisor-token';
const LANG_KEY = 'sipas-supervisor-lang';

function Login(props: { lang: Lang; onToken: (token: string) => void }) {
  const t = translate(props.lang);
  const words = loginWords(t, t('notSupervisor'));
  return <DashboardLogin words={words} roles={['supervisor', 'admin']} onToken={props.onToken} />;
}

/** The supervisor dashboard: quota progress, pace, enumerators and the review queue of their provinces. */
function App() {
  const [lang, switchLanguage] = useStoredLanguage(LANG_KEY, (l) => translate(l)('title'));
  const t = translate(lang);
  const [token, keep] = useStoredToken(TOKEN_KEY);
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

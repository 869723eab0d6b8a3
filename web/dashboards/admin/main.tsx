import { render } from 'preact';
import type { Lang } from '../../shared/i18n';
import { DashboardLogin } from '../../shared/login';
import { useStoredToken } from '../../shared/use-stored-token';
import { loginWords } from '../../shared/words';
import { useStoredLanguage } from '../../shared/use-language';
import { Console } from './console';
import { translate } from './i18n';

const TOKEN_KEY = 'sipas-admin-token';
const LANG_KEY = 'sipas-admin-lang';

function Login(props: { lang: Lang; onToken: (token: string) => void }) {
  const t = translate(props.lang);
  const words = loginWords(t, t('notAdmin'));
  return (
    <main>
      <DashboardLogin words={words} roles={['admin']} onToken={props.onToken} />
    </main>
  );
}

/** The headquarters console: users, rounds, sample lists, assignments, quotas, and the method. */
function App() {
  const [lang, switchLanguage] = useStoredLanguage(LANG_KEY, (l) => translate(l)('title'));
  const t = translate(lang);
  const [token, keep] = useStoredToken(TOKEN_KEY);
  return (
    <>
      <header>
        <h1>{t('title')}</h1>
        <button type="button" class="language" onClick={switchLanguage}>
          {t('language')}
        </button>
        {token && (
          <button type="button" class="logout" onClick={() => keep(null)}>
            {t('logOut')}
          </button>
        )}
      </header>
      {token ? <Console lang={lang} token={token} onLogout={() => keep(null)} /> : <Login lang={lang} onToken={keep} />}
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);

import { render } from 'preact';
import type { Lang } from '../../shared/i18n';
import { useStoredLanguage } from '../../shared/use-language';
import { DashboardLogin } from '../../shared/login';
import { useStoredToken } from '../../shared/use-stored-token';
import { loginWords } from '../../shared/words';
import { Dashboard } from './dashboard';
import { translate } from './i18n';

const TOKEN_KEY = 'sipas-analyst-token';
const LANG_KEY = 'sipas-analyst-lang';

function Login(props: { lang: Lang; onToken: (token: string) => void }) {
  const t = translate(props.lang);
  const words = loginWords(t, t('notAnalyst'));
  return <DashboardLogin words={words} roles={['analyst', 'admin']} onToken={props.onToken} />;
}

/** The analyst dashboard: index tables and charts by province and group, downloads and microdata. */
function App() {
  const [lang, switchLanguage] = useStoredLanguage(LANG_KEY, (l) => translate(l)('title'));
  const t = translate(lang);
  const [token, keep] = useStoredToken(TOKEN_KEY);
  return (
    <>
      <header class="topbar">
        <h1>{t('title')}</h1>
        <button type="button" class="link" data-testid="language" onClick={switchLanguage}>
          {t('language')}
        </button>
        {token ? (
          <button type="button" class="link" onClick={() => keep(null)}>
            {t('logOut')}
          </button>
        ) : null}
      </header>
      <main>{token ? <Dashboard token={token} lang={lang} onLogout={() => keep(null)} /> : <Login lang={lang} onToken={keep} />}</main>
    </>
  );
}

render(<App />, document.getElementById('app')!);

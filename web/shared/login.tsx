import { useState } from 'preact/hooks';
import { api, ApiError, orThrow } from './api-client';

/** The words of the login form, in the dashboard's current language. */
export interface LoginWords {
  username: string;
  password: string;
  logIn: string;
  /** Wrong username or password (no hint which). */
  loginFailed: string;
  /** The account's role may not use this dashboard. */
  wrongRole: string;
  /** Any other failure (the server unreachable, say). */
  failed: (message: string) => string;
}

/**
 * The login form every dashboard starts with. It logs in, then asks who the user is: a role that
 * may not use the dashboard is told so here rather than meeting 403s on every table.
 */
export function DashboardLogin(props: { words: LoginWords; roles: ReadonlyArray<string>; onToken: (token: string) => void }) {
  const { words } = props;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const { token } = await orThrow(api.login(username, password));
      if (!props.roles.includes((await orThrow(api.me(token))).role)) return setError(words.wrongRole);
      props.onToken(token);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? words.loginFailed : words.failed(e instanceof Error ? e.message : String(e)));
    }
  };
  return (
    <form class="card login" onSubmit={(e) => void submit(e)}>
      <label>
        {words.username}
        <input name="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} autoComplete="username" />
      </label>
      <label>
        {words.password}
        <input name="password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" />
      </label>
      <button type="submit" class="primary">
        {words.logIn}
      </button>
      {error ? <p class="error" role="alert">{error}</p> : null}
    </form>
  );
}

import { useState } from 'preact/hooks';

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

/** A failed API call: the status tells a wrong password (401) from the rest. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The login form every dashboard starts with. It logs in, then asks who the user is: a role that
 * may not use the dashboard is told so here rather than meeting 403s on every table.
 */
export function DashboardLogin(props: {
  words: LoginWords;
  roles: ReadonlyArray<string>;
  logIn: (username: string, password: string) => Promise<{ token: string }>;
  roleOf: (token: string) => Promise<string>;
  onToken: (token: string) => void;
}) {
  const { words } = props;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const { token } = await props.logIn(username, password);
      if (!props.roles.includes(await props.roleOf(token))) return setError(words.wrongRole);
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

import { useState } from 'preact/hooks';
import { logIn, type FieldWorkDeps } from '../field-work';
import { translate, type Lang } from '../i18n';

/** The login form; with `username`, logging in again as the same user after the session expired. */
export function LoginForm({ lang, deps, username, onDone }: { lang: Lang; deps: FieldWorkDeps; username?: string; onDone: () => Promise<void> }) {
  const t = translate(lang);
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
      <label for="username">{t('username')}</label>
      <input id="username" name="username" autoComplete="username" autoCapitalize="none" required value={username} readOnly={username !== undefined} />
      <label for="password">{t('password')}</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      {error && (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t('logIn')}
      </button>
    </form>
  );
}

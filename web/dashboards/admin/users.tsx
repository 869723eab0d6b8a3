import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type UserImportReply, type UserListQuery, type UserView } from '../../shared/api-client';
import type { PageProps } from './page-props';
import { translate, type MessageKey } from './i18n';
import { saveCsv, UploadPanel } from './upload';

const ROLES = ['admin', 'supervisor', 'enumerator', 'analyst'] as const;
type Role = (typeof ROLES)[number];
const ROLE_WORD: Record<Role, MessageKey> = { admin: 'roleAdmin', supervisor: 'roleSupervisor', enumerator: 'roleEnumerator', analyst: 'roleAnalyst' };
const PAGE_SIZE = 50;

/** Province codes typed as "01 79" or "01;79". */
export const provinceList = (text: string): string[] => [...new Set(text.split(/[\s,;]+/).filter(Boolean).map((c) => c.padStart(2, '0')))];

function CreateUser(props: PageProps & { onCreated: () => void }) {
  const t = translate(props.lang);
  const [form, setForm] = useState({ username: '', password: '', role: 'enumerator' as Role, displayName: '', provinces: '' });
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (field: keyof typeof form) => (e: Event) => setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const provinces = provinceList(form.provinces);
      const user = await props.guard(
        orThrow(api.createUser(props.token, { username: form.username, password: form.password, role: form.role, ...(form.displayName ? { displayName: form.displayName } : {}), ...(provinces.length ? { provinces } : {}) })),
      );
      setNote(t('created', { name: user.username }));
      setForm({ ...form, username: '', password: '', displayName: '' });
      props.onCreated();
    } catch (err) {
      setError(t('error', { message: err instanceof Error ? err.message : String(err) }));
    }
  };
  return (
    <form class="grid-form" onSubmit={(e) => void submit(e)} aria-label={t('createUser')}>
      <label>{t('username')}<input name="new-username" value={form.username} onInput={set('username')} required autoComplete="off" /></label>
      <label>{t('password')}<input name="new-password" type="password" value={form.password} onInput={set('password')} required minLength={8} autoComplete="new-password" /></label>
      <label>{t('role')}
        <select name="new-role" value={form.role} onChange={set('role')}>
          {ROLES.map((r) => <option key={r} value={r}>{t(ROLE_WORD[r])}</option>)}
        </select>
      </label>
      <label>{t('displayName')}<input name="new-display-name" value={form.displayName} onInput={set('displayName')} /></label>
      <label>{t('provinces')}<input name="new-provinces" value={form.provinces} onInput={set('provinces')} placeholder="01 79" /></label>
      <button type="submit" class="primary">{t('create')}</button>
      {note && <p role="status">{note}</p>}
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

/** Users: search and filters, create one, import enumerators, reset a password, deactivate. */
export function UsersPage(props: PageProps) {
  const t = translate(props.lang);
  const [query, setQuery] = useState<UserListQuery>({ offset: 0, limit: PAGE_SIZE });
  const [reply, setReply] = useState<{ total: number; users: UserView[] }>({ total: 0, users: [] });
  const [shown, setShown] = useState<string | null>(null);
  const [credentials, setCredentials] = useState<UserImportReply['credentials']>([]);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    try {
      setReply(await props.guard(orThrow(api.users(props.token, query))));
    } catch (e) {
      setError(t('error', { message: e instanceof Error ? e.message : String(e) }));
    }
  };
  useEffect(() => void load(), [JSON.stringify(query)]);
  const filter = (patch: UserListQuery) => setQuery({ ...query, ...patch, offset: 0 });
  const act = async (call: Promise<unknown>) => {
    setError(null);
    try {
      await props.guard(call);
      await load();
    } catch (e) {
      setError(t('error', { message: e instanceof Error ? e.message : String(e) }));
    }
  };
  const offset = query.offset ?? 0;
  return (
    <>
      <section>
        <h2>{t('createUser')}</h2>
        <CreateUser {...props} onCreated={() => void load()} />
      </section>
      <section>
        <h2>{t('importUsers')}</h2>
        <UploadPanel
          lang={props.lang}
          label={t('file')}
          name="users-file"
          canPreview
          send={(upload, options) => props.guard(orThrow(api.importUsers(props.token, upload, options)))}
          onDone={(r) => {
            setCredentials(r.credentials);
            void load();
          }}
        />
        {credentials.length > 0 && (
          <div class="credentials">
            <h3>{t('credentials')}</h3>
            <button type="button" onClick={() => saveCsv('accounts.csv', ['username', 'password'], credentials.map((c) => [c.username, c.password]))}>{t('downloadCredentials')}</button>
            <ul>{credentials.map((c) => <li key={c.username}><code>{c.username}</code> — <code>{c.password}</code></li>)}</ul>
          </div>
        )}
      </section>
      <section>
        <h2>{t('usersFound', { count: reply.total })}</h2>
        <div class="filters">
          <label>{t('search')}<input name="q" type="search" onInput={(e) => filter({ q: e.currentTarget.value || undefined })} /></label>
          <label>{t('role')}
            <select name="role" onChange={(e) => filter({ role: (e.currentTarget.value || undefined) as Role | undefined })}>
              <option value="">{t('anyRole')}</option>
              {ROLES.map((r) => <option key={r} value={r}>{t(ROLE_WORD[r])}</option>)}
            </select>
          </label>
          <label>{t('province')}<input name="province" size={4} onInput={(e) => filter({ province: /^\d{2}$/.test(e.currentTarget.value) ? e.currentTarget.value : undefined })} placeholder="01" /></label>
          <label>{t('state')}
            <select name="active" onChange={(e) => filter({ active: e.currentTarget.value === '' ? undefined : e.currentTarget.value === 'true' })}>
              <option value="">{t('anyState')}</option>
              <option value="true">{t('active')}</option>
              <option value="false">{t('inactive')}</option>
            </select>
          </label>
        </div>
        {shown && <p class="secret" role="status">{shown}</p>}
        {error && <p class="error" role="alert">{error}</p>}
        <table>
          <thead>
            <tr><th>{t('username')}</th><th>{t('displayName')}</th><th>{t('role')}</th><th>{t('province')}</th><th>{t('state')}</th><th><span class="visually-hidden">{t('sections')}</span></th></tr>
          </thead>
          <tbody>
            {reply.users.map((u) => (
              <tr key={u.username} class={`user${u.active ? '' : ' inactive'}`} data-username={u.username}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>{t(ROLE_WORD[u.role])}</td>
                <td>{u.provinces.join(' ')}</td>
                <td>{u.active ? t('active') : t('inactive')}</td>
                <td class="row-actions">
                  <button type="button" onClick={() => void act(orThrow(api.updateUser(props.token, u.username, { active: !u.active })))}>{u.active ? t('deactivate') : t('activate')}</button>
                  <button
                    type="button"
                    onClick={() =>
                      void act(
                        orThrow(api.resetPassword(props.token, u.username)).then((r) => setShown(t('newPassword', { name: r.username, password: r.password }))),
                      )
                    }
                  >
                    {t('resetPassword')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager lang={props.lang} offset={offset} size={PAGE_SIZE} total={reply.total} onOffset={(o) => setQuery({ ...query, offset: o })} />
      </section>
    </>
  );
}

/** Previous and next page of a long list. */
export function Pager(props: { lang: PageProps['lang']; offset: number; size: number; total: number; onOffset: (offset: number) => void }) {
  const t = translate(props.lang);
  if (props.total <= props.size) return null;
  return (
    <div class="pager">
      <button type="button" disabled={props.offset === 0} onClick={() => props.onOffset(Math.max(0, props.offset - props.size))}>{t('previous')}</button>
      <span>{t('page', { from: props.offset + 1, to: Math.min(props.total, props.offset + props.size), total: props.total })}</span>
      <button type="button" disabled={props.offset + props.size >= props.total} onClick={() => props.onOffset(props.offset + props.size)}>{t('next')}</button>
    </div>
  );
}

/**
 * What `npm run dev` shows a person at the terminal: one plain line once the system is up, and only
 * warnings and errors after it (no JSON line per request; LOG_LEVEL overrides). Production keeps its JSON logs.
 */

/** The development log level: what LOG_LEVEL says, else warnings and errors only. */
export function devLogLevel(env: Readonly<Record<string, string | undefined>>): string {
  return env.LOG_LEVEL ?? 'warn';
}

/** The line printed once the API and the worker run. The trial password is shown only while it is the built-in one. */
export function readyLine(port: number, env: Readonly<Record<string, string | undefined>>): string {
  const admin = env.ADMIN_USERNAME ? `admin: ${env.ADMIN_USERNAME}${env.ADMIN_PASSWORD === 'admin-dev-password' ? ' / admin-dev-password' : ''}` : 'no administrator configured';
  return `SIPAS is up at http://localhost:${port} — /app/ /supervisor/ /analyst/ /admin/; ${admin} (demo data: npm run demo:seed)`;
}

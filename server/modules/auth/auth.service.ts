import { createHash, randomBytes } from 'node:crypto';
import { HttpProblem } from '../../http/problem';
import type { UserRepository } from '../users/user.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import type { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './password-hashing';
import type { SessionRepository } from './session.repository';

export { hashPassword } from './password-hashing';

export interface AuthDeps {
  users: UserRepository;
  sessions: SessionRepository;
  sessionTtlHours: number;
  /** Counts login attempts per username and address; without one (unit tests) logins are not throttled. */
  loginThrottle?: LoginThrottle;
  now?: () => Date;
}

// Verifying against this when the user does not exist keeps both failures equally slow.
let decoyHash: Promise<string> | undefined;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Checks a username and password and opens a session. Both kinds of failure give the same
 * answer, so a caller cannot learn which usernames exist; and both are counted alike, per username
 * and per client address: past the limit a 429 comes before any password is checked.
 */
export async function logIn(deps: AuthDeps, username: string, password: string, address = 'unknown'): Promise<{ token: string; expiresAt: Date }> {
  await deps.loginThrottle?.attempt(username, address);
  const user = await deps.users.findByUsername(username);
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), password);
  // A deactivated account gets the same answer as a wrong password: nobody learns it exists.
  if (!user || !valid || !user.active) throw new HttpProblem('login_failed');
  // Forgetting the failed attempts is a courtesy: a Redis hiccup must not refuse a right password.
  await deps.loginThrottle?.succeeded(username, address).catch(() => undefined);
  const token = randomBytes(32).toString('base64url');
  const now = deps.now?.() ?? new Date();
  const expiresAt = new Date(now.getTime() + deps.sessionTtlHours * 3600 * 1000);
  await deps.sessions.insert(hashToken(token), user.username, expiresAt);
  return { token, expiresAt };
}

/** The user a bearer token belongs to, or a 401. */
export async function authenticateToken(deps: AuthDeps, token: string): Promise<AuthenticatedUser> {
  const session = await deps.sessions.findLive(hashToken(token), deps.now?.() ?? new Date());
  const user = session && (await deps.users.findByUsername(session.username));
  // Deactivation also ends the sessions; checking here too stops a token at once even mid-way.
  if (!user || !user.active) throw new HttpProblem('unauthenticated', 'The token is unknown or has expired: log in again.');
  return { username: user.username, role: user.role, displayName: user.displayName, provinces: user.provinces, postOffice: user.postOffice };
}

export async function logOut(deps: AuthDeps, token: string): Promise<void> {
  await deps.sessions.delete(hashToken(token));
}

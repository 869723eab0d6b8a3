import { createHash, randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { HttpProblem } from '../../http/problem';
import type { UserRepository } from '../users/user.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import type { SessionRepository } from './session.repository';

export interface AuthDeps {
  users: UserRepository;
  sessions: SessionRepository;
  sessionTtlHours: number;
  now?: () => Date;
}

/** argon2id with 19 MiB, 2 passes, 1 lane: OWASP's recommended minimum (the library's defaults). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

// Algorithm is a const enum, which isolated-module builds cannot read at run time; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

// Verifying against this when the user does not exist keeps both failures equally slow.
let decoyHash: Promise<string> | undefined;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Checks a username and password and opens a session. Both kinds of failure give the same
 * answer, so a caller cannot learn which usernames exist.
 */
export async function logIn(deps: AuthDeps, username: string, password: string): Promise<{ token: string; expiresAt: Date }> {
  const user = await deps.users.findByUsername(username);
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const valid = await verify(user?.passwordHash ?? (await decoyHash), password);
  if (!user || !valid) throw new HttpProblem('login_failed');
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
  if (!user) throw new HttpProblem('unauthenticated', 'The token is unknown or has expired: log in again.');
  return { username: user.username, role: user.role, displayName: user.displayName, provinces: user.provinces, postOffice: user.postOffice };
}

export async function logOut(deps: AuthDeps, token: string): Promise<void> {
  await deps.sessions.delete(hashToken(token));
}

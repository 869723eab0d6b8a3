import type { AppDeps } from '../../deps';
import { defineRoute, type RouteSpec } from '../../http/route';
import { presentMe } from '../users/user.present';
import { ROLES } from '../users/user.schema';
import { LoginBody, LoginReply, MeReply } from './auth.schema';
import { logIn, logOut, type AuthDeps } from './auth.service';

export function authDeps(deps: AppDeps): AuthDeps {
  return { users: deps.repos.users, sessions: deps.repos.sessions, sessionTtlHours: deps.config.SESSION_TTL_HOURS, loginThrottle: deps.loginThrottle };
}

export function authRoutes(deps: AppDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      tag: 'auth',
      summary: 'Log in and get a bearer token',
      description:
        'A wrong username and a wrong password give the same 401, so nobody learns which usernames exist. Failed attempts are counted ' +
        'per username (existing or not) and per client address: past the configured limit a 429 `login_throttled` with `Retry-After` ' +
        'comes before any password is checked, even the right one, until the lock ends.',
      access: 'public',
      body: LoginBody,
      responses: {
        200: { description: 'Logged in', schema: LoginReply },
        401: { description: 'Wrong username or password' },
        429: { description: 'Too many failed logins for this username or address (`login_throttled`); `Retry-After` says when to try again' },
        503: { description: 'Too many passwords are being checked at once (`busy`); `Retry-After` says when to try again' },
      },
      handler: async ({ body, clientAddress }) => {
        const session = await logIn(authDeps(deps), body.username, body.password, clientAddress);
        return { token: session.token, expiresAt: session.expiresAt.toISOString() };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/logout',
      tag: 'auth',
      summary: 'End the session of this token',
      access: { roles: ROLES },
      responses: { 204: { description: 'Logged out' } },
      handler: async ({ token }) => {
        await logOut(authDeps(deps), token);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/me',
      tag: 'auth',
      summary: 'Who the token belongs to',
      access: { roles: ROLES },
      responses: { 200: { description: 'The logged-in user', schema: MeReply } },
      handler: ({ user }) => presentMe(user),
    }),
  ];
}

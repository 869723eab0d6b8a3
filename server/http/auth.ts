import type { Request, RequestHandler } from 'express';
import { authenticateToken, type AuthDeps } from '../modules/auth/auth.service';
import { HttpProblem } from './problem';
import type { Access } from './route';

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Middleware that lets a request through when its token's user has a role the route allows. */
export function createAuthenticate(deps: () => AuthDeps): (access: Access) => RequestHandler {
  return (access) => async (req, res, next) => {
    if (access === 'public') return next();
    const token = bearerToken(req);
    if (!token) throw new HttpProblem('unauthenticated');
    const user = await authenticateToken(deps(), token);
    if (!access.roles.includes(user.role)) throw new HttpProblem('forbidden', `This needs one of the roles ${access.roles.join(', ')}; you are ${user.role}.`);
    res.locals.user = user;
    res.locals.token = token;
    next();
  };
}

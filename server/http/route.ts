import type { Static, TSchema } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import type { Request, RequestHandler, Response, Router } from 'express';
import { createAjv, describeAjvErrors } from '../../survey-forms/ajv';
import type { AuthenticatedUser, Role } from '../modules/users/user.schema';
import { HttpProblem, validationFailed } from './problem';

/** What a route answers with, for the OpenAPI document. */
export interface ResponseSpec {
  description: string;
  schema?: TSchema;
  /** Other media types than JSON (CSV downloads). */
  contentTypes?: string[];
}

/** Who may call a route: nobody needs to log in, or any of these roles. */
export type Access = 'public' | { roles: ReadonlyArray<Role> };

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Present on every route that is not public. */
  user: AuthenticatedUser;
  req: Request;
  res: Response;
}

/**
 * One endpoint: its contract (documented in OpenAPI and enforced on every request) and its handler.
 * A handler's return value is sent as JSON with status 200 unless it wrote the response itself.
 */
export interface RouteSpec<P extends TSchema = TSchema, Q extends TSchema = TSchema, B extends TSchema = TSchema> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express-style path, e.g. `/api/v1/forms/:formId/:version`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Status code of a successful reply. @defaultValue 200 */
  successStatus?: number;
  responses: Record<number, ResponseSpec>;
  handler: (ctx: RouteContext<Static<P>, Static<Q>, Static<B>>) => unknown;
}

/** Keeps the handler's types tied to its schemas. */
export function defineRoute<P extends TSchema, Q extends TSchema, B extends TSchema>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

const bodyAjv = createAjv();
// Path and query values arrive as strings; coercion turns "63" into 63 where the schema says integer.
const queryAjv = createAjv({ coerceTypes: true });

function compile(ajv: ReturnType<typeof createAjv>, schema: TSchema | undefined): ValidateFunction | undefined {
  return schema ? ajv.compile(schema) : undefined;
}

/** Registers routes on a router in the order auth → validate → handler. */
export function mountRoutes(
  router: Router,
  routes: ReadonlyArray<RouteSpec>,
  authenticate: (access: Access) => RequestHandler,
): void {
  for (const route of routes) {
    const checkParams = compile(queryAjv, route.params);
    const checkQuery = compile(queryAjv, route.query);
    const checkBody = compile(bodyAjv, route.body);
    const validate: RequestHandler = (req, _res, next) => {
      const problems = [
        ...check(checkParams, { ...req.params }, '/params', (v) => Object.assign(req.params, v)),
        ...check(checkQuery, { ...(req.query as object) }, '/query', (v) => Object.defineProperty(req, 'query', { value: v })),
        ...check(checkBody, req.body === undefined ? {} : req.body, '/body', (v) => (req.body = v)),
      ];
      if (problems.length > 0) return next(validationFailed(problems));
      next();
    };
    const handle: RequestHandler = async (req, res) => {
      const result = await route.handler({
        params: req.params,
        query: req.query,
        body: req.body,
        user: res.locals.user as AuthenticatedUser,
        req,
        res,
      });
      if (res.headersSent) return;
      if (result === undefined) {
        res.status(route.successStatus ?? 204).end();
        return;
      }
      res.status(route.successStatus ?? 200).json(result);
    };
    router[route.method](route.path, authenticate(route.access), validate, handle);
  }
}

function check(
  validateFn: ValidateFunction | undefined,
  value: unknown,
  prefix: string,
  assign: (value: unknown) => void,
): ReturnType<typeof describeAjvErrors> {
  if (!validateFn) return [];
  if (validateFn(value)) {
    assign(value);
    return [];
  }
  return describeAjvErrors(validateFn.errors, prefix);
}

/** Throws 403 unless the user has one of the roles. For checks a route's access list cannot express. */
export function assertRole(user: AuthenticatedUser, roles: ReadonlyArray<Role>): void {
  if (!roles.includes(user.role)) throw new HttpProblem('forbidden');
}

import { finished, type Readable } from 'node:stream';
import type { Static, TSchema } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import type { ErrorRequestHandler, RequestHandler, Response, Router } from 'express';
import { createAjv, describeAjvErrors } from '../../survey-forms/ajv';
import { CODES } from '../../survey-forms/codes';
import type { AuthenticatedUser, Role } from '../modules/users/user.schema';
import { HttpProblem, validationFailed } from './problem';
import { Reply } from './reply';

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
  /** The bearer token the user came with (logging out ends its session). Present on every route that is not public. */
  token: string;
}

/**
 * One endpoint: its contract (documented in OpenAPI and enforced on every request) and its handler.
 * The handler never touches the response: what it returns is sent as JSON with the success status
 * (`undefined`: no body, 204), or, when it returns a {@link Reply}, as that reply says.
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
        token: (res.locals.token as string | undefined) ?? '',
      });
      if (result === undefined) {
        res.status(route.successStatus ?? 204).end();
        return;
      }
      if (result instanceof Reply) return writeReply(res, result, route.successStatus ?? 200);
      res.status(route.successStatus ?? 200).json(result);
    };
    router[route.method](route.path, authenticate(route.access), validate, handle);
  }
}

/** Writes a handler's reply: status, headers, then the body; a stream is piped to the end. */
async function writeReply(res: Response, reply: Reply, successStatus: number): Promise<void> {
  res.status(reply.status ?? successStatus);
  // The file name sets a content type from its extension; a type given outright wins.
  if (reply.fileName !== undefined) res.attachment(reply.fileName);
  if (reply.contentType !== undefined) res.type(reply.contentType);
  if (reply.cacheControl !== undefined) res.set('Cache-Control', reply.cacheControl);
  for (const [name, value] of Object.entries(reply.headers)) res.set(name, value);
  const { body } = reply;
  switch (body.kind) {
    case 'json':
      res.json(body.value);
      return;
    case 'text':
      res.send(body.text);
      return;
    case 'bytes':
      res.send(body.bytes);
      return;
    case 'stream':
      if (body.length !== null) res.set('Content-Length', String(body.length));
      return pipeToClient(body.stream, res, () => {
        for (const name of ['Content-Disposition', 'Content-Type', 'Content-Length', 'Cache-Control', ...Object.keys(reply.headers)]) res.removeHeader(name);
      });
  }
}

/**
 * Pipes a stream into the response and settles when the response is over. A stream that fails
 * before its first byte rejects with the headers withdrawn, so the error writer answers as for any
 * error; one that fails part way cuts the response off (the status is out already: no error body
 * can follow, and a client sees the download break rather than end) and rejects, to be logged. A
 * client that goes away destroys the stream, so a stored file's cursor is released at once.
 */
function pipeToClient(stream: Readable, res: Response, withdrawHeaders: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      if (error === undefined) resolve();
      else reject(error);
    };
    stream.on('error', (error: Error) => {
      stream.unpipe(res);
      if (res.headersSent) res.destroy();
      else withdrawHeaders();
      settle(error);
    });
    // Also called when the client was gone before the piping began.
    finished(res, (error) => {
      if (error) stream.destroy();
      settle();
    });
    stream.pipe(res);
  });
}

/**
 * The last error handler: a catalogued problem goes out as it is; anything else is logged in full
 * and answered with a bare 500, so a client learns nothing it could misuse. An error after the
 * headers went out (a stream that failed part way) can only be logged: the response is cut off.
 */
export const writeError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (res.headersSent) {
    req.log.error({ err: error }, 'a reply failed after its headers were sent; it was cut off');
    res.destroy();
    return;
  }
  if (error instanceof HttpProblem) {
    res.status(error.status).json({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  res.status(CODES.internal.status).json({ error: { code: 'internal', message: CODES.internal.en } });
};

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

import { finished, type Readable } from 'node:stream';
import type { Static, TSchema } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import type { ErrorRequestHandler, RequestHandler, Response, Router } from 'express';
import { createAjv, describeAjvErrors, type CataloguedProblem } from '../../survey-forms/ajv';
import { CODES, type ErrorCode } from '../../survey-forms/codes';
import type { AuthenticatedUser, Role } from '../modules/users/user.schema';
import { firstTooDeep, MAX_BODY_DEPTH } from './json-bounds';
import { unavailableOf } from './unavailable';
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
  /** The client's address (behind a proxy on the loopback, the one it forwarded), e.g. for throttling logins. */
  clientAddress: string;
  /** The address the request came to, e.g. `https://sipas.example.vn` (behind a proxy on the loopback, the one it forwarded). */
  origin: string;
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
  /**
   * The handler bounds the depth of each item of the body itself, so that one item nested too deep
   * is refused alone (a batch of responses). Otherwise a body nested deeper than
   * {@link MAX_BODY_DEPTH} is a 400 before anything walks it.
   */
  boundsItemDepth?: boolean;
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

/** Whether a path segment is valid percent-encoded UTF-8 (`%zz`, `%FF%FE` and overlong forms are not). */
function decodable(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/**
 * Answers 400, naming each parameter, for a request to one of the routes whose path parameter is not
 * valid percent-encoding. Express would fail to decode it and hand on an error without the
 * parameter's name; routes are matched here on the raw path, segment by segment, as Express does
 * (case-insensitive, a trailing slash allowed).
 */
export function rejectUndecodableParams(routes: ReadonlyArray<RouteSpec>): RequestHandler {
  const patterns = routes.map((r) => r.path.split('/'));
  return (req, _res, next) => {
    const segments = req.path.split('/');
    if (segments.every(decodable)) return next();
    if (segments.length > 2 && segments[segments.length - 1] === '') segments.pop();
    const pattern = patterns.find((p) => p.length === segments.length && p.every((s, i) => s.startsWith(':') || s.toLowerCase() === segments[i]?.toLowerCase()));
    // No route has this shape: the request ends as a 404 (nothing decodes it).
    if (!pattern) return next();
    const problems = pattern.flatMap((s, i): CataloguedProblem[] =>
      s.startsWith(':') && !decodable(segments[i] ?? '') ? [{ path: `/params/${s.slice(1)}`, code: 'wrong_format', message: 'is not valid percent-encoded UTF-8' }] : [],
    );
    next(problems.length > 0 ? validationFailed(problems) : undefined);
  };
}

/** Registers routes on a router in the order auth → validate → handler. */
export function mountRoutes(
  router: Router,
  routes: ReadonlyArray<RouteSpec>,
  authenticate: (access: Access) => RequestHandler,
): void {
  router.use(rejectUndecodableParams(routes));
  for (const route of routes) {
    const checkParams = compile(queryAjv, route.params);
    const checkQuery = compile(queryAjv, route.query);
    const checkBody = compile(bodyAjv, route.body);
    const validate: RequestHandler = (req, _res, next) => {
      if (route.body && !route.boundsItemDepth) {
        const deep = firstTooDeep(req.body, MAX_BODY_DEPTH);
        if (deep !== undefined) return next(validationFailed([{ path: `/body${deep}`, code: 'too_deep', message: `is nested more than ${MAX_BODY_DEPTH} levels deep` }]));
      }
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
        clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        origin: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
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

/** The catalogue's code for an HTTP client error raised by Express or a library (they carry `status`). */
const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** An error some library raised for a client mistake (http-errors style: a 4xx `status`), as a catalogued problem. */
function clientErrorOf(error: unknown): HttpProblem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, expose, message } = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const code = status ?? statusCode;
  if (typeof code !== 'number' || code < 400 || code > 499) return undefined;
  const catalogued = CODE_OF_STATUS[code] ?? 'validation_failed';
  return new HttpProblem(catalogued, expose === true && typeof message === 'string' ? message : undefined);
}

/**
 * The last error handler: a catalogued problem goes out as it is, and so does a client error raised
 * by Express or a library (as the catalogue's code of its status); anything else is logged in full
 * and answered with a bare 500, so a client learns nothing it could misuse. An error after the
 * headers went out (a stream that failed part way) can only be logged: the response is cut off.
 */
export const writeError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (res.headersSent) {
    req.log.error({ err: error }, 'a reply failed after its headers were sent; it was cut off');
    res.destroy();
    return;
  }
  // A stream that failed before its first byte withdrew its headers: an error is never cached or sniffed either.
  res.set('Cache-Control', 'no-store');
  res.set('X-Content-Type-Options', 'nosniff');
  const unavailable = unavailableOf(error);
  if (unavailable) req.log.warn({ err: error }, 'MongoDB unreachable or too slow: answered 503');
  const problem = error instanceof HttpProblem ? error : (unavailable ?? clientErrorOf(error));
  if (problem) {
    if (problem.retryAfterSeconds !== undefined) res.set('Retry-After', String(problem.retryAfterSeconds));
    res.status(problem.status).json({ error: { code: problem.code, message: problem.message, ...(problem.details ? { details: problem.details } : {}) } });
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

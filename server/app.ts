import { existsSync } from 'node:fs';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { Condition } from '../survey-forms/form-definition.schema';
import { projectRoot } from '../survey-forms/paths';
import type { AppDeps } from './deps';
import { DASHBOARDS } from './web-apps';
import { createAuthenticate } from './http/auth';
import { buildOpenApi } from './http/openapi';
import { HttpProblem } from './http/problem';
import { jsonReply } from './http/reply';
import { defineRoute, mountRoutes, writeError, type RouteSpec } from './http/route';
import { aggregateRoutes } from './modules/aggregates/aggregate.routes';
import { assignmentRoutes } from './modules/assignments/assignment.routes';
import { authDeps, authRoutes } from './modules/auth/auth.routes';
import { exportRoutes } from './modules/exports/export.routes';
import { formRoutes } from './modules/forms/form.routes';
import { indexDefinitionRoutes } from './modules/index-definitions/index-definition.routes';
import { jobRoutes } from './modules/jobs/job.routes';
import { keyingRoutes } from './modules/keying/keying.routes';
import { printRoutes } from './modules/print/print.routes';
import { deviceRoutes } from './modules/devices/device.routes';
import { postOfficeRoutes } from './modules/post-offices/post-office.routes';
import { quotaRoutes } from './modules/quotas/quota.routes';
import { qualityRoutes } from './modules/quality/quality.routes';
import { publicReleaseRoutes } from './modules/releases/public-release.routes';
import { publicSitePermalinks } from './modules/releases/public-site';
import { releaseRoutes } from './modules/releases/release.routes';
import { reviewRoutes } from './modules/review/review.routes';
import { createRespondentGate } from './modules/respondent-links/respondent-gate';
import { respondentLinkDeps, respondentLinkRoutes } from './modules/respondent-links/respondent-link.routes';
import { respondentGuard, respondentPages } from './modules/respondent-links/respondent-page';
import { maskRespondentTokens } from './modules/respondent-links/respondent-token';
import { responseRoutes } from './modules/responses/response.routes';
import { ResponseSubmissionDocumented } from './modules/responses/response.schema';
import { roundRoutes } from './modules/rounds/round.routes';
import { sampleRoutes } from './modules/samples/sample.routes';
import { ROLES } from './modules/users/user.schema';
import { userRoutes } from './modules/users/user.routes';

/** Largest accepted body: a full batch of 500 long responses fits with room to spare. */
export const BODY_LIMIT = '8mb';
const API_VERSION = '1.0.0';

/** Rejects a body that is not declared as JSON, before the parser silently ignores it. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) return next(new HttpProblem('unsupported_media_type'));
  next();
};

/**
 * Turns body-parser failures into catalogue errors: a client mistake is never a 500. A body that does
 * not inflate under its Content-Encoding (bad gzip, brotli or deflate), or that was cut off, is
 * `unreadable_body`; a body that inflates past the limit is `payload_too_large`, as any other.
 */
const translateBodyErrors: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, _res, next) => {
  if (error instanceof HttpProblem) return next(error);
  switch (error.type) {
    case 'entity.parse.failed':
      return next(new HttpProblem('invalid_json'));
    case 'entity.too.large':
      return next(new HttpProblem('payload_too_large', `The request body is larger than ${BODY_LIMIT}; send smaller batches.`));
    case 'encoding.unsupported':
      return next(new HttpProblem('unsupported_media_type', 'Send the body as JSON, with no Content-Encoding or with gzip, br or deflate.'));
    case 'charset.unsupported':
      return next(new HttpProblem('unsupported_media_type', 'Send the body as UTF-8 JSON.'));
    default:
      // Decompression errors and cut-off bodies arrive as a 400 without a type of their own.
      if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
        return next(new HttpProblem('unreadable_body', 'The request body could not be read: it does not match its Content-Encoding, or it was cut off.'));
      }
      return next(error);
  }
};

function healthRoutes(deps: AppDeps): RouteSpec[] {
  const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
    Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
  const probe = async (check: () => Promise<unknown>): Promise<string> => {
    try {
      await within(check(), 2000);
      return 'ok';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      tag: 'operations',
      summary: 'The process is up',
      access: 'public',
      responses: { 200: { description: 'Up', schema: Type.Object({ status: Type.Literal('ok') }) } },
      handler: () => ({ status: 'ok' }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      tag: 'operations',
      summary: 'MongoDB and Redis are reachable',
      access: 'public',
      responses: {
        200: { description: 'Ready', schema: Type.Object({ status: Type.String(), mongodb: Type.String(), redis: Type.String() }) },
        503: { description: 'A dependency is unreachable (the body says which), or the process is stopping (`status: "stopping"`)' },
      },
      handler: async () => {
        const [mongodb, redis] = await Promise.all([
          probe(async () => {
            const db = deps.connection.db;
            if (!db) throw new Error('not connected');
            await db.admin().ping();
          }),
          probe(() => deps.jobs.ping()),
        ]);
        if (deps.lifecycle.draining) return jsonReply({ status: 'stopping', mongodb, redis }, { status: 503 });
        const ready = mongodb === 'ok' && redis === 'ok';
        return jsonReply({ status: ready ? 'ready' : 'not ready', mongodb, redis }, { status: ready ? 200 : 503 });
      },
    }),
  ];
}

/** Every route of the API, in one list: the router and the OpenAPI document are built from it. */
export function apiRoutes(deps: AppDeps): RouteSpec[] {
  const routes: RouteSpec[] = [
    ...healthRoutes(deps),
    ...authRoutes(deps),
    ...userRoutes(deps),
    ...formRoutes(deps),
    ...indexDefinitionRoutes(deps),
    ...roundRoutes(deps),
    ...responseRoutes(deps),
    ...aggregateRoutes(deps),
    ...jobRoutes(deps),
    ...exportRoutes(deps),
    ...sampleRoutes(deps),
    ...assignmentRoutes(deps),
    ...reviewRoutes(deps),
    ...quotaRoutes(deps),
    ...qualityRoutes(deps),
    ...keyingRoutes(deps),
    ...printRoutes(deps),
    ...postOfficeRoutes(deps),
    ...deviceRoutes(deps),
    ...releaseRoutes(deps),
    ...publicReleaseRoutes(deps),
    ...respondentLinkRoutes(deps),
  ];
  routes.push(
    defineRoute({
      method: 'get',
      path: '/api/v1/openapi.json',
      tag: 'operations',
      summary: 'This API described as OpenAPI 3.1',
      access: { roles: ROLES },
      responses: { 200: { description: 'The OpenAPI document' } },
      handler: () => buildOpenApi(routes, API_VERSION, [Condition, ResponseSubmissionDocumented]),
    }),
  );
  return routes;
}

/** Where `npm run build:web` writes the enumerator app. */
export function webAppDir(): string {
  return path.join(projectRoot(), 'web', 'dist');
}

/**
 * Serves a built browser app from `dir`. Every file is revalidated (ETag) on each load, so a new
 * build reaches browsers at once.
 */
function staticWebApp(dir: string, contentSecurityPolicy: string): express.Handler {
  return express.static(dir, {
    index: 'index.html',
    setHeaders: (res) => {
      res.set('Cache-Control', 'no-cache');
      res.set('X-Content-Type-Options', 'nosniff');
      res.set('Referrer-Policy', 'no-referrer');
      res.set('Content-Security-Policy', contentSecurityPolicy);
    },
  });
}

/**
 * The enumerator app at /app/. Every file is revalidated (ETag) on each load: the service worker,
 * not the HTTP cache, is what keeps the app usable offline, and a new version reaches devices at once.
 */
function enumeratorApp(deps: AppDeps): express.Router {
  const router = express.Router();
  const dir = webAppDir();
  router.get('/', (_req, res) => res.redirect(302, '/app/'));
  if (!existsSync(path.join(dir, 'index.html'))) {
    deps.logger.warn({ dir }, 'the enumerator app is not built; /app/ answers 404 (run npm run build:web)');
    router.use('/app', (_req, _res, next) => next(new HttpProblem('not_found', 'The enumerator app is not built on this server: run npm run build:web.')));
    return router;
  }
  // No 'unsafe-eval': the questionnaires' validators are built with the app (ajv standalone code), never compiled in the page.
  router.use(
    '/app',
    staticWebApp(
      dir,
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'",
    ),
  );
  return router;
}

/**
 * The dashboards (supervisor, analyst) at /<name>/, when built. They log in like any client and
 * read the same API; nothing here checks roles, the API does.
 */
function dashboards(): express.Router {
  const router = express.Router();
  for (const name of DASHBOARDS) {
    const dir = path.join(webAppDir(), name);
    if (!existsSync(path.join(dir, 'index.html'))) continue;
    // Routing is not strict: `/<name>` also matches `/<name>/`, which must reach the files, not redirect again.
    router.get(`/${name}`, (req, res, next) => (req.path.endsWith('/') ? next() : res.redirect(302, `/${name}/`)));
    router.use(
      `/${name}`,
      staticWebApp(dir, "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'"),
    );
  }
  return router;
}

/**
 * Headers every reply carries: browsers never guess a type other than the one sent (JSON, CSV, files,
 * errors), and nothing is kept by a cache unless a reply says it may be — API replies carry personal
 * data (contacts, answers, who did what), and the few that may be kept (published questionnaire
 * versions, the web apps' files) set their own Cache-Control.
 */
const baseHeaders: RequestHandler = (_req, res, next) => {
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('Cache-Control', 'no-store');
  next();
};

/** Builds the Express app (no listening: `server/main.ts` and tests do that). */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(baseHeaders);
  app.use(
    pinoHttp({
      logger: deps.logger,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      // A respondent token in an access log would open the questionnaire: logs name only a prefix of its hash.
      serializers: {
        req: (req: { url?: string; params?: unknown }) => {
          const url = req.url === undefined ? undefined : maskRespondentTokens(req.url);
          return url === req.url ? req : { ...req, url, params: undefined };
        },
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(requireJsonBody, express.json({ limit: BODY_LIMIT }), translateBodyErrors);

  const linkDeps = respondentLinkDeps(deps);
  const gate = createRespondentGate(deps.redis, deps.config.QUEUE_PREFIX, {
    perToken: deps.config.RESPONDENT_RATE_PER_TOKEN,
    perAddress: deps.config.RESPONDENT_RATE_PER_ADDRESS,
    guessesPerAddress: deps.config.RESPONDENT_GUESSES_PER_ADDRESS,
  });
  app.use('/api/v1/respond', respondentGuard(deps, linkDeps, gate, 'api'));
  app.use(respondentPages(deps, linkDeps, gate, webAppDir()));

  const router = express.Router();
  mountRoutes(router, apiRoutes(deps), createAuthenticate(() => authDeps(deps)));
  app.use(router);
  app.use(enumeratorApp(deps));
  app.use(dashboards());
  app.use(publicSitePermalinks(deps, path.join(webAppDir(), 'ket-qua')));

  app.use((req, _res, next) => next(new HttpProblem('not_found', `No endpoint ${req.method} ${req.path}.`)));
  app.use(writeError);
  return app;
}

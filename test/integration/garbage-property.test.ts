import fc from 'fast-check';
import { CODES, ERROR_CODES, isCode } from '../../survey-forms/codes';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { requestsFor, operationsOf, type GeneratedRequest } from '../support/openapi-garbage';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

/** Requests per operation: enough to meet each kind of garbage across runs, few enough for CI (about 350 requests in all; GARBAGE_RUNS=200 for a long hunt, GARBAGE_SEED to replay). */
const RUNS = Number(process.env.GARBAGE_RUNS ?? 8);

interface Reply {
  status: number;
  type: string;
  nosniff: string | undefined;
  text: string;
}

/** What a reply must be, whatever was sent: never a 5xx; an error is the documented shape with catalogued codes. */
function problemsOf(reply: Reply): string[] {
  const problems: string[] = [];
  if (reply.status >= 500) problems.push(`status ${reply.status}`);
  if (reply.nosniff !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (reply.status < 400) return problems;
  let body: { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  try {
    body = JSON.parse(reply.text) as typeof body;
  } catch {
    return [...problems, `an error body that is not JSON (${reply.type}): ${reply.text.slice(0, 80)}`];
  }
  const error = body?.error;
  const code = error?.code;
  if (typeof code !== 'string' || !(ERROR_CODES as ReadonlyArray<string>).includes(code)) problems.push(`error.code ${String(code)} is not a catalogued error code`);
  else if (CODES[code as (typeof ERROR_CODES)[number]].status !== reply.status) problems.push(`error.code ${code} sent with status ${reply.status}`);
  if (typeof error?.message !== 'string' || error.message.length === 0) problems.push('error.message missing');
  const extra = Object.keys(error ?? {}).filter((k) => !['code', 'message', 'details'].includes(k));
  if (extra.length > 0) problems.push(`error has fields ${extra.join(', ')}`);
  if (error?.details !== undefined) {
    if (!Array.isArray(error.details)) problems.push('error.details is not a list');
    else
      for (const d of error.details as Array<{ path?: unknown; message?: unknown; code?: unknown }>) {
        if (typeof d.path !== 'string' || typeof d.message !== 'string' || typeof d.code !== 'string' || !isCode(d.code)) problems.push(`a detail out of shape: ${JSON.stringify(d)}`);
      }
  }
  return problems;
}

describeWithMongo('any request to any documented route, however malformed, gets a 4xx in the documented shape, never a 5xx (property)', () => {
  let system: TestSystem;
  let document: { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, Record<string, unknown>> } };
  let tokens: Record<string, string>;
  const known: Record<string, string> = {};
  const examples: Record<string, unknown> = {};

  beforeAll(async () => {
    system = await startTestSystem({ worker: false });
    const admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const roundId = String(round.id);
    const [supervisor, enumerator, analyst] = await Promise.all([
      system.createUser('supervisor', ['01']),
      system.createUser('enumerator', ['01']),
      system.createUser('analyst'),
    ]);
    const sample = 'unit_id,province_code,serving_level,service_field,respondent_type,name,phone\nHN-1,01,2,1,1,Nguyễn Văn An,0912000001\n';
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv: sample }).expect(200);
    await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set('Authorization', `Bearer ${admin}`).send({ enumerator: enumerator.username, unitIds: ['HN-1'] }).expect(200);
    const response = makeResponse(roundId, '01', makeAnswers(4));
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator.token}`).send({ responses: [response] }).expect(200);
    const exported = await system.http().post(`/api/v1/rounds/${roundId}/exports`).set('Authorization', `Bearer ${analyst.token}`).send({ kind: 'microdata', format: 'csv' }).expect(202);
    const exportId = (exported.body as { id: string }).id;
    Object.assign(known, { roundId, responseId: String(response.id), unitId: 'HN-1', exportId, jobId: exportId, formId: 'sipas-2017', version: '1', definitionId: 'sipas-2017', edition: '63' });
    tokens = { admin, supervisor: supervisor.token, enumerator: enumerator.token, analyst: analyst.token };
    // A valid body per operation, mutated one value at a time: odd values that pass validation reach the handlers.
    const at = '2024-09-02T03:00:00+07:00';
    Object.assign(examples, {
      'POST /api/v1/auth/login': { username: enumerator.username, password: 'wrong-password' },
      'POST /api/v1/users': { username: 'garbage-user', password: 'a long enough password', role: 'enumerator', provinces: ['01'] },
      'POST /api/v1/rounds': makeRound(),
      'PATCH /api/v1/rounds/{roundId}': { status: 'open', fieldworkStart: '2024-08-01', fieldworkEnd: '2024-12-15' },
      'POST /api/v1/responses': { responses: [makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'HN-1', weight: 1.5 }), makeResponse(roundId, '01', makeAnswers(3))] },
      'POST /api/v1/rounds/{roundId}/sample': { units: [{ unitId: 'HN-9', provinceCode: '01', servingLevel: 2, serviceField: 1, respondentType: 1, name: 'Lê Thị Hoa', phone: '0912000009' }] },
      'POST /api/v1/rounds/{roundId}/assignments': { enumerator: enumerator.username, unitIds: ['HN-1'] },
      'PUT /api/v1/me/assignments/{roundId}/{unitId}/status': { status: 'refused', note: 'vắng nhà', at },
      'POST /api/v1/rounds/{roundId}/quotas': { targets: [{ provinceCode: '01', servingLevel: 2, serviceField: 1, target: 10 }] },
      'PUT /api/v1/rounds/{roundId}/quotas/cell': { provinceCode: '01', servingLevel: 2, serviceField: 1, target: 10 },
      'POST /api/v1/rounds/{roundId}/responses/{responseId}/review': { decision: 'approved', reason: 'Called back', expectedStatus: 'flagged' },
      'POST /api/v1/rounds/{roundId}/exports': { kind: 'microdata', format: 'xlsx' },
      'PUT /api/v1/province-areas/{edition}': { areas: [{ provinceCode: '01', minLat: 20.5, minLon: 105.3, maxLat: 21.4, maxLon: 106.0 }] },
    });
    document = (await system.http().get('/api/v1/openapi.json').set('Authorization', `Bearer ${admin}`).expect(200)).body as typeof document;
  });
  afterAll(() => system?.stop());

  const send = async (req: GeneratedRequest): Promise<Reply> => {
    let call = system.http()[req.method](req.url).set(req.headers).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
    });
    // Bytes as they are: superagent would serialise a Buffer declared as JSON into JSON.
    if (req.body !== undefined) call = call.serialize((b: unknown) => b as string).send(req.body);
    const res = await call;
    return { status: res.status, type: String(res.headers['content-type']), nosniff: res.headers['x-content-type-options'], text: res.body as string };
  };

  test('when garbage is sent to every operation of the OpenAPI document, then no reply is a 5xx and every error is catalogued', async () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(35);
    const failures: string[] = [];
    for (const op of operations) {
      // Logging out with a real token would end the session the other operations use.
      const pool = op.path.endsWith('/auth/logout') ? { nobody: 'not-a-session' } : tokens;
      await fc.assert(
        fc.asyncProperty(requestsFor(op, document.components.schemas, known, pool, examples[`${op.method.toUpperCase()} ${op.path}`]), async (req) => {
          const problems = problemsOf(await send(req));
          if (problems.length > 0) failures.push(`${req.method.toUpperCase()} ${req.url.slice(0, 200)} ${JSON.stringify(req.headers).slice(0, 200)} body=${req.body?.toString('utf8').slice(0, 200) ?? '-'}: ${problems.join('; ')}`);
          return problems.length === 0;
        }),
        { numRuns: RUNS, endOnFailure: true, ...(process.env.GARBAGE_SEED ? { seed: Number(process.env.GARBAGE_SEED) } : {}) },
      ).catch(() => undefined);
    }
    expect(failures).toEqual([]);
  }, 60_000 + RUNS * 4_000);
});

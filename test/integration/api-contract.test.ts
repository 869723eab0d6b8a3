import SwaggerParser from '@apidevtools/swagger-parser';
import { apiRoutes } from '../../server/app';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

describeWithMongo('the API contract', () => {
  let system: TestSystem;
  let admin: string;
  let enumerator: string;
  let roundId: string;

  beforeAll(async () => {
    system = await startTestSystem({ worker: false });
    admin = await system.login(ADMIN.username, ADMIN.password);
    // Where this enumerator works: 01 among the 63 units, 15 (the merged Lào Cai) among the 34.
    enumerator = await system.userToken('enumerator', ['01', '15']);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
  });
  afterAll(() => system?.stop());

  const post = (path: string, token = enumerator) => system.http().post(path).set('Authorization', `Bearer ${token}`);

  describe('logging in', () => {
    test('when the password is wrong or the user unknown, then both get the same 401 without a hint', async () => {
      const wrongPassword = await system.http().post('/api/v1/auth/login').send({ username: ADMIN.username, password: 'nope-nope' }).expect(401);
      const unknownUser = await system.http().post('/api/v1/auth/login').send({ username: 'nobody', password: 'nope-nope' }).expect(401);
      expect(wrongPassword.body).toEqual({ error: { code: 'login_failed', message: 'Wrong username or password.' } });
      expect(unknownUser.body).toEqual(wrongPassword.body);
    });

    test('when a token is used after logout, then it is refused', async () => {
      const token = await system.login(ADMIN.username, ADMIN.password);
      await system.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200, { username: 'admin', role: 'admin', displayName: 'Administrator', provinces: [], postOffice: null });
      await post('/api/v1/auth/logout', token).expect(204);
      await system.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
    });

    test('when an enumerator tries to create a user or a round, then it is refused with 403', async () => {
      await post('/api/v1/users').send({ username: 'x-user', password: 'password1', role: 'admin' }).expect(403);
      await post('/api/v1/rounds').send(makeRound()).expect(403);
    });

    test('when a username is taken, then creating it again is a 409', async () => {
      const res = await post('/api/v1/users', admin).send({ username: ADMIN.username, password: 'a strong new passphrase', role: 'analyst' }).expect(409);
      expect(res.body.error.code).toBe('already_exists');
    });
  });

  describe('bad requests get a 4xx that names the field and the reason', () => {
    test('when the body is not JSON, then 400 invalid_json', async () => {
      const res = await post('/api/v1/responses').set('Content-Type', 'application/json').send('{"responses": [').expect(400);
      expect(res.body.error).toEqual({ code: 'invalid_json', message: 'The request body is not valid JSON.' });
    });

    test('when the body is declared as something else than JSON, then 415', async () => {
      const res = await post('/api/v1/responses').set('Content-Type', 'text/plain').send('hello').expect(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    });

    test('when the body is over the size limit, then 413 and nothing is stored', async () => {
      const huge = makeResponse(roundId, '01', makeAnswers(4, { comment: 'x'.repeat(9 * 1024 * 1024) }));
      const res = await post('/api/v1/responses').send({ responses: [huge] }).expect(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(await system.web.deps.repos.responses.countByRound(roundId)).toBe(0);
    });

    test('when responses is not an array, then 400 with the path /body/responses', async () => {
      const res = await post('/api/v1/responses').send({ responses: 'many' }).expect(400);
      expect(res.body.error.details).toEqual([{ path: '/body/responses', code: 'wrong_type', message: 'must be of type array' }]);
    });

    test('when a batch holds more than 500 responses, then it is refused whole with the limit stated', async () => {
      const batch = Array.from({ length: 501 }, () => makeResponse(roundId, '01'));
      const res = await post('/api/v1/responses').send({ responses: batch }).expect(400);
      expect(res.body.error.details).toEqual([{ path: '/body/responses', code: 'too_many', message: 'must have at most 500 entries' }]);
    });

    test('when an item has wrong types in its envelope, then that item is invalid with each path', async () => {
      const res = await post('/api/v1/responses')
        .send({ responses: [{ id: 'not-a-uuid', roundId, formId: 'sipas-2017', formVersion: 1, provinceCode: 1, answers: [], paradata: {} }] })
        .expect(200);
      const [result] = res.body.results as Array<{ id: string; status: string; errors: Array<{ path: string }> }>;
      expect(result?.status).toBe('invalid');
      expect(result?.errors.map((e) => e.path).sort()).toEqual(
        ['/id', '/formVersion', '/provinceCode', '/answers', '/paradata/startedAt', '/paradata/endedAt'].sort(),
      );
    });

    test('when a round is created on an unknown questionnaire version with dates backwards, then both are named', async () => {
      const res = await post('/api/v1/rounds', admin)
        .send(makeRound({ formVersion: '99', fieldworkStart: '2024-12-01', fieldworkEnd: '2024-08-01' }))
        .expect(400);
      expect(res.body.error.details).toEqual([
        { path: '/body/formVersion', code: 'unknown_form', message: 'questionnaire sipas-2017 version 99 does not exist' },
        { path: '/body/fieldworkEnd', code: 'too_small', message: 'must not be before fieldworkStart (2024-12-01)' },
      ]);
    });

    test('when a round on the 34 units takes a code retired in the merger, then the response is invalid', async () => {
      const round = makeRound({ year: 2025, boundaryEdition: 34, fieldworkStart: '2025-08-01', fieldworkEnd: '2025-12-15' });
      await post('/api/v1/rounds', admin).send(round).expect(201);
      // 10 was Lào Cai's code among the 63; the merged Lào Cai is 15.
      const res = await post('/api/v1/responses').send({ responses: [makeResponse(String(round.id), '10'), makeResponse(String(round.id), '15')] }).expect(200);
      expect((res.body.results as Array<{ status: string }>).map((r) => r.status)).toEqual(['invalid', 'accepted']);
    });

    test('when an unknown path is asked for, then 404 in the error format', async () => {
      const res = await system.http().get('/api/v1/nothing-here').set('Authorization', `Bearer ${admin}`).expect(404);
      expect(res.body.error.code).toBe('not_found');
    });
  });

  describe('questionnaires', () => {
    test('when versions are listed and one is fetched, then it is the data the server validates with', async () => {
      const list = await system.http().get('/api/v1/forms').set('Authorization', `Bearer ${enumerator}`).expect(200);
      expect(list.body.forms).toContainEqual(expect.objectContaining({ formId: 'sipas-2017', version: '1', status: 'published' }));
      const form = await system.http().get('/api/v1/forms/sipas-2017/1').set('Authorization', `Bearer ${enumerator}`).expect(200);
      expect(form.body).toEqual(system.web.deps.forms.get('sipas-2017', '1')?.definition);
      await system.http().get('/api/v1/forms/sipas-2017/42').set('Authorization', `Bearer ${enumerator}`).expect(404);
    });
  });

  describe('operations', () => {
    test('when health and readiness are asked without a token, then both answer', async () => {
      await system.http().get('/healthz').expect(200, { status: 'ok' });
      await system.http().get('/readyz').expect(200, { status: 'ready', mongodb: 'ok', redis: 'ok' });
    });

    test('when the OpenAPI document is read, then it is valid OpenAPI 3.1 and documents every route', async () => {
      const res = await system.http().get('/api/v1/openapi.json').set('Authorization', `Bearer ${enumerator}`).expect(200);
      const document = res.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
      await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
      const documented = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
      const mounted = apiRoutes(system.web.deps).map((r) => `${r.method.toUpperCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
      expect(documented.sort()).toEqual(mounted.sort());
      expect(documented).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'POST /api/v1/responses', 'GET /api/v1/rounds/{roundId}/aggregates']));
    });
  });
});

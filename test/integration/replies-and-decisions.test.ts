import type { Response } from 'supertest';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

describeWithMongo('reply headers, and review decisions made on a stale page', () => {
  let system: TestSystem;
  let admin: string;
  let roundId: string;
  let supervisor: { username: string; token: string };
  let enumerator: { username: string; token: string };
  let analyst: string;
  let flagged: string[];

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    supervisor = await system.createUser('supervisor', ['01']);
    enumerator = await system.createUser('enumerator', ['01']);
    analyst = await system.userToken('analyst');
    const sample = 'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address\nHN-1,01,2,1,1,Nguyễn Văn An,0912000001,"12 Phố Huế"\n';
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv: sample }).expect(200);
    await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set('Authorization', `Bearer ${admin}`).send({ enumerator: enumerator.username, unitIds: ['HN-1'] }).expect(200);
    const straight = [makeResponse(roundId, '01', makeAnswers(5, {}, { straightLine: true })), makeResponse(roundId, '01', makeAnswers(2, {}, { straightLine: true }))];
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator.token}`).send({ responses: straight }).expect(200);
    flagged = straight.map((r) => String(r.id));
    await system.drain();
  });
  afterAll(() => system?.stop());

  const get = (path: string, token: string) => system.http().get(path).set('Authorization', `Bearer ${token}`);
  const decide = (responseId: string, token: string, body: Record<string, unknown>) =>
    system.http().post(`/api/v1/rounds/${roundId}/responses/${responseId}/review`).set('Authorization', `Bearer ${token}`).send(body);

  describe('headers', () => {
    test('when a reply carries personal data (contacts, my units, answers in review, the audit log), then it says Cache-Control: no-store', async () => {
      const replies: Array<[string, Response]> = [
        ['sample list', await get(`/api/v1/rounds/${roundId}/sample`, supervisor.token).expect(200)],
        ['my assignments', await get('/api/v1/me/assignments', enumerator.token).expect(200)],
        ['my unit', await get(`/api/v1/me/assignments/${roundId}/HN-1`, enumerator.token).expect(200)],
        [
          'status report',
          await system.http().put(`/api/v1/me/assignments/${roundId}/HN-1/status`).set('Authorization', `Bearer ${enumerator.token}`).send({ status: 'in-progress', at: '2024-09-01T08:00:00+07:00' }).expect(200),
        ],
        ['review queue', await get(`/api/v1/rounds/${roundId}/review`, supervisor.token).expect(200)],
        ['response in review', await get(`/api/v1/rounds/${roundId}/responses/${String(flagged[1])}`, supervisor.token).expect(200)],
        ['audit log', await get(`/api/v1/rounds/${roundId}/audit-log`, supervisor.token).expect(200)],
        ['quota progress', await get(`/api/v1/rounds/${roundId}/quota-progress`, supervisor.token).expect(200)],
      ];
      expect((replies[0]?.[1].body as { units: Array<{ contact: { name: string } }> }).units[0]?.contact.name).toBe('Nguyễn Văn An');
      expect(replies.map(([name, res]) => [name, res.headers['cache-control']])).toEqual(replies.map(([name]) => [name, 'no-store']));
    });

    test('when the API replies with JSON, CSV, a file or an error, then every reply says X-Content-Type-Options: nosniff', async () => {
      const replies: Array<[string, Response]> = [
        ['JSON', await get('/api/v1/rounds', analyst).expect(200)],
        ['CSV', await get(`/api/v1/rounds/${roundId}/aggregates?format=csv`, analyst).expect(200)],
        ['XLSX file', await get(`/api/v1/rounds/${roundId}/aggregates?format=xlsx`, analyst).expect(200)],
        ['codebook CSV', await get(`/api/v1/rounds/${roundId}/microdata/codebook?format=csv`, analyst).expect(200)],
        ['published questionnaire', await get('/api/v1/forms/sipas-2017/1', analyst).expect(200)],
        ['404', await get('/api/v1/nothing-here', analyst).expect(404)],
        ['400', await get(`/api/v1/rounds/${roundId}/aggregates?by=nonsense`, analyst).expect(400)],
        ['401', await system.http().get('/api/v1/rounds').expect(401)],
        ['403', await get(`/api/v1/rounds/${roundId}/sample`, analyst).expect(403)],
        ['bad percent-encoding', await get('/api/v1/rounds/%zz', analyst).expect(400)],
        ['health', await system.http().get('/healthz').expect(200)],
        ['web app', await system.http().get('/app/').expect(200)],
      ];
      expect(replies.map(([name, res]) => [name, res.headers['x-content-type-options']])).toEqual(replies.map(([name]) => [name, 'nosniff']));
      // A published questionnaire version never changes: it alone may be kept, by the client that fetched it.
      expect(replies[4]?.[1].headers['cache-control']).toBe('private, max-age=86400, immutable');
    });
  });

  describe('a decision carries the review state it was made on', () => {
    test('when an admin rejects and then a supervisor whose page still shows flagged approves, then 409 stale_decision and the rejection stands', async () => {
      const id = String(flagged[0]);
      const page = await get(`/api/v1/rounds/${roundId}/review`, supervisor.token).expect(200);
      const shown = (page.body as { responses: Array<{ id: string; reviewStatus: string }> }).responses.find((r) => r.id === id);
      expect(shown?.reviewStatus).toBe('flagged');

      await decide(id, admin, { decision: 'rejected', reason: 'Every answer the same', expectedStatus: 'flagged' }).expect(200);
      const stale = await decide(id, supervisor.token, { decision: 'approved', reason: 'Looks fine to me', expectedStatus: shown?.reviewStatus }).expect(409);
      expect(stale.body).toEqual({
        error: { code: 'stale_decision', message: `Response ${id} is rejected now, not flagged as your page showed: someone decided meanwhile; reload it.` },
      });

      const now = await get(`/api/v1/rounds/${roundId}/responses/${id}`, supervisor.token).expect(200);
      expect(now.body).toMatchObject({ reviewStatus: 'rejected', review: { decision: 'rejected', by: 'admin' } });
      const audit = await get(`/api/v1/rounds/${roundId}/audit-log?responseId=${id}`, supervisor.token).expect(200);
      expect((audit.body.entries as Array<{ actor: string; action: string }>).map((e) => [e.actor, e.action])).toEqual([['admin', 'response.rejected']]);

      // Reloaded, the supervisor may overrule with what the page now shows.
      await decide(id, supervisor.token, { decision: 'approved', reason: 'Called back: answers confirmed', expectedStatus: 'rejected' }).expect(200);
    });

    test('when a decision does not say which state it was made on, then 400 names expectedStatus', async () => {
      const res = await decide(String(flagged[1]), supervisor.token, { decision: 'approved', reason: 'Looks fine' }).expect(400);
      expect(res.body.error.details).toEqual([{ path: '/body/expectedStatus', code: 'required', message: 'is required' }]);
    });

    test('when the same supervisor resends their decision after a lost reply, then it is acknowledged once', async () => {
      const id = String(flagged[1]);
      const body = { decision: 'rejected', reason: 'Straight line', expectedStatus: 'flagged' };
      await decide(id, supervisor.token, body).expect(200);
      const again = await decide(id, supervisor.token, body).expect(200);
      expect(again.body).toMatchObject({ reviewStatus: 'rejected', review: { by: supervisor.username, reason: 'Straight line' } });
      const audit = await get(`/api/v1/rounds/${roundId}/audit-log?responseId=${id}`, supervisor.token).expect(200);
      expect(audit.body.total).toBe(1);
      // Someone else acting on that same stale view is refused.
      await decide(id, admin, { decision: 'approved', reason: 'Fine', expectedStatus: 'flagged' }).expect(409);
    });
  });
});

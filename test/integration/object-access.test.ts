// Long on purpose: one table of every endpoint that takes an id, asked by every kind of caller, reads best in one place.
import { randomUUID } from 'node:crypto';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

interface Problem {
  path: string;
  code: string;
  message: string;
}
interface Result {
  id: string;
  status: string;
  errors?: Problem[];
}

const SAMPLE = [
  'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure',
  'HN-1,01,2,1,1,Nguyễn Văn An,0912000001,,',
  'HN-2,01,2,1,1,Trần Thị Bình,0912000002,,',
  'HN-3,01,2,1,1,Lê Văn Cường,0912000003,,',
  'HCM-1,79,2,1,1,Phạm Thu Dung,0912000004,,',
  'HCM-2,79,2,1,1,Võ Minh Em,0912000005,,',
].join('\n');

describeWithMongo('object-level access: every submission and every endpoint that takes an id, checked against its owner', () => {
  let system: TestSystem;
  let admin: string;
  let roundId: string;
  let otherRoundId: string;
  type Caller = { username: string; token: string };
  let supervisor01: Caller;
  let supervisor79: Caller;
  let enumerator01: Caller;
  let enumerator79: Caller;
  let idleEnumerator01: Caller;
  let analyst: Caller;
  let otherAnalyst: Caller;

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    roundId = String(round.id);
    const other = makeRound();
    otherRoundId = String(other.id);
    for (const r of [round, other]) await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(r).expect(201);
    [supervisor01, supervisor79, enumerator01, enumerator79, idleEnumerator01, analyst, otherAnalyst] = await Promise.all([
      system.createUser('supervisor', ['01']),
      system.createUser('supervisor', ['79']),
      system.createUser('enumerator', ['01']),
      system.createUser('enumerator', ['79']),
      system.createUser('enumerator', ['01']),
      system.createUser('analyst'),
      system.createUser('analyst'),
    ]);
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv: SAMPLE }).expect(200);
    await assign(enumerator01.username, ['HN-1'], admin).expect(200);
    await assign(enumerator79.username, ['HCM-1', 'HCM-2'], admin).expect(200);
  });
  afterAll(() => system?.stop());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const assign = (enumerator: string | null, unitIds: string[], token: string) =>
    system.http().post(`/api/v1/rounds/${roundId}/assignments`).set(bearer(token)).send({ enumerator, unitIds });
  const submit = async (token: string, items: unknown[]): Promise<Result[]> =>
    ((await system.http().post('/api/v1/responses').set(bearer(token)).send({ responses: items }).expect(200)).body as { results: Result[] }).results;
  const unitOf = async (unitId: string) => collection(system, 'sample_units').findOne({ _id: `${roundId}|${unitId}` });
  const codes = (result: Result | undefined) => (result?.errors ?? []).map((e) => [e.path, e.code]);

  describe('who may submit for which province and which unit', () => {
    test('when an enumerator of 01 submits a response for 79 without a sample unit, then that item is invalid and the rest of the batch is stored', async () => {
      const theirs = makeResponse(roundId, '79', makeAnswers(4));
      const mine = makeResponse(roundId, '01', makeAnswers(4));
      const results = await submit(enumerator01.token, [theirs, mine]);
      expect(results.map((r) => r.status)).toEqual(['invalid', 'accepted']);
      expect(codes(results[0])).toEqual([['/provinceCode', 'province_not_yours']]);
      expect(await collection(system, 'responses').countDocuments({ _id: { $in: [String(theirs.id), String(mine.id)] } })).toBe(1);
    });

    test("when a supervisor of 01 names a unit of 79 assigned to another enumerator, then it is invalid, the unit stays open, and its enumerator's real interview is accepted", async () => {
      const intruder = makeResponse(roundId, '79', makeAnswers(4), { sampleUnitId: 'HCM-1' });
      const disguised = makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'HCM-1' });
      const results = await submit(supervisor01.token, [intruder, disguised]);
      expect(results.map((r) => r.status)).toEqual(['invalid', 'invalid']);
      expect(codes(results[0])).toEqual([['/provinceCode', 'province_not_yours']]);
      expect(codes(results[1])).toEqual([
        ['/provinceCode', 'wrong_province'],
        ['/sampleUnitId', 'province_not_yours'],
      ]);
      // Nothing about the unit's enumerator leaks to a supervisor of another province.
      expect(JSON.stringify(results)).not.toContain(enumerator79.username);
      expect(await unitOf('HCM-1')).toMatchObject({ status: 'not-started', responseId: null, assignedTo: enumerator79.username });

      const real = makeResponse(roundId, '79', makeAnswers(5), { sampleUnitId: 'HCM-1' });
      expect(await submit(enumerator79.token, [real])).toEqual([{ id: real.id, status: 'accepted' }]);
      expect(await unitOf('HCM-1')).toMatchObject({ status: 'completed', responseId: real.id });
    });

    test("when the province's own supervisor or an admin names a unit assigned to an enumerator, then it is assigned_to_other until they take the unit back", async () => {
      const bySupervisor = makeResponse(roundId, '79', makeAnswers(4), { sampleUnitId: 'HCM-2' });
      const byAdmin = makeResponse(roundId, '79', makeAnswers(4), { sampleUnitId: 'HCM-2' });
      const [refusedSupervisor] = await submit(supervisor79.token, [bySupervisor]);
      const [refusedAdmin] = await submit(admin, [byAdmin]);
      expect(codes(refusedSupervisor)).toEqual([['/sampleUnitId', 'assigned_to_other']]);
      expect(codes(refusedAdmin)).toEqual([['/sampleUnitId', 'assigned_to_other']]);
      expect(refusedSupervisor?.errors?.[0]?.message).toContain(enumerator79.username);
      expect(await unitOf('HCM-2')).toMatchObject({ status: 'not-started', responseId: null });

      await assign(null, ['HCM-2'], supervisor79.token).expect(200);
      expect(await submit(supervisor79.token, [bySupervisor])).toEqual([{ id: bySupervisor.id, status: 'accepted' }]);
      expect(await unitOf('HCM-2')).toMatchObject({ status: 'completed', responseId: bySupervisor.id });
    });

    test('when an enumerator names a unit of their province assigned to nobody or to another, then it is not_assigned; their own unit is accepted', async () => {
      const unassigned = makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'HN-3' });
      const ofAnother = makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'HN-1' });
      const results = await submit(idleEnumerator01.token, [unassigned, ofAnother]);
      expect(results.map(codes)).toEqual([[['/sampleUnitId', 'not_assigned']], [['/sampleUnitId', 'not_assigned']]]);
      const own = makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'HN-1' });
      expect(await submit(enumerator01.token, [own])).toEqual([{ id: own.id, status: 'accepted' }]);
    });

    test('when an analyst submits, then the whole request is refused: analysts never submit', async () => {
      await system.http().post('/api/v1/responses').set(bearer(analyst.token)).send({ responses: [makeResponse(roundId, '01')] }).expect(403);
    });
  });

  describe('every endpoint that takes an id, asked by its owner and by those it is not for', () => {
    let flaggedId: string;
    let exportId: string;
    let jobId: string;

    beforeAll(async () => {
      // A response of 01 the checks flag, awaiting review; an export and a recompute job.
      const straight = makeResponse(roundId, '01', makeAnswers(5, {}, { straightLine: true }));
      expect(await submit(enumerator01.token, [straight])).toEqual([{ id: straight.id, status: 'accepted' }]);
      flaggedId = String(straight.id);
      await system.drain();
      const exported = await system.http().post(`/api/v1/rounds/${roundId}/exports`).set(bearer(analyst.token)).send({ kind: 'microdata', format: 'csv' }).expect(202);
      exportId = (exported.body as { id: string }).id;
      for (let state = ''; state !== 'ready'; ) {
        state = ((await system.http().get(`/api/v1/exports/${exportId}`).set(bearer(analyst.token)).expect(200)).body as { state: string }).state;
        if (state === 'failed') throw new Error('the export failed');
        await new Promise((r) => setTimeout(r, 50));
      }
      await assign(enumerator01.username, ['HN-3'], supervisor01.token).expect(200);
      const recompute = await system.http().post(`/api/v1/rounds/${roundId}/recompute`).set(bearer(admin)).expect(202);
      jobId = (recompute.body as { jobId: string }).jobId;
    });

    type Who = 'owner' | 'supervisorOfAnotherProvince' | 'enumeratorNotAssigned' | 'analyst';
    interface Row {
      name: string;
      method: 'get' | 'post' | 'put';
      path: () => string;
      body?: () => unknown;
      owner: () => string;
      /** The status each caller gets; the owner is asked last, as some endpoints change what they act on. */
      expect: Record<Who, number>;
    }
    const others = (who: Who): string => {
      switch (who) {
        case 'supervisorOfAnotherProvince':
          return supervisor79.token;
        case 'enumeratorNotAssigned':
          return idleEnumerator01.token;
        case 'analyst':
          return analyst.token;
        default:
          throw new Error(who);
      }
    };
    const now = () => new Date().toISOString();
    const cell = { provinceCode: '01', servingLevel: 2, serviceField: 1, target: 12 };
    const ROWS: Row[] = [
      // A sample unit, as its enumerator sees it: another's unit does not exist for an enumerator (404); other roles may not ask (403).
      { name: 'GET /me/assignments/:roundId/:unitId', method: 'get', path: () => `/api/v1/me/assignments/${roundId}/HN-1`, owner: () => enumerator01.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 404, analyst: 403 } },
      { name: 'PUT /me/assignments/:roundId/:unitId/status', method: 'put', path: () => `/api/v1/me/assignments/${roundId}/HN-3/status`, body: () => ({ status: 'in-progress', at: now() }), owner: () => enumerator01.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 404, analyst: 403 } },
      // The sample list and assignments: a province that is not yours is a 403 (listing) or a problem per unit (400), as the README says.
      { name: 'GET /rounds/:roundId/sample?province=01', method: 'get', path: () => `/api/v1/rounds/${roundId}/sample?province=01`, owner: () => supervisor01.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 403, analyst: 403 } },
      { name: 'POST /rounds/:roundId/sample (a unit of 01)', method: 'post', path: () => `/api/v1/rounds/${roundId}/sample`, body: () => ({ units: [{ unitId: `HN-${randomUUID().slice(0, 6)}`, provinceCode: '01', servingLevel: 2, serviceField: 1, respondentType: 1, name: 'Đặng Văn Phúc' }] }), owner: () => supervisor01.token, expect: { owner: 200, supervisorOfAnotherProvince: 400, enumeratorNotAssigned: 403, analyst: 403 } },
      { name: 'POST /rounds/:roundId/assignments (a unit of 01)', method: 'post', path: () => `/api/v1/rounds/${roundId}/assignments`, body: () => ({ enumerator: enumerator01.username, unitIds: ['HN-2'] }), owner: () => supervisor01.token, expect: { owner: 200, supervisorOfAnotherProvince: 400, enumeratorNotAssigned: 403, analyst: 403 } },
      // A response in review, its decision and its audit entries: another province's is a 403 for a supervisor (README: Review).
      { name: 'GET /rounds/:roundId/review?province=01', method: 'get', path: () => `/api/v1/rounds/${roundId}/review?province=01`, owner: () => supervisor01.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 403, analyst: 403 } },
      { name: 'GET /rounds/:roundId/responses/:responseId', method: 'get', path: () => `/api/v1/rounds/${roundId}/responses/${flaggedId}`, owner: () => supervisor01.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 403, analyst: 403 } },
      { name: 'POST /rounds/:roundId/responses/:responseId/review', method: 'post', path: () => `/api/v1/rounds/${roundId}/responses/${flaggedId}/review`, body: () => ({ decision: 'approved', reason: 'Called back: answers confirmed', expectedStatus: 'flagged' }), owner: () => supervisor01.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 403, analyst: 403 } },
      { name: 'GET /rounds/:roundId/audit-log?responseId=', method: 'get', path: () => `/api/v1/rounds/${roundId}/audit-log?responseId=${flaggedId}`, owner: () => supervisor01.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 403, analyst: 403 } },
      // Quota cells and progress of a province.
      { name: 'PUT /rounds/:roundId/quotas/cell (01)', method: 'put', path: () => `/api/v1/rounds/${roundId}/quotas/cell`, body: () => cell, owner: () => supervisor01.token, expect: { owner: 200, supervisorOfAnotherProvince: 400, enumeratorNotAssigned: 403, analyst: 403 } },
      { name: 'GET /rounds/:roundId/quotas?province=01', method: 'get', path: () => `/api/v1/rounds/${roundId}/quotas?province=01`, owner: () => supervisor01.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 403, analyst: 403 } },
      { name: 'GET /rounds/:roundId/quota-progress?province=01', method: 'get', path: () => `/api/v1/rounds/${roundId}/quota-progress?province=01`, owner: () => supervisor01.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 403, analyst: 403 } },
      // Exports and their files are the Ministry's analysts' (any analyst), jobs the analysts' and admins'.
      { name: 'GET /exports/:exportId', method: 'get', path: () => `/api/v1/exports/${exportId}`, owner: () => analyst.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 403, analyst: 200 } },
      { name: 'GET /exports/:exportId/file', method: 'get', path: () => `/api/v1/exports/${exportId}/file`, owner: () => analyst.token, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 403, analyst: 200 } },
      { name: 'GET /jobs/:jobId', method: 'get', path: () => `/api/v1/jobs/${jobId}`, owner: () => admin, expect: { owner: 200, supervisorOfAnotherProvince: 403, enumeratorNotAssigned: 403, analyst: 200 } },
    ];

    const ask = (row: Row, token: string) => {
      const req = system.http()[row.method](row.path()).set(bearer(token));
      return row.body ? req.send(row.body() as object) : req;
    };

    test.each(ROWS.map((row) => [row.name, row] as const))('when %s is asked by each kind of caller, then each gets its documented status', async (_name, row) => {
      const got: Record<string, number> = {};
      for (const who of ['supervisorOfAnotherProvince', 'enumeratorNotAssigned', 'analyst'] as const) {
        // The "analyst" column of an analysts' endpoint is another analyst than the owner.
        const token = who === 'analyst' && row.owner() === analyst.token ? otherAnalyst.token : others(who);
        const res = await ask(row, token);
        got[who] = res.status;
        if (res.status >= 400) expect(res.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      }
      got.owner = (await ask(row, row.owner())).status;
      expect(got).toEqual(row.expect);
    });

    test('when an export file is downloaded, then it says nosniff and no-store like every other reply', async () => {
      const file = await system.http().get(`/api/v1/exports/${exportId}/file`).set(bearer(analyst.token)).expect(200);
      expect([file.headers['x-content-type-options'], file.headers['cache-control']]).toEqual(['nosniff', 'no-store']);
    });

    test("when a decision was refused to those it is not for, then only the owner's stands, once, in the audit log", async () => {
      const audit = await system.http().get(`/api/v1/rounds/${roundId}/audit-log?responseId=${flaggedId}`).set(bearer(supervisor01.token)).expect(200);
      expect((audit.body.entries as Array<{ actor: string; action: string }>).map((e) => [e.actor, e.action])).toEqual([[supervisor01.username, 'response.approved']]);
      expect(await unitOf('HN-2')).toMatchObject({ assignedTo: enumerator01.username });
    });

    test('when an id does not exist, or belongs to another round, then its owner gets 404, never a hint that it exists elsewhere', async () => {
      const missing = [
        [`/api/v1/rounds/${roundId}/responses/${randomUUID()}`, supervisor01.token],
        [`/api/v1/rounds/${otherRoundId}/responses/${flaggedId}`, supervisor01.token],
        [`/api/v1/rounds/no-such-round/responses/${flaggedId}`, supervisor01.token],
        [`/api/v1/me/assignments/${roundId}/NOPE-1`, enumerator01.token],
        [`/api/v1/me/assignments/${otherRoundId}/HN-1`, enumerator01.token],
        [`/api/v1/exports/export-microdata.${roundId}.000000000000000000000000`, analyst.token],
        [`/api/v1/exports/export-microdata.${roundId}.000000000000000000000000/file`, analyst.token],
        [`/api/v1/jobs/recompute-round.${roundId}.000000000000000000000000`, admin],
      ] as const;
      for (const [path, token] of missing) {
        const res = await system.http().get(path).set(bearer(token));
        expect({ path, status: res.status, code: (res.body as { error?: { code?: string } }).error?.code }).toEqual({ path, status: 404, code: 'not_found' });
      }
      const decision = await system
        .http()
        .post(`/api/v1/rounds/${otherRoundId}/responses/${flaggedId}/review`)
        .set(bearer(supervisor01.token))
        .send({ decision: 'rejected', reason: 'wrong round', expectedStatus: 'approved' });
      expect(decision.status).toBe(404);
    });
  });
});

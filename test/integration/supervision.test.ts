import { countedFilter } from '../../server/modules/responses/response.model';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

interface Progress {
  cells: Array<{ provinceCode: string; servingLevel: number; serviceField: number; target: number | null; accepted: number; awaitingReview: number; rejected: number; flagged: number }>;
  provinces: Array<{ provinceCode: string; target: number | null; accepted: number; awaitingReview: number; rejected: number; pace: unknown; forecast: unknown }>;
  totals: { accepted: number; awaitingReview: number; rejected: number; unchecked: number; target: number | null; pace: unknown; forecast: unknown };
  enumerators: Array<{ username: string; responses: number; flagged: number; shareFlagged: number }>;
}

describeWithMongo('supervision: quotas, quality checks and review', () => {
  let system: TestSystem;
  let admin: string;
  let roundId: string;
  let hanoi: { username: string; token: string };
  let hcmc: { username: string; token: string };

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    hanoi = await system.createUser('supervisor', ['01']);
    hcmc = await system.createUser('supervisor', ['79']);
  });
  afterAll(() => system?.stop());

  const progress = async (token: string, query = ''): Promise<Progress> =>
    (await system.http().get(`/api/v1/rounds/${roundId}/quota-progress${query}`).set('Authorization', `Bearer ${token}`).expect(200)).body as Progress;
  const overall = async () =>
    (await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=province&fields=group,n`).set('Authorization', `Bearer ${admin}`).expect(200)).body as {
      responses: number;
      review: { awaitingReview: number; rejected: number; awaitingReviewByProvince: Record<string, number> };
      rows: Array<{ group: string; n: number }>;
    };

  test('when quota targets have bad rows, then every problem is reported with its line and nothing is stored; a good file is stored', async () => {
    const bad = 'province_code,serving_level,service_field,target\n01,2,1,40\n99,2,1,10\n01,7,1,-3\n01,2,1,5\n';
    const refused = await system.http().post(`/api/v1/rounds/${roundId}/quotas`).set('Authorization', `Bearer ${hanoi.token}`).send({ csv: bad }).expect(400);
    expect((refused.body.error.details as Array<{ path: string; code: string }>).map((d) => [d.path, d.code])).toEqual([
      ['/line/3/provinceCode', 'unknown_province'],
      ['/line/4/servingLevel', 'not_in_options'],
      ['/line/4/target', 'wrong_type'],
      ['/line/5/provinceCode', 'repeated'],
    ]);
    const forbidden = await system.http().post(`/api/v1/rounds/${roundId}/quotas`).set('Authorization', `Bearer ${hanoi.token}`).send({ targets: [{ provinceCode: '79', servingLevel: 2, serviceField: 1, target: 5 }] }).expect(400);
    expect(forbidden.body.error.details).toEqual([expect.objectContaining({ path: '/line/1/provinceCode', code: 'forbidden' })]);
    const listed = await system.http().get(`/api/v1/rounds/${roundId}/quotas`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(listed.body.targets).toEqual([]);

    const skipping = await system
      .http()
      .post(`/api/v1/rounds/${roundId}/quotas?skipInvalid=true`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ targets: [{ provinceCode: '01', servingLevel: 2, serviceField: 1, target: 7 }, { provinceCode: '01', servingLevel: 2, target: 3 }] })
      .expect(200);
    expect(skipping.body).toMatchObject({ imported: 1, skipped: 1, problems: [{ line: 2, field: 'serviceField', code: 'required' }] });
    const good = 'province_code,serving_level,service_field,target\n01,2,1,40\n01,3,1,20\n79,2,1,30\n';
    await system.http().post(`/api/v1/rounds/${roundId}/quotas`).set('Authorization', `Bearer ${admin}`).send({ csv: good }).expect(200);
    await system.http().put(`/api/v1/rounds/${roundId}/quotas/cell`).set('Authorization', `Bearer ${hanoi.token}`).send({ provinceCode: '01', serviceField: 1, servingLevel: 3, target: 25 }).expect(200);
    const targets = await system.http().get(`/api/v1/rounds/${roundId}/quotas`).set('Authorization', `Bearer ${hanoi.token}`).expect(200);
    expect((targets.body.targets as Array<{ provinceCode: string; servingLevel: number; target: number }>).map((t) => [t.provinceCode, t.servingLevel, t.target])).toEqual([
      ['01', 2, 40],
      ['01', 3, 25],
    ]);
  });

  test('when batches arrive in parallel, then the quota counts are exact and agree with a recount of stored responses', async () => {
    const enumerators = await Promise.all([system.createUser('enumerator', ['01']), system.createUser('enumerator', ['79'])]);
    const batches = Array.from({ length: 8 }, (_, b) => {
      const [who, province] = b % 2 === 0 ? [enumerators[0], '01'] : [enumerators[1], '79'];
      const responses = Array.from({ length: 15 }, (_, i) => makeResponse(roundId, province, makeAnswers(4, { serving_level: i % 3 === 0 ? 3 : 2, service_field: 1 })));
      return { token: who?.token ?? '', responses };
    });
    const replies = await Promise.all(batches.map((b) => system.http().post('/api/v1/responses').set('Authorization', `Bearer ${b.token}`).send({ responses: b.responses })));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    await system.drain();

    const report = await progress(admin);
    const recount = await collection(system, 'responses').countDocuments(countedFilter(roundId));
    expect(report.totals).toMatchObject({ accepted: 120, awaitingReview: 0, unchecked: 0, rejected: 0, target: 95 });
    expect(recount).toBe(120);
    const hanoiLevel2 = report.cells.find((c) => c.provinceCode === '01' && c.servingLevel === 2);
    expect(hanoiLevel2).toMatchObject({ target: 40, accepted: 40 });
    expect(report.cells.find((c) => c.provinceCode === '01' && c.servingLevel === 3)).toMatchObject({ target: 25, accepted: 20 });
    expect(report.cells.reduce((sum, c) => sum + c.accepted, 0)).toBe(recount);
    expect(report.enumerators.map((e) => [e.responses, e.flagged])).toEqual([
      [60, 0],
      [60, 0],
    ]);
    expect((await overall()).responses).toBe(120);

    // All interviews ended between 1 and 3 September: a week later the pace is theirs over seven days.
    const week = await progress(admin, '?asOf=2024-09-07');
    expect(week.totals).toMatchObject({ pace: { lastSevenDays: 120, perDay: 17.14 }, forecast: { status: 'reached', remaining: 0 } });
    expect(week.provinces.find((p) => p.provinceCode === '01')).toMatchObject({
      target: 65,
      pace: { lastSevenDays: 60, perDay: 8.57 },
      forecast: { status: 'on-track', remaining: 5, projectedDate: '2024-09-08' },
    });
    const level3 = await progress(hanoi.token, '?asOf=2024-09-07&servingLevel=3');
    expect(level3.cells.map((c) => c.servingLevel)).toEqual([3]);
    expect(level3.totals).toMatchObject({ target: 25, accepted: 20, pace: { lastSevenDays: 20 }, forecast: { projectedDate: '2024-09-09' } });
    expect((await progress(admin, '?asOf=2024-09-20')).totals).toMatchObject({ pace: { lastSevenDays: 0 } });
  });

  test('when a response is flagged, then it awaits review outside the figures; a rejection is audited and recomputes, an approval counts it', async () => {
    const straight = makeResponse(roundId, '01', makeAnswers(5, {}, { straightLine: true }));
    const start = new Date('2024-10-01T02:00:00Z');
    const tooFast = makeResponse(roundId, '01', makeAnswers(5), { paradata: { startedAt: start.toISOString(), endedAt: new Date(start.getTime() + 60_000).toISOString() } });
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses: [straight, tooFast] }).expect(200);
    await system.drain();

    const before = await overall();
    expect(before.responses).toBe(120);
    expect(before.review).toMatchObject({ awaitingReview: 2, rejected: 0, awaitingReviewByProvince: { '01': 2 } });

    const queue = await system.http().get(`/api/v1/rounds/${roundId}/review`).set('Authorization', `Bearer ${hanoi.token}`).expect(200);
    expect(queue.body.total).toBe(2);
    const flags = Object.fromEntries((queue.body.responses as Array<{ id: string; qualityFlags: Array<{ rule: string; evidence: unknown }> }>).map((r) => [r.id, r.qualityFlags]));
    expect(flags[String(straight.id)]).toEqual([expect.objectContaining({ rule: 'straight-lining', evidence: { value: 5, items: 19 } })]);
    expect(flags[String(tooFast.id)]).toEqual([expect.objectContaining({ rule: 'too-fast', evidence: { durationSeconds: 60, minimumSeconds: 240 } })]);

    // The other province's supervisor sees none of it.
    await system.http().get(`/api/v1/rounds/${roundId}/responses/${String(straight.id)}`).set('Authorization', `Bearer ${hcmc.token}`).expect(403);
    await system.http().get(`/api/v1/rounds/${roundId}/review?province=01`).set('Authorization', `Bearer ${hcmc.token}`).expect(403);
    await system.http().get(`/api/v1/rounds/${roundId}/quota-progress?province=01`).set('Authorization', `Bearer ${hcmc.token}`).expect(403);
    await system.http().post(`/api/v1/rounds/${roundId}/responses/${String(straight.id)}/review`).set('Authorization', `Bearer ${hcmc.token}`).send({ decision: 'approved', reason: 'looks fine', expectedStatus: 'flagged' }).expect(403);
    expect((await system.http().get(`/api/v1/rounds/${roundId}/review`).set('Authorization', `Bearer ${hcmc.token}`).expect(200)).body.total).toBe(0);
    expect((await progress(hcmc.token)).provinces.map((p) => p.provinceCode)).toEqual(['79']);

    const opened = await system.http().get(`/api/v1/rounds/${roundId}/responses/${String(straight.id)}`).set('Authorization', `Bearer ${hanoi.token}`).expect(200);
    expect(opened.body).toMatchObject({ reviewStatus: 'flagged', answers: { c01_s: 5 }, paradata: { appVersion: 'test' } });
    expect(opened.body).not.toHaveProperty('contact');

    await system.http().post(`/api/v1/rounds/${roundId}/responses/${String(straight.id)}/review`).set('Authorization', `Bearer ${hanoi.token}`).send({ decision: 'rejected' }).expect(400);
    const rejected = await system.http().post(`/api/v1/rounds/${roundId}/responses/${String(straight.id)}/review`).set('Authorization', `Bearer ${hanoi.token}`).send({ decision: 'rejected', reason: 'Every answer the same', expectedStatus: 'flagged' }).expect(200);
    expect(rejected.body).toMatchObject({ reviewStatus: 'rejected', review: { decision: 'rejected', reason: 'Every answer the same', by: hanoi.username } });
    // Rejecting again (a resend from the same page) changes nothing and writes nothing to the audit log (one entry below).
    await system.http().post(`/api/v1/rounds/${roundId}/responses/${String(straight.id)}/review`).set('Authorization', `Bearer ${hanoi.token}`).send({ decision: 'rejected', reason: 'Again', expectedStatus: 'flagged' }).expect(200);
    await system.drain();
    const afterReject = await overall();
    expect(afterReject.responses).toBe(120);
    expect(afterReject.review).toMatchObject({ awaitingReview: 1, rejected: 1 });

    const audit = await system.http().get(`/api/v1/rounds/${roundId}/audit-log?responseId=${String(straight.id)}`).set('Authorization', `Bearer ${hanoi.token}`).expect(200);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        actor: hanoi.username,
        action: 'response.rejected',
        subject: `response/${String(straight.id)}`,
        before: { reviewStatus: 'flagged', review: null },
        after: expect.objectContaining({ reviewStatus: 'rejected' }),
        reason: 'Every answer the same',
      }),
    ]);
    // Ho Chi Minh City's supervisor reads only their province's entries: the quota target set there.
    const theirs = await system.http().get(`/api/v1/rounds/${roundId}/audit-log`).set('Authorization', `Bearer ${hcmc.token}`).expect(200);
    expect((theirs.body.entries as Array<{ action: string; provinceCode: string }>).map((e) => [e.action, e.provinceCode])).toEqual([['quota.set', '79']]);

    await system.http().post(`/api/v1/rounds/${roundId}/responses/${String(tooFast.id)}/review`).set('Authorization', `Bearer ${admin}`).send({ decision: 'approved', reason: 'Short interview, confirmed by phone', expectedStatus: 'flagged' }).expect(200);
    await system.drain();
    const afterApprove = await overall();
    expect(afterApprove.responses).toBe(121);
    expect(afterApprove.review).toMatchObject({ awaitingReview: 0, rejected: 1, awaitingReviewByProvince: {} });
    expect(afterApprove.rows.find((r) => r.group === '01')).toMatchObject({ n: 61 });
    const report = await progress(hanoi.token);
    expect(report.totals).toMatchObject({ accepted: 61, awaitingReview: 0, rejected: 1 });
    expect(report.cells.find((c) => c.servingLevel === 2)).toMatchObject({ flagged: 2, rejected: 1 });
  });

  test('when a province area is uploaded, then a location far outside it is flagged out of area', async () => {
    await system.http().put('/api/v1/province-areas/63').set('Authorization', `Bearer ${admin}`).send({ areas: [{ provinceCode: '79', minLat: 11, minLon: 107, maxLat: 10, maxLon: 108 }] }).expect(400);
    await system.http().put('/api/v1/province-areas/63').set('Authorization', `Bearer ${hanoi.token}`).send({ areas: [{ provinceCode: '79', minLat: 10.3, minLon: 106.3, maxLat: 11.2, maxLon: 107.1 }] }).expect(403);
    await system.http().put('/api/v1/province-areas/63').set('Authorization', `Bearer ${admin}`).send({ areas: [{ provinceCode: '79', minLat: 10.3, minLon: 106.3, maxLat: 11.2, maxLon: 107.1 }] }).expect(200);
    const start = new Date('2024-11-01T02:00:00Z');
    const inHanoi = makeResponse(roundId, '79', makeAnswers(4), {
      paradata: { startedAt: start.toISOString(), endedAt: new Date(start.getTime() + 1_200_000).toISOString(), location: { lat: 21.03, lon: 105.85, accuracy: 20 } },
    });
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses: [inHanoi] }).expect(200);
    await system.drain();
    const opened = await system.http().get(`/api/v1/rounds/${roundId}/responses/${String(inHanoi.id)}`).set('Authorization', `Bearer ${hcmc.token}`).expect(200);
    expect(opened.body.qualityFlags).toEqual([expect.objectContaining({ rule: 'out-of-area' })]);
  });

  test('when two sample units share a phone, then the second response is flagged as a duplicate respondent; outcome codes give the response rate', async () => {
    const round = makeRound();
    const id = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const sample = [
      'unit_id,province_code,serving_level,service_field,respondent_type,name,phone',
      'HN-1,01,2,1,1,Nguyễn Văn An,0912 345 678',
      'HN-2,01,2,1,1,Nguyễn Văn An,+84 912 345 678',
      'HN-3,01,2,1,1,Trần Thị Bình,0912 000 003',
      'HN-4,01,2,1,1,Lê Văn Cường,0912 000 004',
    ].join('\n');
    await system.http().post(`/api/v1/rounds/${id}/sample`).set('Authorization', `Bearer ${hanoi.token}`).send({ csv: sample }).expect(200);
    const enumerator = await system.createUser('enumerator', ['01']);
    await system.http().post(`/api/v1/rounds/${id}/assignments`).set('Authorization', `Bearer ${hanoi.token}`).send({ enumerator: enumerator.username, unitIds: ['HN-1', 'HN-2', 'HN-3', 'HN-4'] }).expect(200);
    const first = makeResponse(id, '01', makeAnswers(4), { sampleUnitId: 'HN-1' });
    const second = makeResponse(id, '01', makeAnswers(4), { sampleUnitId: 'HN-2' });
    for (const response of [first, second]) {
      await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator.token}`).send({ responses: [response] }).expect(200);
      await system.drain();
    }
    await system.http().put(`/api/v1/me/assignments/${id}/HN-3/status`).set('Authorization', `Bearer ${enumerator.token}`).send({ status: 'refused', at: '2024-09-02T03:00:00Z' }).expect(200);

    const queue = await system.http().get(`/api/v1/rounds/${id}/review`).set('Authorization', `Bearer ${hanoi.token}`).expect(200);
    expect(queue.body.responses).toEqual([
      expect.objectContaining({ id: second.id, qualityFlags: [expect.objectContaining({ rule: 'duplicate-respondent', evidence: { by: 'phone', otherResponseIds: [first.id] } })] }),
    ]);
    const report = (await system.http().get(`/api/v1/rounds/${id}/quota-progress`).set('Authorization', `Bearer ${hanoi.token}`).expect(200)).body as Progress & {
      cells: Array<{ responseRate: number | null }>;
    };
    // Two units completed, one refused, one not yet visited: 2 of 3 final outcomes.
    expect(report.cells).toEqual([expect.objectContaining({ provinceCode: '01', accepted: 1, awaitingReview: 1, responseRate: 0.6667 })]);
  });

  test('when responses were stored before quality review existed, then the sweep checks them and they count', async () => {
    const round = makeRound();
    const id = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const legacy = makeResponse(id, '01', makeAnswers(4)) as { id: string; paradata: Record<string, unknown>; answers: Record<string, unknown> };
    await collection(system, 'responses').insertOne({
      _id: legacy.id,
      roundId: id,
      formId: 'sipas-2017',
      formVersion: '1',
      provinceCode: '01',
      answers: legacy.answers,
      paradata: legacy.paradata,
      sampleUnitId: null,
      contentHash: 'legacy',
      submittedBy: 'admin',
      storedAt: new Date(),
    });
    expect(await system.worker?.sweep()).toBeGreaterThan(0);
    await system.drain();
    const stored = await system.web.deps.repos.responses.findById(legacy.id);
    expect(stored).toMatchObject({ reviewStatus: 'clear', qualityFlags: [] });
    expect((await system.http().get(`/api/v1/rounds/${id}/aggregates`).set('Authorization', `Bearer ${admin}`).expect(200)).body).toMatchObject({ responses: 1 });
  });

  test('when interviews of one enumerator overlap beyond the tolerance, then both are flagged; touching ones within it are not', async () => {
    const round = makeRound();
    const id = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const enumerator = await system.createUser('enumerator', ['79']);
    const at = (minute: number) => new Date(Date.UTC(2024, 9, 7, 2, minute)).toISOString();
    const interview = (from: number, to: number) => makeResponse(id, '79', makeAnswers(4), { paradata: { startedAt: at(from), endedAt: at(to) } });
    const a = interview(0, 20);
    const b = interview(10, 30); // 10 minutes inside a
    const c = interview(31, 50); // starts after b ends
    const d = interview(49, 70); // one minute over c: within the 60-second tolerance
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator.token}`).send({ responses: [a, b] }).expect(200);
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator.token}`).send({ responses: [c, d] }).expect(200);
    await system.drain();
    const queue = await system.http().get(`/api/v1/rounds/${id}/review`).set('Authorization', `Bearer ${hcmc.token}`).expect(200);
    expect((queue.body.responses as Array<{ id: string; qualityFlags: Array<{ rule: string; evidence: unknown }> }>).map((r) => [r.id, r.qualityFlags.map((f) => f.evidence)]).sort()).toEqual(
      [
        [a.id, [{ overlaps: [{ responseId: b.id, overlapSeconds: 600 }] }]],
        [b.id, [{ overlaps: [{ responseId: a.id, overlapSeconds: 600 }] }]],
      ].sort(),
    );
  });
});

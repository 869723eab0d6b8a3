import { parse } from 'csv-parse/sync';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { describeWithMongo, startTestSystem, type TestSystem } from '../support/system';
import { computeFigures, loadRoundMethod, recomputeProvinces, recomputeRound } from '../../server/modules/aggregates/aggregation.service';
import type { RecomputeProgress } from '../../server/jobs/job-contract';

type Row = Record<string, unknown> & { group: string; value: number | null };
interface Reply {
  rows: Row[];
  [key: string]: unknown;
}

describeWithMongo('index figures through the API', () => {
  let system: TestSystem;
  let admin: string;
  let analyst: string;
  let enumerator: string;
  let previousId: string;
  let roundId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login('admin', 'admin-password-1');
    analyst = await system.userToken('analyst');
    enumerator = await system.userToken('enumerator', ['01', '31', '79']);

    const previous = makeRound({ year: 2023, fieldworkStart: '2023-08-01', fieldworkEnd: '2023-12-15' });
    previousId = String(previous.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(previous).expect(201);
    const round = makeRound({ previousRoundId: previousId });
    roundId = String(round.id);
    const created = await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    expect(created.body).toMatchObject({ indexDefinitionId: 'sipas-2017', indexDefinitionVersion: '1', previousRoundId: previousId });

    // 2023: Hà Nội 100 (two all-5), Hải Phòng 100, TP HCM 0: ranks 1, 1, 3.
    // 2024: Hà Nội 50 (one all-5, one all-2, the second at provincial level), TP HCM 100; Hải Phòng none.
    await submit([
      makeResponse(previousId, '01', makeAnswers(5)),
      makeResponse(previousId, '01', makeAnswers(5)),
      makeResponse(previousId, '31', makeAnswers(4)),
      makeResponse(previousId, '79', makeAnswers(2)),
      makeResponse(roundId, '01', makeAnswers(5)),
      makeResponse(roundId, '01', makeAnswers(2, { serving_level: 1 })),
      makeResponse(roundId, '79', makeAnswers(4, { respondent_type: 2, service_field: 3 })),
    ]);
    await system.drain();
  });
  afterAll(() => system?.stop());

  async function submit(responses: unknown[]): Promise<void> {
    const res = await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator}`).send({ responses }).expect(200);
    expect((res.body as { results: Array<{ status: string }> }).results.map((r) => r.status)).toEqual(responses.map(() => 'accepted'));
  }
  async function figures(query: string, id = roundId): Promise<Reply> {
    const res = await system.http().get(`/api/v1/rounds/${id}/aggregates?${query}`).set('Authorization', `Bearer ${analyst}`).expect(200);
    return res.body as Reply;
  }
  const row = (reply: Reply, group: string): Row | undefined => reply.rows.find((r) => r.group === group);

  test('when all fields are asked for, then rows carry interval, rank, reliability and the change against the previous round', async () => {
    const reply = await figures('by=province&fields=all');
    expect(reply).toMatchObject({
      indicator: 'overall',
      indicatorLevel: 'overall',
      estimate: 'index',
      definitionId: 'sipas-2017',
      definitionVersion: '1',
      minimumN: 30,
      boundaryEdition: 63,
      roundBoundaryEdition: 63,
      responses: 3,
      comparison: { previousRoundId: previousId, comparable: true, reason: null },
      summary: { provinces: 2, median: 75, min: { value: 50, groups: ['01'] }, max: { value: 100, groups: ['79'] } },
    });
    expect(row(reply, '79')).toEqual({
      group: '79',
      label: 'Hồ Chí Minh',
      n: 1,
      value: 100,
      estimate: 'province-index',
      low: 20.65,
      high: 100,
      effectiveN: null,
      provinces: null,
      reliable: false,
      rank: 1,
      previousValue: 0,
      previousRank: 3,
      changePoints: 100,
      changePlaces: 2,
      changeText: 'tăng 2 bậc',
      suppressed: false,
    });
    expect(row(reply, '01')).toMatchObject({ value: 50, rank: 2, previousValue: 100, previousRank: 1, changePoints: -50, changePlaces: -1, changeText: 'giảm 1 bậc' });
    // Hải Phòng answered in 2023 only: no value now, so no change.
    expect(row(reply, '31')).toMatchObject({ n: 0, value: null, rank: null, previousValue: 100, changePoints: null, changePlaces: null });
  });

  test('when rows are grouped by unit type, region, level, field and respondent type, then each is the mean of provinces', async () => {
    expect((await figures('by=unit-type&fields=group,label,n,value')).rows[0]).toEqual({ group: 'special-class-city', label: 'Thành phố trực thuộc trung ương loại đặc biệt', n: 3, value: 75 });
    expect(row(await figures('by=region'), 'red-river-delta')).toMatchObject({ label: 'Đồng bằng sông Hồng', n: 2, value: 50 });
    // Level 1: Hà Nội's all-2 response (0). Level 2: Hà Nội's all-5 (100) and TP HCM (100).
    expect((await figures('by=level&fields=group,label,n,value')).rows).toEqual([
      { group: '1', label: 'Cấp tỉnh', n: 1, value: 0 },
      { group: '2', label: 'Cấp huyện', n: 2, value: 100 },
      { group: '3', label: 'Cấp xã', n: 0, value: null },
    ]);
    expect(row(await figures('by=field&fields=group,label,n,value'), '3')).toEqual({ group: '3', label: 'Lái xe', n: 1, value: 100 });
    expect((await figures('by=respondent-type&fields=group,label,n,value')).rows).toEqual([
      { group: '1', label: 'Người dân', n: 2, value: 50 },
      { group: '2', label: 'Tổ chức', n: 1, value: 100 },
    ]);
    expect((await figures('by=national&fields=group,value,provinces,estimate')).rows).toEqual([
      { group: 'national', value: 75, provinces: 2, estimate: 'mean-of-provinces' },
    ]);
  });

  test('when an element or a criterion is asked for, then its figures come back with its label', async () => {
    const element = await figures('indicator=e3');
    expect(element).toMatchObject({ indicator: 'e3', indicatorLevel: 'element', indicatorLabel: { vi: 'Công chức trực tiếp giải quyết công việc' } });
    expect(row(element, '01')).toMatchObject({ value: 50 });
    const feedback = await figures('indicator=c19&fields=group,n,value');
    // Nobody gave feedback, so criterion 19 has no valid answer anywhere.
    expect(feedback.rows.filter((r) => r.n !== 0)).toEqual([]);
  });

  test('when the pooled estimate is asked for, then it states so and carries Wilson intervals', async () => {
    const reply = await figures('by=unit-type&estimate=pooled&fields=group,n,value,low,high,estimate');
    expect(reply.estimateBasis).toMatchObject({ en: expect.stringContaining('Wilson') as string });
    // Pooled over the three respondents: (1 + 0 + 1) / 3.
    expect(reply.rows[0]).toEqual({ group: 'special-class-city', n: 3, value: 66.67, low: 20.77, high: 93.85, estimate: 'pooled' });
  });

  test('when the round is shown on the 34 units, then merged provinces carry their old units\' responses', async () => {
    const reply = await figures('edition=34&fields=group,label,n,value,changePoints');
    expect(reply.rows).toHaveLength(34);
    expect(reply).toMatchObject({ boundaryEdition: 34, roundBoundaryEdition: 63 });
    expect(row(reply, '79')).toEqual({ group: '79', label: 'Hồ Chí Minh', n: 1, value: 100, changePoints: 100 });
  });

  test('when a parameter does not fit the round, then a 400 names the field and the reason', async () => {
    const get = (query: string, id = roundId) => system.http().get(`/api/v1/rounds/${id}/aggregates?${query}`).set('Authorization', `Bearer ${analyst}`);
    const unknownIndicator = await get('indicator=e9').expect(400);
    expect(unknownIndicator.body.error.details).toEqual([expect.objectContaining({ path: '/query/indicator', message: expect.stringContaining('is not an indicator of index definition sipas-2017') as string })]);
    const weighted = await get('estimate=weighted').expect(400);
    expect(weighted.body.error.details).toEqual([expect.objectContaining({ path: '/query/estimate', message: expect.stringContaining('carries a weight') as string })]);
    const fields = await get('fields=group,colour').expect(400);
    expect(fields.body.error.details).toEqual([expect.objectContaining({ path: '/query/fields', message: expect.stringContaining('colour') as string })]);
    await get('by=district').expect(400);
    await get('edition=35').expect(400);

    const on34 = makeRound({ year: 2025, fieldworkStart: '2025-08-01', fieldworkEnd: '2025-12-15', boundaryEdition: 34 });
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(on34).expect(201);
    const edition = await get('edition=63', String(on34.id)).expect(400);
    expect(edition.body.error.details).toEqual([expect.objectContaining({ path: '/query/edition' })]);
    // No response yet: every province listed, none with a value.
    const empty = await figures('', String(on34.id));
    expect(empty.rows).toHaveLength(34);
    expect(empty).toMatchObject({ computedAt: null, responses: 0, summary: null });
  });

  test('when figures are asked for as CSV with chosen fields, then those are the columns, with two decimals', async () => {
    const res = await system
      .http()
      .get(`/api/v1/rounds/${roundId}/aggregates?fields=group,label,value,low,high,reliable,rank,changePlaces,changeText&format=csv`)
      .set('Authorization', `Bearer ${analyst}`)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const rows = parse<Record<string, string>>((res.body as Buffer).toString('utf8'), { columns: true, bom: true });
    expect(rows.find((r) => r.group === '79')).toEqual({
      group: '79',
      label: 'Hồ Chí Minh',
      value: '100.00',
      low: '20.65',
      high: '100.00',
      reliable: 'false',
      rank: '1',
      changePlaces: '2',
      changeText: 'tăng 2 bậc',
    });
    expect(res.headers['content-disposition']).toContain(`${roundId}-overall-index-province-63.csv`);
  });

  test('when a full recompute is asked for, then a job reports its progress in cells and asking again gives the same job', async () => {
    const first = await system.http().post(`/api/v1/rounds/${roundId}/recompute`).set('Authorization', `Bearer ${analyst}`).expect(202);
    const { jobId, statusUrl } = first.body as { jobId: string; statusUrl: string };
    expect(jobId).toMatch(/^recompute-round\.[a-z0-9-]+\.[0-9a-f]{24}$/);
    let job: { state: string; progress: unknown; result: unknown } | undefined;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      job = (await system.http().get(statusUrl).set('Authorization', `Bearer ${admin}`).expect(200)).body as typeof job;
      if (job?.state === 'completed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // Three responses in three cells: Hà Nội at district and provincial level, TP HCM as an organisation.
    expect(job).toMatchObject({
      state: 'completed',
      progress: { phase: 'done', cellsDone: 3, cellsTotal: 3, provincesDone: 63, provincesTotal: 63 },
      result: { status: 'recomputed', cellsTallied: 3, responses: 3, aggregateWritten: true },
    });
    const again = await system.http().post(`/api/v1/rounds/${roundId}/recompute`).set('Authorization', `Bearer ${admin}`).expect(202);
    expect(again.body).toMatchObject({ jobId, state: 'completed' });
    expect(row(await figures('by=province'), '01')).toMatchObject({ value: 50 });

    await system.http().get('/api/v1/jobs/recompute-round.no-such-round.000000000000000000000000').set('Authorization', `Bearer ${admin}`).expect(404);
    await system.http().get('/api/v1/jobs/not:a-job').set('Authorization', `Bearer ${admin}`).expect(400);
    await system.http().post(`/api/v1/rounds/${roundId}/recompute`).set('Authorization', `Bearer ${enumerator}`).expect(403);
    await system.http().post('/api/v1/rounds/no-such-round/recompute').set('Authorization', `Bearer ${admin}`).expect(404);
  });

  test('when a full recompute runs, then it reports every phase and its cells grow to the total, province by province', async () => {
    const deps = system.web.deps;
    const progress: RecomputeProgress[] = [];
    const outcome = await recomputeRound(
      { rounds: deps.repos.rounds, tallyFeed: deps.repos.tallyFeed, tallies: deps.repos.tallies, aggregates: deps.repos.aggregates, forms: deps.forms, definitions: deps.definitions, provinces: deps.provinces },
      { roundId, requestedBy: 'test' },
      (p) => {
        progress.push(p);
        return Promise.resolve();
      },
    );
    expect(outcome).toMatchObject({ provincesTallied: 63, cellsTallied: 3 });
    expect(progress.map((p) => p.phase)).toEqual(['counting', 'tallying', ...Array(63).fill('tallying'), 'computing', 'done']);
    expect(progress.map((p) => p.provincesDone)).toEqual([0, 0, ...Array.from({ length: 63 }, (_, i) => i + 1), 63, 63]);
    // Hà Nội (01) holds two cells, TP HCM (79) one: done climbs 2 then 3, never past the total.
    expect([...new Set(progress.slice(1).map((p) => p.cellsDone))]).toEqual([0, 2, 3]);
    expect(progress.every((p) => p.cellsDone <= p.cellsTotal || p.phase === 'counting')).toBe(true);
  });

  test('when provinces are re-tallied, then the figures are asked for, not computed there; a figure computation then counts them', async () => {
    const deps = system.web.deps;
    const base = { rounds: deps.repos.rounds, tallyFeed: deps.repos.tallyFeed, tallies: deps.repos.tallies, aggregates: deps.repos.aggregates, forms: deps.forms, definitions: deps.definitions, provinces: deps.provinces };
    const computedAt = async () => (await deps.repos.aggregates.findIndicatorFigures(roundId, 63, 'overall'))?.computedAt.getTime();
    const before = await computedAt();
    expect(await recomputeProvinces(base, { roundId, provinceCodes: ['01'], reason: 'manual' })).toEqual({ status: 'tallied', provincesTallied: 1 });
    expect(await computedAt()).toBe(before);
    expect(await computeFigures(base, await loadRoundMethod(base, roundId))).toEqual({ responses: 3, written: true });
    expect(row(await figures('by=province'), '01')).toMatchObject({ value: 50 });
  });

  test('when responses carry design weights, then the weighted estimate is offered with Kish effective n', async () => {
    const weightedRound = makeRound();
    const id = String(weightedRound.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(weightedRound).expect(201);
    await submit([
      makeResponse(id, '01', makeAnswers(5), { weight: 3 }),
      makeResponse(id, '01', makeAnswers(2), { weight: 1 }),
    ]);
    await system.drain();
    const reply = await figures('estimate=weighted&fields=group,n,value,effectiveN,reliable,estimate', id);
    // (3·1 + 1·0) / 4 = 75%; n_eff = 4² / (9 + 1) = 1.6.
    expect(row(reply, '01')).toEqual({ group: '01', n: 2, value: 75, effectiveN: 1.6, reliable: false, estimate: 'weighted' });
    expect(reply).toMatchObject({ weightedResponses: 2 });
    const bad = await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator}`).send({ responses: [makeResponse(id, '01', makeAnswers(4), { weight: 0 })] }).expect(200);
    expect(bad.body.results[0]).toMatchObject({ status: 'invalid', errors: [expect.objectContaining({ path: '/weight' })] });
  });
});

describeWithMongo('rounds, index definitions and previous rounds', () => {
  let system: TestSystem;
  let admin: string;
  beforeAll(async () => {
    system = await startTestSystem({ worker: false });
    admin = await system.login('admin', 'admin-password-1');
  });
  afterAll(() => system?.stop());

  test('when index definitions are listed, then both methods are served like questionnaires', async () => {
    const list = await system.http().get('/api/v1/index-definitions').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(list.body.indexDefinitions).toEqual([
      expect.objectContaining({ definitionId: 'sipas-2017', version: '1', status: 'published', indicators: 28, minimumN: 30, appliesTo: [{ formId: 'sipas-2017', versions: ['1'] }] }),
      expect.objectContaining({ definitionId: 'sipas-2022', version: '1', status: 'published', indicators: 54, decision: 'Quyết định 1001/QĐ-BNV (11/12/2023)' }),
    ]);
    const one = await system.http().get('/api/v1/index-definitions/sipas-2022/1').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(one.headers['cache-control']).toContain('immutable');
    expect(one.body).toMatchObject({ definitionId: 'sipas-2022', scoring: { satisfiedCodes: [4, 5] }, reliability: { minimumN: 30 } });
    await system.http().get('/api/v1/index-definitions/sipas-2022/9').set('Authorization', `Bearer ${admin}`).expect(404);
  });

  test('when a round names a definition or a previous round that does not fit, then a 400 says which and why', async () => {
    const post = (body: Record<string, unknown>) => system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(makeRound(body));
    const wrongMethod = await post({ indexDefinitionId: 'sipas-2022', indexDefinitionVersion: '1' }).expect(400);
    expect(wrongMethod.body.error.details).toEqual([expect.objectContaining({ path: '/body/indexDefinitionId', message: expect.stringContaining('does not score questionnaire sipas-2017') as string })]);
    const half = await post({ indexDefinitionId: 'sipas-2017' }).expect(400);
    expect(half.body.error.details).toEqual([expect.objectContaining({ path: '/body/indexDefinitionVersion' })]);
    const unknownPrevious = await post({ previousRoundId: 'no-such-round' }).expect(400);
    expect(unknownPrevious.body.error.details).toEqual([expect.objectContaining({ path: '/body/previousRoundId', message: 'round no-such-round does not exist' })]);

    const earlier = makeRound({ year: 2022 });
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(earlier).expect(201);
    const later = makeRound({ year: 2023, previousRoundId: earlier.id });
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(later).expect(201);
    const backwards = await system.http().patch(`/api/v1/rounds/${String(earlier.id)}`).set('Authorization', `Bearer ${admin}`).send({ previousRoundId: later.id }).expect(400);
    expect(backwards.body.error.details).toEqual([expect.objectContaining({ path: '/body/previousRoundId', message: expect.stringContaining('must be of a year before 2022') as string })]);
    const cleared = await system.http().patch(`/api/v1/rounds/${String(later.id)}`).set('Authorization', `Bearer ${admin}`).send({ previousRoundId: null }).expect(200);
    expect(cleared.body.previousRoundId).toBeNull();
  });
});

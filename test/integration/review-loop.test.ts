import { randomUUID } from 'node:crypto';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

describeWithMongo('the review loop: returned to the enumerator with comments, corrected, resent, counted once', () => {
  let system: TestSystem;
  let admin: string;
  let roundId: string;
  let supervisor: { username: string; token: string };
  let enumerator: { username: string; token: string };
  let other: { username: string; token: string };
  let returnedId: string;
  let correctionId: string;

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const counted = async () => {
    const table = await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=province&fields=group,n`).set(bearer(admin)).expect(200);
    return table.body as { responses: number; review: { rejected: number }; rows: Array<{ group: string; n: number }> };
  };

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set(bearer(admin)).send(round).expect(201);
    supervisor = await system.createUser('supervisor', ['01']);
    enumerator = await system.createUser('enumerator', ['01']);
    other = await system.createUser('enumerator', ['01']);
    const csv = 'unit_id,province_code,serving_level,service_field,respondent_type,name\nRL-1,01,2,1,1,Nguyễn Văn An';
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set(bearer(admin)).send({ csv }).expect(200);
    await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set(bearer(admin)).send({ enumerator: enumerator.username, unitIds: ['RL-1'] }).expect(200);
  });
  afterAll(() => system?.stop());

  test('when a flagged response is returned with a comment per item, then it leaves the figures, its unit reopens and the enumerator sees it', async () => {
    const start = new Date(Date.UTC(2024, 8, 2, 2, 0));
    const tooFast = makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'RL-1', paradata: { startedAt: start.toISOString(), endedAt: new Date(start.getTime() + 90_000).toISOString() } });
    returnedId = String(tooFast.id);
    await system.http().post('/api/v1/responses').set(bearer(enumerator.token)).send({ responses: [tooFast] }).expect(200);
    await system.drain();
    const decide = (body: Record<string, unknown>) => system.http().post(`/api/v1/rounds/${roundId}/responses/${returnedId}/review`).set(bearer(supervisor.token)).send(body);

    const noComment = await decide({ decision: 'returned', reason: 'Too fast', expectedStatus: 'flagged' }).expect(400);
    expect(noComment.body.error.details).toEqual([expect.objectContaining({ path: '/body/comments', code: 'required' })]);
    const badItem = await decide({ decision: 'returned', reason: 'Too fast', expectedStatus: 'flagged', comments: [{ item: 'nope', text: 'x' }] }).expect(400);
    expect(badItem.body.error.details).toEqual([expect.objectContaining({ path: '/body/comments/0/item', code: 'unknown_item' })]);

    const done = await decide({
      decision: 'returned',
      reason: 'Interview far too short',
      expectedStatus: 'flagged',
      comments: [{ item: 'c01_s', text: 'Hỏi lại mức độ hài lòng về chỗ ngồi chờ' }],
    }).expect(200);
    expect(done.body).toMatchObject({ reviewStatus: 'returned', review: { decision: 'returned', comments: [{ item: 'c01_s', text: 'Hỏi lại mức độ hài lòng về chỗ ngồi chờ' }] } });
    await system.drain();
    expect((await counted()).responses).toBe(0);
    expect(await collection(system, 'sample_units').findOne({ _id: `${roundId}|RL-1` })).toMatchObject({ status: 'in-progress', responseId: null, assignedTo: enumerator.username });

    const mine = await system.http().get('/api/v1/me/returned').set(bearer(enumerator.token)).expect(200);
    expect(mine.body.returned).toEqual([
      expect.objectContaining({ id: returnedId, sampleUnitId: 'RL-1', reason: 'Interview far too short', returnedBy: supervisor.username, comments: [{ item: 'c01_s', text: 'Hỏi lại mức độ hài lòng về chỗ ngồi chờ' }] }),
    ]);
    expect((await system.http().get('/api/v1/me/returned').set(bearer(other.token)).expect(200)).body.returned).toEqual([]);
  });

  test('when the enumerator resends a correction naming the returned response, then it is checked again and counted once; nobody else can correct it', async () => {
    const stranger = makeResponse(roundId, '01', makeAnswers(4), { correctsResponseId: returnedId });
    const refused = await system.http().post('/api/v1/responses').set(bearer(other.token)).send({ responses: [stranger] }).expect(200);
    expect(refused.body.results[0]).toMatchObject({ status: 'invalid', errors: [expect.objectContaining({ path: '/correctsResponseId', code: 'not_returned' })] });

    const correction = makeResponse(roundId, '01', makeAnswers(5), { sampleUnitId: 'RL-1', correctsResponseId: returnedId });
    correctionId = String(correction.id);
    const sent = await system.http().post('/api/v1/responses').set(bearer(enumerator.token)).send({ responses: [correction] }).expect(200);
    expect(sent.body.results).toEqual([{ id: correctionId, status: 'accepted' }]);
    // The same correction again (a lost reply): acknowledged, nothing twice.
    const again = await system.http().post('/api/v1/responses').set(bearer(enumerator.token)).send({ responses: [correction] }).expect(200);
    expect(again.body.results).toEqual([{ id: correctionId, status: 'duplicate' }]);
    const second = makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'RL-1', correctsResponseId: returnedId, id: randomUUID() });
    const twice = await system.http().post('/api/v1/responses').set(bearer(enumerator.token)).send({ responses: [second] }).expect(200);
    expect(twice.body.results[0].status).toBe('invalid');
    expect((twice.body.results[0].errors as Array<{ code: string }>).map((e) => e.code)).toContain('already_corrected');

    await system.drain();
    const stored = await collection(system, 'responses').findOne({ _id: correctionId });
    expect(stored).toMatchObject({ reviewStatus: 'clear', correctsResponseId: returnedId });
    expect(await collection(system, 'responses').findOne({ _id: returnedId })).toMatchObject({ reviewStatus: 'returned', correctedByResponseId: correctionId });
    const figures = await counted();
    expect(figures.responses).toBe(1);
    expect(figures.rows.find((r) => r.group === '01')?.n).toBe(1);
    expect(await collection(system, 'sample_units').findOne({ _id: `${roundId}|RL-1` })).toMatchObject({ status: 'completed', responseId: correctionId });
    expect((await system.http().get('/api/v1/me/returned').set(bearer(enumerator.token)).expect(200)).body.returned).toEqual([]);
  });

  test('when the audit log of the returned response is read, then it holds both ends of the loop', async () => {
    const log = await system.http().get(`/api/v1/rounds/${roundId}/audit-log?responseId=${returnedId}`).set(bearer(supervisor.token)).expect(200);
    expect((log.body.entries as Array<{ action: string; actor: string }>).map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['response.correction-received', enumerator.username],
      ['response.returned', supervisor.username],
    ]);
    expect(log.body.entries[0].after).toEqual({ correctedByResponseId: correctionId });
    expect(log.body.entries[1].after).toMatchObject({ reviewStatus: 'returned', review: { comments: [{ item: 'c01_s' }] } });
  });
});

import { parse } from 'csv-parse/sync';
import { FORM, makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

interface Result {
  id: string | null;
  status: string;
  errors?: Array<{ path: string; message: string }>;
}
interface Row {
  group: string;
  label: string;
  n: number;
  value: number | null;
}

describeWithMongo('a response travels from enumerator to analyst', () => {
  let system: TestSystem;
  let admin: string;
  let enumerator: string;
  let analyst: string;
  let roundId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login('admin', 'admin-password-1');
    enumerator = await system.userToken('enumerator', ['01', '31', '79']);
    analyst = await system.userToken('analyst');
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
  });
  afterAll(() => system?.stop());

  const submit = async (responses: unknown[], token = enumerator): Promise<Result[]> => {
    const res = await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${token}`).send({ responses }).expect(200);
    return (res.body as { results: Result[] }).results;
  };
  const aggregates = async (by: string): Promise<Row[]> => {
    const res = await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=${by}&fields=group,label,n,value`).set('Authorization', `Bearer ${analyst}`).expect(200);
    return (res.body as { rows: Row[] }).rows;
  };
  const storedCount = (): Promise<number> => system.web.deps.repos.responses.countByRound(roundId);

  // Hà Nội: one response all "rất hài lòng" (5), one all "không hài lòng" (2): 19 of 38 valid answers
  // are positive, 50%. TP HCM: one response all "hài lòng" (4): 100%. Both are special-class cities:
  // their unit type's figure is the mean of the two, 75%.
  const batch = [
    makeResponse('', '01', makeAnswers(5)),
    makeResponse('', '01', makeAnswers(2)),
    makeResponse('', '79', makeAnswers(4)),
  ];

  test('when three responses for two provinces are submitted, then the exact percentages come back', async () => {
    for (const r of batch) r.roundId = roundId;
    const results = await submit(batch);
    expect(results).toEqual(batch.map((r) => ({ id: r.id, status: 'accepted' })));
    await system.drain();

    const provinces = await aggregates('province');
    expect(provinces).toHaveLength(63);
    expect(provinces.filter((r) => r.n > 0)).toEqual([
      { group: '01', label: 'Hà Nội', n: 2, value: 50 },
      { group: '79', label: 'Hồ Chí Minh', n: 1, value: 100 },
    ]);
    expect(await aggregates('unit-type')).toEqual([
      { group: 'special-class-city', label: 'Thành phố trực thuộc trung ương loại đặc biệt', n: 3, value: 75 },
      { group: 'other-centrally-run-city', label: 'Thành phố trực thuộc trung ương khác', n: 0, value: null },
      { group: 'province', label: 'Tỉnh', n: 0, value: null },
    ]);
  });

  test('when the same batch is sent again, then every item is a duplicate and the figures do not move', async () => {
    const before = await aggregates('province');
    const results = await submit(batch);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    await system.drain();
    expect(await storedCount()).toBe(3);
    expect(await aggregates('province')).toEqual(before);
  });

  test('when an id is re-sent with a changed answer, then it is a conflict and the stored answer stays', async () => {
    const changed = { ...batch[0], answers: makeAnswers(1) };
    const [result] = await submit([changed]);
    expect(result).toMatchObject({ id: batch[0]?.id, status: 'conflict' });
    const stored = await collection(system, 'responses').findOne({ _id: String(batch[0]?.id) });
    expect((stored?.answers as Record<string, unknown>).c01_s).toBe(5);
  });

  test('when an answer is 7 on a 1–5 item, then the item is invalid with its path and nothing is stored', async () => {
    const bad = makeResponse(roundId, '01', makeAnswers(4, { c03_s: 7 }));
    const [result] = await submit([bad]);
    expect(result?.status).toBe('invalid');
    expect(result?.errors).toEqual([expect.objectContaining({ path: '/answers/c03_s', message: 'must be one of 1, 2, 3, 4, 5, 9' })]);
    expect(await storedCount()).toBe(3);
  });

  test('when a batch mixes valid and invalid items, then exactly the valid ones are stored', async () => {
    const good1 = makeResponse(roundId, '31', makeAnswers(4));
    const wrongProvince = makeResponse(roundId, '99', makeAnswers(4));
    const good2 = makeResponse(roundId, '31', makeAnswers(2));
    const notAnObject = 'hello';
    const missingAnswer = makeResponse(roundId, '31', makeAnswers(4, { c01_s: undefined }));
    const results = await submit([good1, wrongProvince, good2, notAnObject, missingAnswer]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'invalid', 'accepted', 'invalid', 'invalid']);
    expect(results[1]?.errors).toEqual([expect.objectContaining({ path: '/provinceCode' })]);
    expect(results[4]?.errors).toEqual([expect.objectContaining({ path: '/answers/c01_s', message: 'is required' })]);
    expect(await storedCount()).toBe(5);
    await system.drain();
    const haiPhong = (await aggregates('province')).find((r) => r.group === '31');
    expect(haiPhong).toMatchObject({ n: 2, value: 50 });
  });

  test('when the round is closed, then new responses are invalid but a re-send is still acknowledged', async () => {
    const round = await system.http().get(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(round.body).toMatchObject({ id: roundId, status: 'open', formId: FORM.formId });
    await system.http().patch(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).send({ status: 'closed' }).expect(200);
    const late = makeResponse(roundId, '01');
    const results = await submit([batch[1], late]);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'invalid']);
    expect(results[1]?.errors).toEqual([expect.objectContaining({ path: '/roundId', message: `round ${roundId} is closed` })]);
    await system.http().patch(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).send({ status: 'open' }).expect(200);
  });

  test('when a response names an unknown round, then it is invalid', async () => {
    const [result] = await submit([makeResponse('no-such-round', '01')]);
    expect(result).toMatchObject({ status: 'invalid', errors: [expect.objectContaining({ path: '/roundId' })] });
  });

  test('when figures are asked for as CSV, then it is UTF-8 with a byte-order mark and the JSON columns', async () => {
    const res = await system
      .http()
      .get(`/api/v1/rounds/${roundId}/aggregates?by=province&fields=group,label,n,value&format=csv`)
      .set('Authorization', `Bearer ${analyst}`)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse<Record<string, string>>(bytes.toString('utf8'), { columns: true, bom: true });
    expect(Object.keys(rows[0] ?? {})).toEqual(['group', 'label', 'n', 'value']);
    expect(rows.find((r) => r.group === '01')).toEqual({ group: '01', label: 'Hà Nội', n: '2', value: '50.00' });
  });

  test('when a request has no token, then it is refused with 401', async () => {
    const res = await system.http().post('/api/v1/responses').send({ responses: [batch[0]] }).expect(401);
    expect(res.body).toMatchObject({ error: { code: 'unauthenticated' } });
    await system.http().get(`/api/v1/rounds/${roundId}/aggregates`).expect(401);
    await system.http().get('/api/v1/forms').set('Authorization', 'Bearer not-a-token').expect(401);
  });

  test('when an enumerator asks for the figures, then it is refused with 403', async () => {
    await system.http().get(`/api/v1/rounds/${roundId}/aggregates`).set('Authorization', `Bearer ${enumerator}`).expect(403);
  });
});

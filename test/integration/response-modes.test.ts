import { parse } from 'csv-parse/sync';
import { serialFor } from '../../survey-forms/serial';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

interface Result {
  id: string | null;
  status: string;
  errors?: Array<{ path: string; code: string }>;
}

describeWithMongo('responses carry their mode; rounds say which modes they take', () => {
  let system: TestSystem;
  let admin: string;
  let analyst: string;
  let keyer: { username: string; token: string };
  let roundId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login('admin', 'admin-password-1');
    analyst = await system.userToken('analyst');
    keyer = await system.createUser('enumerator', ['01']);
    const round = makeRound();
    roundId = String(round.id);
    const created = await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    expect(created.body).toMatchObject({ modes: ['capi'], doubleEntryShare: 0 });
    const csv = ['unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure', 'HN-1,01,1,1,1,Nguyễn Văn An,,,', 'HN-2,01,1,1,1,Trần Thị Bình,,,'].join('\n');
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv }).expect(200);
    await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set('Authorization', `Bearer ${admin}`).send({ enumerator: keyer.username, unitIds: ['HN-1', 'HN-2'] }).expect(200);
  });
  afterAll(() => system?.stop());

  const submit = async (responses: unknown[]): Promise<Result[]> =>
    ((await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${keyer.token}`).send({ responses }).expect(200)).body as { results: Result[] }).results;
  const keyed = (unitId: string, overrides: Record<string, unknown> = {}) =>
    makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: unitId, mode: 'papi', serial: serialFor(roundId, unitId), ...overrides });

  test('when a round takes interviews only, then a keyed form is invalid with mode_not_allowed and nothing is stored', async () => {
    const [result] = await submit([keyed('HN-1')]);
    expect(result).toMatchObject({ status: 'invalid', errors: [{ path: '/mode', code: 'mode_not_allowed' }] });
    expect(await collection(system, 'responses').countDocuments({ roundId })).toBe(0);
  });

  test('when the round allows paper, then a keyed form with its serial is stored with mode and serial; a response without mode is capi', async () => {
    const patched = await system.http().patch(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).send({ modes: ['capi', 'papi'], doubleEntryShare: 25 }).expect(200);
    expect(patched.body).toMatchObject({ modes: ['capi', 'papi'], doubleEntryShare: 25 });
    const paper = keyed('HN-1');
    const interview = makeResponse(roundId, '01', makeAnswers(5));
    expect((await submit([paper, interview])).map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const stored = await collection(system, 'responses').find({ roundId }).toArray();
    expect(stored.find((d) => d._id === paper.id)).toMatchObject({ mode: 'papi', serial: serialFor(roundId, 'HN-1'), sampleUnitId: 'HN-1' });
    expect(stored.find((d) => d._id === interview.id)).toMatchObject({ mode: 'capi', serial: null });
    expect((await submit([paper])).map((r) => r.status)).toEqual(['duplicate']);
  });

  test('when a serial is missing, of another unit or mistyped, then the item is invalid with the catalogued code', async () => {
    const serial = serialFor(roundId, 'HN-2');
    const mistyped = `${serial.slice(0, -2)}${serial.endsWith('00') ? '01' : '00'}`;
    const results = await submit([keyed('HN-2', { serial: undefined }), keyed('HN-2', { serial: serialFor(roundId, 'HN-1') }), keyed('HN-2', { serial: mistyped }), keyed('HN-2', { mode: 'fax' })]);
    expect(results.map((r) => r.errors?.map((e) => `${e.path} ${e.code}`))).toEqual([['/serial required'], ['/serial wrong_serial'], ['/serial wrong_check_digit'], [expect.stringMatching(/^\/mode /)]]);
  });

  test('when a round is given bad modes or share, then it is a 400 naming the field', async () => {
    for (const body of [{ modes: [] }, { modes: ['capi', 'capi'] }, { modes: ['fax'] }, { doubleEntryShare: 101 }, { doubleEntryShare: -1 }]) {
      const res = await system.http().patch(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).send(body).expect(400);
      expect((res.body as { error: { code: string } }).error.code).toBe('validation_failed');
    }
  });

  test('when microdata is exported, then mode is a coded column', async () => {
    await system.drain();
    const requested = await system.http().post(`/api/v1/rounds/${roundId}/exports`).set('Authorization', `Bearer ${analyst}`).send({ kind: 'microdata', format: 'csv' }).expect(202);
    const id = (requested.body as { id: string }).id;
    let view: { state: string; downloadUrl: string | null } = { state: 'queued', downloadUrl: null };
    for (let i = 0; i < 200 && view.state !== 'ready'; i += 1) {
      await system.drain();
      view = (await system.http().get(`/api/v1/exports/${id}`).set('Authorization', `Bearer ${analyst}`).expect(200)).body as typeof view;
    }
    expect(view.state).toBe('ready');
    const file = await system.http().get(view.downloadUrl!).set('Authorization', `Bearer ${analyst}`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    const rows = parse<Record<string, string>>((file.body as Buffer).toString('utf8'), { bom: true, columns: true });
    expect(rows.map((r) => r.mode).sort()).toEqual(['capi', 'papi']);
    const codebook = (await system.http().get(`/api/v1/rounds/${roundId}/microdata/codebook`).set('Authorization', `Bearer ${analyst}`).expect(200)).body as { rows: Array<{ column: string; code: unknown }> };
    expect(codebook.rows.filter((r) => r.column === 'mode' && r.code !== null).map((r) => r.code)).toEqual(['capi', 'papi', 'cawi']);
  });
});

import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startWebServer } from '../../server/main';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

interface Problem {
  path: string;
  code: string;
  message: string;
}
interface UnitView {
  roundId: string;
  unitId: string;
  provinceCode: string;
  provinceName: string;
  status: string;
  statusNote: string | null;
  assignedTo: string | null;
  responseId: string | null;
  contact: { name: string; phone: string | null; address: string | null };
}

const HEADER = 'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure';

describeWithMongo('sample list and assignments', () => {
  let system: TestSystem;
  const logLines: string[] = [];
  let admin: string;
  let roundId: string;
  let supervisorHaNoi: string;
  let supervisorHue: string;
  let enumeratorA: { username: string; token: string };
  let enumeratorB: { username: string; token: string };

  beforeAll(async () => {
    // Everything the API logs, at the most talkative level: personal data must never be in it.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    system = await startTestSystem({ logger: pino({ level: 'trace' }, sink) });
    admin = await system.login('admin', 'admin-password-1');
    supervisorHaNoi = await system.userToken('supervisor', ['01']);
    supervisorHue = await system.userToken('supervisor', ['46']);
    enumeratorA = await system.createUser('enumerator', ['01']);
    enumeratorB = await system.createUser('enumerator', ['46']);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
  });
  afterAll(() => system?.stop());

  const importCsv = (csv: string, token = admin, query = '') =>
    system.http().post(`/api/v1/rounds/${roundId}/sample${query}`).set('Authorization', `Bearer ${token}`).send({ csv });
  const assign = (enumerator: string | null, unitIds: string[], token = admin) =>
    system.http().post(`/api/v1/rounds/${roundId}/assignments`).set('Authorization', `Bearer ${token}`).send({ enumerator, unitIds });
  const mine = async (token: string): Promise<UnitView[]> =>
    ((await system.http().get('/api/v1/me/assignments').set('Authorization', `Bearer ${token}`).expect(200)).body as { assignments: UnitView[] }).assignments;
  const unitsStored = () => collection(system, 'sample_units').countDocuments({ roundId });

  const badFile = [
    HEADER,
    'HN-001,01,1,1,1,Nguyễn Văn An,0912 345 678,"12 Phố Huế, Hà Nội",Cấp giấy phép lái xe',
    'HN-002,01,7,1,1,Trần Thị Bình,0912345679,,',
    '',
    'HN-003,01,2,1,1,,12,,',
    'HN-001,99,2,1,1,Lê Văn Cường,0987654321,,',
    'HUE-001,46,3,13,2,Công ty TNHH Sông Hương,+84 234 3822 111,"5 Lê Lợi, Huế",Đăng ký kinh doanh',
  ].join('\n');

  test('when a CSV has bad rows, then every bad row is reported with its line and field, and nothing is stored', async () => {
    const res = await importCsv(badFile).expect(400);
    const details = (res.body as { error: { code: string; message: string; details: Problem[] } }).error;
    expect(details.code).toBe('validation_failed');
    expect(details.message).toContain('3 of 5 rows have problems; nothing was imported');
    expect(details.details.map((d) => [d.path, d.code])).toEqual([
      ['/line/3/servingLevel', 'not_in_options'],
      ['/line/5/name', 'required'],
      ['/line/5/phone', 'wrong_format'],
      ['/line/6/unitId', 'repeated'],
      ['/line/6/provinceCode', 'unknown_province'],
    ]);
    expect(details.details[3]?.message).toBe('line 6, unitId: is also on line 2');
    expect(await unitsStored()).toBe(0);
  });

  test('when the same file is sent with skipInvalid=true, then the valid rows are stored and the bad ones reported', async () => {
    const res = await importCsv(badFile, admin, '?skipInvalid=true').expect(200);
    expect(res.body).toMatchObject({ roundId, imported: 2, skipped: 3 });
    expect((res.body as { problems: Array<{ line: number }> }).problems.map((p) => p.line)).toEqual([3, 5, 5, 6, 6]);
    expect(await unitsStored()).toBe(2);
  });

  test('when a file names units already imported, then they are reported and nothing is stored twice', async () => {
    const res = await importCsv([HEADER, 'HN-001,01,1,1,1,Nguyễn Văn An,0912345678,,'].join('\n')).expect(400);
    expect((res.body as { error: { details: Problem[] } }).error.details).toEqual([
      { path: '/line/2/unitId', code: 'already_imported', message: "line 2, unitId: is already in this round's sample" },
    ]);
    expect(await unitsStored()).toBe(2);
  });

  test('when the CSV header lacks a column, then the file is refused even with skipInvalid=true', async () => {
    const res = await importCsv('unit_id,province_code,name\nX-1,01,Ai đó', admin, '?skipInvalid=true').expect(400);
    const paths = (res.body as { error: { details: Problem[] } }).error.details.map((d) => d.path);
    expect(paths).toEqual(['/line/1/serving_level', '/line/1/service_field', '/line/1/respondent_type']);
  });

  test('when a JSON list is imported, then its units are stored', async () => {
    const units = [
      { unitId: 'HN-010', provinceCode: '01', servingLevel: 3, serviceField: 11, respondentType: 1, name: 'Phạm Thu Dung', phone: '0901000010' },
      { unitId: 'HN-011', provinceCode: '01', servingLevel: '2', serviceField: 4, respondentType: 1, name: 'Võ Minh Em', address: 'Thôn 3, xã Đông Anh' },
    ];
    const res = await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${supervisorHaNoi}`).send({ units }).expect(200);
    expect(res.body).toMatchObject({ imported: 2, skipped: 0, problems: [] });
    const bad = await system
      .http()
      .post(`/api/v1/rounds/${roundId}/sample`)
      .set('Authorization', `Bearer ${supervisorHaNoi}`)
      .send({ units: [{ ...units[0], unitId: 'HN-012', email: 'x@example.org' }] })
      .expect(400);
    expect((bad.body as { error: { details: Problem[] } }).error.details).toEqual([expect.objectContaining({ path: '/line/1/email', code: 'unknown_field' })]);
  });

  test('when a supervisor imports units of a province not theirs, then those rows are refused', async () => {
    const res = await importCsv([HEADER, 'HUE-002,46,1,1,1,Hồ Văn Giang,0905000002,,'].join('\n'), supervisorHaNoi).expect(400);
    expect((res.body as { error: { details: Problem[] } }).error.details).toEqual([
      expect.objectContaining({ path: '/line/2/provinceCode', code: 'forbidden' }),
    ]);
  });

  test('when personal data is stored, then the database holds neither name, phone nor address in clear', async () => {
    const db = system.web.deps.connection.db;
    if (!db) throw new Error('no database');
    const raw = JSON.stringify([
      ...(await db.collection('sample_contacts').find({ roundId }).toArray()),
      ...(await db.collection('sample_units').find({ roundId }).toArray()),
    ]);
    for (const clear of ['Nguyễn Văn An', 'Nguyen', '0912 345 678', '0912345678', '912345678', 'Phố Huế', 'Sông Hương', '3822']) {
      expect(raw).not.toContain(clear);
    }
    const contact = await db.collection('sample_contacts').findOne({ _id: `${roundId}|HN-001` as never });
    expect(contact?.sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    // The same phone written two ways hashes the same: the duplicate-respondent check can find it.
    expect(contact?.phoneHash).toBe(system.web.deps.personalData.hashPhone('+84 912 345 678'));
  });

  test('when the API starts with another PERSONAL_DATA_KEY than the stored data was sealed with, then it refuses to start', async () => {
    const wrongKey = { ...system.config, PORT: 0, PERSONAL_DATA_KEY: randomBytes(32).toString('base64') };
    await expect(startWebServer(wrongKey, pino({ level: 'silent' }))).rejects.toThrow(/PERSONAL_DATA_KEY does not open the personal data/);
  });

  test('when a supervisor assigns units, then the enumerator gets them with contacts and status not started', async () => {
    await assign(enumeratorA.username, ['HN-001', 'HN-010'], supervisorHaNoi).expect(200, { roundId, enumerator: enumeratorA.username, assigned: 2 });
    await assign(enumeratorB.username, ['HUE-001'], supervisorHue).expect(200);
    const units = await mine(enumeratorA.token);
    expect(units.map((u) => [u.unitId, u.provinceName, u.status, u.contact.name, u.contact.phone])).toEqual([
      ['HN-001', 'Hà Nội', 'not-started', 'Nguyễn Văn An', '0912 345 678'],
      ['HN-010', 'Hà Nội', 'not-started', 'Phạm Thu Dung', '0901000010'],
    ]);
    expect(units[0]?.contact.address).toBe('12 Phố Huế, Hà Nội');
  });

  test('when a supervisor assigns units outside their provinces, then nothing moves and each unit is named', async () => {
    const res = await assign(enumeratorA.username, ['HN-011', 'HUE-001', 'NOPE-1'], supervisorHaNoi).expect(400);
    expect((res.body as { error: { details: Problem[] } }).error.details.map((d) => [d.path, d.code])).toEqual([
      ['/body/unitIds/1', 'forbidden'],
      ['/body/unitIds/2', 'unknown_sample_unit'],
    ]);
    expect((await mine(enumeratorA.token)).map((u) => u.unitId)).toEqual(['HN-001', 'HN-010']);
    const analyst = await system.createUser('analyst');
    const toAnalyst = await assign(analyst.username, ['HN-011']).expect(400);
    expect((toAnalyst.body as { error: { details: Problem[] } }).error.details[0]).toMatchObject({ path: '/body/enumerator', code: 'not_allowed' });
  });

  test("when an enumerator asks for another enumerator's unit, then it is not found, and the round's list is forbidden", async () => {
    await system.http().get(`/api/v1/me/assignments/${roundId}/HUE-001`).set('Authorization', `Bearer ${enumeratorA.token}`).expect(404);
    await system.http().get(`/api/v1/me/assignments/${roundId}/HN-001`).set('Authorization', `Bearer ${enumeratorA.token}`).expect(200);
    await system.http().get(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${enumeratorA.token}`).expect(403);
    await system
      .http()
      .put(`/api/v1/me/assignments/${roundId}/HUE-001/status`)
      .set('Authorization', `Bearer ${enumeratorA.token}`)
      .send({ status: 'refused', at: new Date().toISOString() })
      .expect(404);
    expect((await mine(enumeratorB.token)).map((u) => u.unitId)).toEqual(['HUE-001']);
  });

  test('when a supervisor lists the sample, then only units of their provinces come back', async () => {
    const list = async (token: string, query = ''): Promise<{ total: number; units: UnitView[] }> =>
      (await system.http().get(`/api/v1/rounds/${roundId}/sample${query}`).set('Authorization', `Bearer ${token}`).expect(200)).body as {
        total: number;
        units: UnitView[];
      };
    expect((await list(supervisorHaNoi)).units.map((u) => u.unitId)).toEqual(['HN-001', 'HN-010', 'HN-011']);
    expect((await list(supervisorHue)).units.map((u) => [u.unitId, u.assignedTo, u.contact.name])).toEqual([
      ['HUE-001', enumeratorB.username, 'Công ty TNHH Sông Hương'],
    ]);
    await system.http().get(`/api/v1/rounds/${roundId}/sample?province=46`).set('Authorization', `Bearer ${supervisorHaNoi}`).expect(403);
    expect(await list(admin, '?limit=2')).toMatchObject({ total: 4, units: [{ unitId: 'HN-001' }, { unitId: 'HN-010' }] });
    await system.http().get(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${await system.userToken('analyst')}`).expect(403);
  });

  test('when an enumerator reports outcomes out of order, then the latest by device time stands', async () => {
    const report = (status: string, at: string, note?: string) =>
      system
        .http()
        .put(`/api/v1/me/assignments/${roundId}/HN-010/status`)
        .set('Authorization', `Bearer ${enumeratorA.token}`)
        .send({ status, at, ...(note ? { note } : {}) });
    await report('not-reachable', '2024-09-02T08:00:00Z', 'ba lần đến, không có ai ở nhà').expect(200);
    const late = await report('in-progress', '2024-09-01T08:00:00Z').expect(200);
    expect(late.body).toMatchObject({ status: 'not-reachable', statusNote: 'ba lần đến, không có ai ở nhà' });
    await report('refused', '2024-09-03T08:00:00Z').expect(200);
    expect((await mine(enumeratorA.token)).find((u) => u.unitId === 'HN-010')).toMatchObject({ status: 'refused' });
    const bad = await report('completed', '2024-09-03T08:00:00Z').expect(400);
    expect((bad.body as { error: { details: Problem[] } }).error.details[0]).toMatchObject({ path: '/body/status', code: 'not_in_options' });
  });

  test('when a response names its sample unit, then the unit is completed once and a second response for it is refused', async () => {
    const submit = async (token: string, items: unknown[]) =>
      ((await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${token}`).send({ responses: items }).expect(200)).body as {
        results: Array<{ status: string; errors?: Problem[] }>;
      }).results;
    const paradata = {
      startedAt: '2024-09-05T02:00:00.000Z',
      endedAt: '2024-09-05T02:21:00.000Z',
      appVersion: 'test',
      sectionSeconds: { A: 60, E1: 300 },
      location: { lat: 21.0245, lon: 105.8412, accuracy: 12 },
    };
    const response = makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'HN-001', paradata });
    const second = makeResponse(roundId, '01', makeAnswers(5), { sampleUnitId: 'HN-001' });
    const results = await submit(enumeratorA.token, [response, second]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'invalid']);
    expect(results[1]?.errors).toEqual([expect.objectContaining({ path: '/sampleUnitId', code: 'already_completed' })]);
    expect(await submit(enumeratorA.token, [response])).toEqual([{ id: response.id, status: 'duplicate' }]);

    const unit = (await mine(enumeratorA.token)).find((u) => u.unitId === 'HN-001');
    expect(unit).toMatchObject({ status: 'completed', responseId: response.id });
    const stored = await collection(system, 'responses').findOne({ _id: String(response.id) });
    expect(stored).toMatchObject({ sampleUnitId: 'HN-001', paradata: { location: { lat: 21.0245 }, sectionSeconds: { E1: 300 } } });

    await system
      .http()
      .put(`/api/v1/me/assignments/${roundId}/HN-001/status`)
      .set('Authorization', `Bearer ${enumeratorA.token}`)
      .send({ status: 'refused', at: new Date().toISOString() })
      .expect(409);
    const reassign = await assign(enumeratorB.username, ['HN-001']).expect(400);
    expect((reassign.body as { error: { details: Problem[] } }).error.details[0]).toMatchObject({ code: 'already_completed' });
  });

  test("when a response names a unit that is not the sender's, in another province or unknown, then it is invalid", async () => {
    const results = (
      (
        await system
          .http()
          .post('/api/v1/responses')
          .set('Authorization', `Bearer ${enumeratorA.token}`)
          .send({
            responses: [
              makeResponse(roundId, '46', makeAnswers(4), { sampleUnitId: 'HUE-001' }),
              makeResponse(roundId, '79', makeAnswers(4), { sampleUnitId: 'HN-010' }),
              makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'NOPE-1' }),
              makeResponse(roundId, '01', makeAnswers(4), {
                paradata: { startedAt: '2024-09-05T02:00:00Z', endedAt: '2024-09-05T02:20:00Z', location: { lat: 100, lon: 0, accuracy: 5 } },
              }),
            ],
          })
          .expect(200)
      ).body as { results: Array<{ status: string; errors: Problem[] }> }
    ).results;
    // Enumerator A works in 01 only (issue 12: a response outside one's provinces is refused too).
    expect(results.map((r) => r.errors.map((e) => [e.path, e.code]))).toEqual([
      [
        ['/provinceCode', 'province_not_yours'],
        ['/sampleUnitId', 'not_assigned'],
      ],
      [
        ['/provinceCode', 'wrong_province'],
        ['/provinceCode', 'province_not_yours'],
      ],
      [['/sampleUnitId', 'unknown_sample_unit']],
      [['/paradata/location/lat', 'too_large']],
    ]);
  });

  test('when all of this was logged, then no name, phone or address appears in the logs or the figures', async () => {
    const csv = await system.http().get(`/api/v1/rounds/${roundId}/aggregates?format=csv`).set('Authorization', `Bearer ${admin}`).expect(200);
    const everything = logLines.join('') + String(csv.text);
    expect(logLines.length).toBeGreaterThan(20);
    for (const clear of ['Nguyễn Văn An', '0912 345 678', '0912345678', 'Phố Huế', 'Sông Hương', 'Phạm Thu Dung', '0901000010']) {
      expect(everything).not.toContain(clear);
    }
  });
});

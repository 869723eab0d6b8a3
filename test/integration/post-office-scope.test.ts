import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

const SAMPLE = [
  'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure,post_office',
  'HN-1,01,2,1,1,Nguyễn Văn An,0912000101,,,HN-A',
  'HN-2,01,2,1,1,Trần Thị Bình,0912000102,,,HN-B',
  'HN-3,01,2,1,1,Lê Văn Cường,0912000103,,,HN-B',
  'HCM-1,79,2,1,1,Phạm Thu Dung,0912000104,,,HCM-A',
].join('\n');

interface Caller {
  username: string;
  token: string;
}

describeWithMongo('post offices: scoping at every level (national, province, post office) on every endpoint', () => {
  let system: TestSystem;
  let admin: string;
  let roundId: string;
  let officeA: Caller; // supervisor of post office HN-A
  let province01: Caller; // provincial supervisor of 01
  let enumA: Caller;
  let enumB: Caller;
  const ids: Record<string, string> = {};

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const makeUser = async (role: string, extra: Record<string, unknown>): Promise<Caller> => {
    const username = `${role}-${Math.random().toString(36).slice(2, 8)}`;
    const password = 'password-post-office';
    await system.http().post('/api/v1/users').set(bearer(admin)).send({ username, password, role, ...extra }).expect(201);
    return { username, token: await system.login(username, password) };
  };

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set(bearer(admin)).send(round).expect(201);
    await system
      .http()
      .put('/api/v1/post-offices')
      .set(bearer(admin))
      .send({
        postOffices: [
          { code: 'HN-A', name: 'Bưu điện Hoàn Kiếm', provinceCode: '01' },
          { code: 'HN-B', name: 'Bưu điện Cầu Giấy', provinceCode: '01' },
          { code: 'HCM-A', name: 'Bưu điện Sài Gòn', provinceCode: '79' },
        ],
      })
      .expect(200);
    officeA = await makeUser('supervisor', { postOffice: 'HN-A' });
    province01 = await makeUser('supervisor', { provinces: ['01'] });
    enumA = await makeUser('enumerator', { postOffice: 'HN-A' });
    enumB = await makeUser('enumerator', { postOffice: 'HN-B' });
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set(bearer(admin)).send({ csv: SAMPLE }).expect(200);
  });
  afterAll(() => system?.stop());

  test('when a user names a post office, then it must exist and their province is its province', async () => {
    const me = await system.http().get('/api/v1/me').set(bearer(officeA.token)).expect(200);
    expect(me.body).toMatchObject({ provinces: ['01'], postOffice: 'HN-A' });
    const unknown = await system.http().post('/api/v1/users').set(bearer(admin)).send({ username: 'nobody-po', password: 'password-1234', role: 'enumerator', postOffice: 'XX-1' }).expect(400);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ path: '/body/postOffice', code: 'unknown_post_office' })]);
    const elsewhere = await system.http().post('/api/v1/users').set(bearer(admin)).send({ username: 'wrong-po', password: 'password-1234', role: 'enumerator', postOffice: 'HN-A', provinces: ['79'] }).expect(400);
    expect(elsewhere.body.error.details).toEqual([expect.objectContaining({ path: '/body/provinces', code: 'not_allowed' })]);
    const listed = await system.http().get('/api/v1/post-offices').set(bearer(officeA.token)).expect(200);
    expect((listed.body.postOffices as Array<{ code: string }>).map((o: { code: string }) => o.code)).toEqual(['HN-A']);
    const provincial = await system.http().get('/api/v1/post-offices').set(bearer(province01.token)).expect(200);
    expect((provincial.body.postOffices as Array<{ code: string }>).map((o: { code: string }) => o.code)).toEqual(['HN-A', 'HN-B']);
  });

  test('when a sample row names a post office of another province or an unknown one, then the row is refused', async () => {
    const csv = 'unit_id,province_code,serving_level,service_field,respondent_type,name,post_office\nX-1,01,2,1,1,A,HCM-A\nX-2,01,2,1,1,B,NOPE';
    const refused = await system.http().post(`/api/v1/rounds/${roundId}/sample`).set(bearer(admin)).send({ csv }).expect(400);
    expect((refused.body.error.details as Array<{ path: string; code: string }>).map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
      ['/line/2/postOffice', 'unknown_post_office'],
      ['/line/3/postOffice', 'unknown_post_office'],
    ]);
    const other = await system.http().post(`/api/v1/rounds/${roundId}/sample`).set(bearer(officeA.token)).send({ csv: 'unit_id,province_code,serving_level,service_field,respondent_type,name,post_office\nX-3,01,2,1,1,C,HN-B' }).expect(400);
    expect(other.body.error.details).toEqual([expect.objectContaining({ path: '/line/2/postOffice', code: 'post_office_not_yours' })]);
  });

  test('when units are assigned, then a post-office supervisor moves only their units, to enumerators of that post office', async () => {
    const assign = (token: string, enumerator: string, unitIds: string[]) => system.http().post(`/api/v1/rounds/${roundId}/assignments`).set(bearer(token)).send({ enumerator, unitIds });
    await assign(officeA.token, enumA.username, ['HN-1']).expect(200);
    const neighbour = await assign(officeA.token, enumA.username, ['HN-2']).expect(400);
    expect(neighbour.body.error.details).toEqual([expect.objectContaining({ path: '/body/unitIds/0', code: 'post_office_not_yours' })]);
    const crossOffice = await assign(admin, enumA.username, ['HN-2']).expect(400);
    expect(crossOffice.body.error.details).toEqual([expect.objectContaining({ path: '/body/unitIds/0', code: 'not_allowed' })]);
    await assign(province01.token, enumB.username, ['HN-2']).expect(200);
  });

  test('when responses arrive, then each carries its unit’s post office, and a post-office supervisor sees only theirs everywhere', async () => {
    const a = makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'HN-1' });
    const b = makeResponse(roundId, '01', makeAnswers(5), { sampleUnitId: 'HN-2' });
    ids.a = String(a.id);
    ids.b = String(b.id);
    await system.http().post('/api/v1/responses').set(bearer(enumA.token)).send({ responses: [a] }).expect(200);
    await system.http().post('/api/v1/responses').set(bearer(enumB.token)).send({ responses: [b] }).expect(200);
    // A post-office supervisor submitting for a unit of the neighbouring post office.
    const foreign = makeResponse(roundId, '01', makeAnswers(4), { sampleUnitId: 'HN-3' });
    const refused = await system.http().post('/api/v1/responses').set(bearer(officeA.token)).send({ responses: [foreign] }).expect(200);
    expect(refused.body.results[0]).toMatchObject({ status: 'invalid', errors: [expect.objectContaining({ path: '/sampleUnitId', code: 'post_office_not_yours' })] });
    await system.drain();
    expect((await collection(system, 'responses').findOne({ _id: ids.a }))?.postOffice).toBe('HN-A');
    expect((await collection(system, 'responses').findOne({ _id: ids.b }))?.postOffice).toBe('HN-B');

    const units = await system.http().get(`/api/v1/rounds/${roundId}/sample`).set(bearer(officeA.token)).expect(200);
    expect((units.body.units as Array<{ unitId: string }>).map((u: { unitId: string }) => u.unitId)).toEqual(['HN-1']);
    await system.http().get(`/api/v1/rounds/${roundId}/sample?postOffice=HN-B`).set(bearer(officeA.token)).expect(403);
    await system.http().get(`/api/v1/rounds/${roundId}/sample?province=79`).set(bearer(officeA.token)).expect(403);

    const queue = (token: string) => system.http().get(`/api/v1/rounds/${roundId}/review?status=clear`).set(bearer(token)).expect(200);
    expect(((await queue(officeA.token)).body.responses as Array<{ id: string }>).map((r) => r.id)).toEqual([ids.a]);
    expect((await queue(province01.token)).body.total).toBe(2);
    await system.http().get(`/api/v1/rounds/${roundId}/review?postOffice=HN-B`).set(bearer(officeA.token)).expect(403);

    await system.http().get(`/api/v1/rounds/${roundId}/responses/${ids.b}`).set(bearer(officeA.token)).expect(403);
    await system.http().get(`/api/v1/rounds/${roundId}/responses/${ids.a}`).set(bearer(officeA.token)).expect(200);
    await system
      .http()
      .post(`/api/v1/rounds/${roundId}/responses/${ids.b}/review`)
      .set(bearer(officeA.token))
      .send({ decision: 'rejected', reason: 'not mine to judge', expectedStatus: 'clear' })
      .expect(403);
    await system.http().get(`/api/v1/rounds/${roundId}/audit-log?responseId=${ids.b}`).set(bearer(officeA.token)).expect(403);
  });

  test('when progress is read, then it rolls up enumerator → post office → province → national, each reader at their own level', async () => {
    type Summary = { accepted: number; paceStatus: string };
    type Reply = {
      level: string;
      totals: Summary;
      provinces: Array<Summary & { provinceCode: string }>;
      postOffices: Array<Summary & { postOffice: string; postOfficeName: string }>;
      enumerators: Array<{ username: string; postOffice: string | null; responses: number; responseRate: number | null }>;
    };
    const read = async (token: string, query = '') => (await system.http().get(`/api/v1/rounds/${roundId}/quota-progress${query}`).set(bearer(token)).expect(200)).body as Reply;
    const office = await read(officeA.token);
    expect(office.level).toBe('post-office');
    expect(office.postOffices.map((o) => [o.postOffice, o.postOfficeName, o.accepted])).toEqual([['HN-A', 'Bưu điện Hoàn Kiếm', 1]]);
    expect(office.enumerators.map((e) => [e.username, e.postOffice, e.responses, e.responseRate])).toEqual([[enumA.username, 'HN-A', 1, 1]]);
    await system.http().get(`/api/v1/rounds/${roundId}/quota-progress?postOffice=HN-B`).set(bearer(officeA.token)).expect(403);

    const province = await read(province01.token);
    expect(province.level).toBe('province');
    expect(province.postOffices.map((o) => [o.postOffice, o.accepted])).toEqual([['HN-A', 1], ['HN-B', 1]]);
    expect(province.totals.accepted).toBe(province.postOffices.reduce((sum, o) => sum + o.accepted, 0));

    const national = await read(admin, '?cells=false');
    expect(national.level).toBe('national');
    expect(national.totals.accepted).toBe(national.provinces.reduce((sum, p) => sum + p.accepted, 0));
    const one = await read(admin, `?enumerator=${enumB.username}`);
    expect(one.totals.accepted).toBe(1);
    expect(one.enumerators.map((e) => e.username)).toEqual([enumB.username]);
  });

  test('when devices send receipts, then a post-office supervisor lists only their post office’s devices', async () => {
    const receipt = (deviceId: string) => ({ deviceId, appVersion: '1.0.0', at: new Date().toISOString(), unsentCompleted: 0, oldestUnsentAt: null, lastSuccessfulSyncAt: null });
    await system.http().post('/api/v1/me/device-receipts').set(bearer(enumA.token)).send(receipt('device-aaaa-1')).expect(200);
    await system.http().post('/api/v1/me/device-receipts').set(bearer(enumB.token)).send(receipt('device-bbbb-1')).expect(200);
    const mine = await system.http().get('/api/v1/devices').set(bearer(officeA.token)).expect(200);
    expect((mine.body.devices as Array<{ username: string }>).map((d: { username: string }) => d.username)).toEqual([enumA.username]);
    const all = await system.http().get('/api/v1/devices?province=01').set(bearer(province01.token)).expect(200);
    expect(all.body.devices).toHaveLength(2);
    await system.http().get('/api/v1/devices?postOffice=HN-B').set(bearer(officeA.token)).expect(403);
    await system.http().get('/api/v1/devices').set(bearer(enumA.token)).expect(403);
  });
});

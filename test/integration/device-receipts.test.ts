import { makeAnswers, makeResponse, makeRound } from '../factories';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

describeWithMongo('device receipts: every device accounted for', () => {
  let system: TestSystem;
  let admin: string;
  let roundId: string;
  let enumerator: { username: string; token: string };
  let late: { username: string; token: string };
  let supervisor: { username: string; token: string };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

  beforeAll(async () => {
    system = await startTestSystem({ worker: false });
    admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set(bearer(admin)).send(round).expect(201);
    enumerator = await system.createUser('enumerator', ['01']);
    late = await system.createUser('enumerator', ['01']);
    supervisor = await system.createUser('supervisor', ['01']);
  });
  afterAll(() => system?.stop());

  const send = (token: string, body: Record<string, unknown>) => system.http().post('/api/v1/me/device-receipts').set(bearer(token)).send(body);
  const unsent = async () => (await system.http().get(`/api/v1/rounds/${roundId}/devices/unsent`).set(bearer(supervisor.token)).expect(200)).body as { unsentOnDevices: number; devices: Array<{ deviceId: string; responseIds: string[] }> };

  test('when a receipt lists responses the server lacks, then round close names them and their device; once sent, none are left', async () => {
    const onServer = makeResponse(roundId, '01', makeAnswers(4));
    const onDevice = makeResponse(roundId, '01', makeAnswers(5));
    await system.http().post('/api/v1/responses').set(bearer(enumerator.token)).send({ responses: [onServer] }).expect(200);
    await send(enumerator.token, {
      deviceId: 'phone-enum-0001',
      appVersion: '1.2.0',
      at: hoursAgo(0),
      unsentCompleted: 2,
      oldestUnsentAt: hoursAgo(30),
      lastSuccessfulSyncAt: hoursAgo(30),
      unsent: [{ id: onServer.id, roundId }, { id: onDevice.id, roundId }],
    }).expect(200);
    expect(await unsent()).toMatchObject({ unsentOnDevices: 1, devices: [{ deviceId: 'phone-enum-0001', responseIds: [onDevice.id] }] });

    // An older receipt arriving late changes nothing.
    const stale = await send(enumerator.token, { deviceId: 'phone-enum-0001', appVersion: '1.2.0', at: hoursAgo(5), unsentCompleted: 0, oldestUnsentAt: null, lastSuccessfulSyncAt: null }).expect(200);
    expect(stale.body).toEqual({ kept: false });
    expect((await unsent()).unsentOnDevices).toBe(1);

    await system.http().post('/api/v1/responses').set(bearer(enumerator.token)).send({ responses: [onDevice] }).expect(200);
    expect((await unsent()).unsentOnDevices).toBe(0);
    await send(enumerator.token, { deviceId: 'phone-enum-0001', appVersion: '1.2.0', at: new Date().toISOString(), unsentCompleted: 0, oldestUnsentAt: null, lastSuccessfulSyncAt: new Date().toISOString(), unsent: [] }).expect(200);
    expect(await unsent()).toEqual({ roundId, unsentOnDevices: 0, devices: [] });
  });

  test('when devices are listed, then the filters pick unsent work older than a threshold and app versions behind the current one', async () => {
    await send(late.token, { deviceId: 'tablet-late-0001', appVersion: '1.10.0', at: hoursAgo(0), unsentCompleted: 3, oldestUnsentAt: hoursAgo(50), lastSuccessfulSyncAt: hoursAgo(50) }).expect(200);
    const list = async (query: string) => (await system.http().get(`/api/v1/devices${query}`).set(bearer(supervisor.token)).expect(200)).body as {
      currentVersion: string;
      devices: Array<{ deviceId: string; unsentOldHours: number | null; versionBehind: boolean; silentDays: number }>;
      totals: { devices: number; unsentCompleted: number };
    };
    const all = await list('');
    expect(all.currentVersion).toBe('1.10.0');
    expect(all.totals).toEqual({ devices: 2, unsentCompleted: 3 });
    expect((await list('?unsentOlderThanHours=48')).devices.map((d) => d.deviceId)).toEqual(['tablet-late-0001']);
    expect((await list('?versionBehind=true')).devices.map((d) => d.deviceId)).toEqual(['phone-enum-0001']);
    expect((await list('?silentDays=1')).devices).toEqual([]);
    const bad = await system.http().get('/api/v1/devices?silentDays=-1').set(bearer(supervisor.token)).expect(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });
});

import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

/** The configured wait for MongoDB in this suite. */
const TIMEOUT_MS = 1500;

describeWithMongo('when MongoDB stops answering, the API answers 503 not_ready within its configured time, and recovers', () => {
  let proxy: TcpProxy;
  let system: TestSystem;

  beforeAll(async () => {
    const target = new URL(String(process.env.SIPAS_TEST_MONGODB_URI));
    proxy = await startTcpProxy(target.hostname, Number(target.port || 27017));
    system = await startTestSystem({
      worker: false,
      // One server through the proxy, so the driver never finds a way around it.
      env: { MONGODB_URI: `mongodb://127.0.0.1:${proxy.port}/?directConnection=true`, MONGODB_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
  });
  afterAll(async () => {
    proxy.resume();
    await system.stop();
    await proxy.close();
  });

  test('when MongoDB freezes, then each request is a 503 not_ready with Retry-After within the timeout; when it is back, the same requests succeed', async () => {
    const admin = await system.login(ADMIN.username, ADMIN.password);
    await system.http().get('/api/v1/me').set('Authorization', `Bearer ${admin}`).expect(200);
    await system.http().get('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).expect(200);

    proxy.pause();
    const timed = async (send: () => PromiseLike<{ status: number; body: unknown; headers: Record<string, string> }>) => {
      const started = Date.now();
      const res = await send();
      return { status: res.status, body: res.body, retryAfter: res.headers['retry-after'], ms: Date.now() - started };
    };
    const replies = await Promise.all([
      timed(() => system.http().get('/api/v1/me').set('Authorization', `Bearer ${admin}`)),
      timed(() => system.http().get('/api/v1/rounds').set('Authorization', `Bearer ${admin}`)),
      timed(() => system.http().post('/api/v1/auth/login').send(ADMIN)),
    ]);
    for (const reply of replies) {
      expect(reply).toMatchObject({ status: 503, body: { error: { code: 'not_ready' } }, retryAfter: '5' });
      // The configured wait, plus what one request may add around it on a busy machine (before the fix: forever).
      expect(reply.ms).toBeLessThan(TIMEOUT_MS + 750);
    }
    const ready = await system.http().get('/readyz');
    expect(ready.status).toBe(503);

    proxy.resume();
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await system.http().get('/api/v1/me').set('Authorization', `Bearer ${admin}`)).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    await system.http().get('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).expect(200);
    await system.http().post('/api/v1/auth/login').send(ADMIN).expect(200);
  });
});

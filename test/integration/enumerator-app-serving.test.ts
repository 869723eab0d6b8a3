import { describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

describeWithMongo('the API serves the enumerator app', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ worker: false });
  });
  afterAll(() => system?.stop());

  test('when a phone opens the server, then it is sent to the app, which comes with its manifest and service worker', async () => {
    await system.http().get('/').expect(302).expect('Location', '/app/');
    const page = await system.http().get('/app/').expect(200).expect('Content-Type', /text\/html/);
    expect(page.text).toContain('<link rel="manifest" href="/app/manifest.webmanifest" />');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    await system.http().get('/app/sw.js').expect(200).expect('Content-Type', /javascript/);
    await system.http().get('/app/app.js').expect(200).expect('Content-Type', /javascript/);
    await system.http().get('/app/icon-512.png').expect(200).expect('Content-Type', 'image/png');
    await system.http().get('/app/nothing-here.js').expect(404);
  });

  test('when an enumerator downloads their units, then the reply is never kept by a cache', async () => {
    const token = await system.userToken('enumerator');
    const res = await system.http().get('/api/v1/me/assignments').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ rounds: [], assignments: [] });
  });
});

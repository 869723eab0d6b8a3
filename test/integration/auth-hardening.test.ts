import { Writable } from 'node:stream';
import pino from 'pino';
import { startWebServer, type WebServer } from '../../server/main';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';
import request from 'supertest';

interface ErrorBody {
  error: { code: string; message: string; details?: Array<{ path: string; code: string; message: string }> };
}

describeWithMongo('logins are throttled per username and per address, and weak passwords are refused', () => {
  let system: TestSystem;
  let admin: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    // The production defaults of the account limit (10) and the lock; a small address limit keeps the test short.
    system = await startTestSystem({ worker: false, env: { LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '30' }, logger: pino({ level: 'info' }, sink) });
    admin = await system.login(ADMIN.username, ADMIN.password);
  });
  afterAll(() => system.stop());

  const login = (username: string, password: string, address: string) =>
    system.http().post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ username, password });

  test('when one account gets 10 wrong passwords from many addresses, then the 11th try is 429 with Retry-After, even with the right password', async () => {
    const user = await system.createUser('enumerator', ['01']);
    for (let i = 0; i < 10; i += 1) {
      const res = await login(user.username, `wrong guess number ${i}`, `198.51.100.${i + 1}`);
      expect(res.status).toBe(401);
    }
    const refused = await login(user.username, user.password, '198.51.100.77');
    expect(refused.status).toBe(429);
    expect((refused.body as ErrorBody).error.code).toBe('login_throttled');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // The storm is in the log once, with the username and address, and no password anywhere.
    const storm = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'login storm: too many failed logins, locked');
    expect(storm).toEqual([expect.objectContaining({ level: 40, username: user.username, scope: 'account', address: '198.51.100.77' })]);
    expect(logLines.join('\n')).not.toContain('wrong guess number');
    expect(logLines.join('\n')).not.toContain(user.password);
    // Other accounts are not locked by it.
    const other = await system.createUser('analyst');
    expect((await login(other.username, other.password, '198.51.100.78')).status).toBe(200);
  });

  test('when an unknown username is tried, then it gets exactly the answers a known one gets', async () => {
    const answers = async (username: string, address: string): Promise<string[]> => {
      const seen: string[] = [];
      for (let i = 0; i < 11; i += 1) {
        const res = await login(username, 'not the password', address);
        seen.push(`${res.status} ${JSON.stringify(res.body)} ${res.status === 429 ? 'retry' : ''}`);
      }
      return seen;
    };
    const known = await system.createUser('supervisor', ['01']);
    const [forKnown, forUnknown] = [await answers(known.username, '203.0.113.1'), await answers('nobody-by-this-name', '203.0.113.2')];
    expect(forUnknown).toEqual(forKnown);
    expect(forKnown.slice(-1)[0]).toMatch(/^429 .*login_throttled/);
  });

  test('when one address tries many usernames, then past its limit it is 429 for every username, while other addresses log in', async () => {
    const user = await system.createUser('enumerator', ['01']);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) statuses.push((await login(`someone-${i}`, 'a guess at a password', '192.0.2.9')).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    const fromThere = await login(user.username, user.password, '192.0.2.9');
    expect(fromThere.status).toBe(429);
    expect(Number(fromThere.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(user.username, user.password, '192.0.2.10')).status).toBe(200);
  });

  test('when a user logs in rightly, then their earlier failures are forgotten', async () => {
    const user = await system.createUser('enumerator', ['01']);
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < 9; i += 1) expect((await login(user.username, 'wrong again and again', `10.9.${round}.${i}`)).status).toBe(401);
      expect((await login(user.username, user.password, `10.9.${round}.99`)).status).toBe(200);
    }
  });

  test('when a second API process shares the Redis, then it sees the same lock', async () => {
    const user = await system.createUser('enumerator', ['01']);
    for (let i = 0; i < 10; i += 1) expect((await login(user.username, 'wrong wrong wrong', `10.8.0.${i}`)).status).toBe(401);
    let second: WebServer | undefined;
    try {
      second = await startWebServer(system.config, pino({ level: 'silent' }));
      const res = await request(`http://127.0.0.1:${second.port}`).post('/api/v1/auth/login').send({ username: user.username, password: user.password });
      expect(res.status).toBe(429);
    } finally {
      await second?.stop();
    }
  });

  test.each([
    ['12345678', 'password_common'],
    ['password', 'password_common'],
    ['Password123', 'password_common'],
    ['        ', 'password_blank'],
    ['short1!', 'password_too_short'],
    ['x', 'password_too_short'],
    ['x-analyst-2024', 'password_contains_username'],
    ['my X-ANALYST password', 'password_contains_username'],
  ])('when an admin creates a user with the password %j, then it is a 400 naming the password and why (%s), and nobody is created', async (password, code) => {
    const res = await system.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send({ username: 'x-analyst', password, role: 'analyst' });
    expect(res.status).toBe(400);
    const body = res.body as ErrorBody;
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/body/password', code })]));
    const users = await system.http().get('/api/v1/users').set('Authorization', `Bearer ${admin}`).expect(200);
    expect((users.body as { users: Array<{ username: string }> }).users.map((u) => u.username)).not.toContain('x-analyst');
  });

  test('when the password is long, uncommon and without the username, then the user is created and can log in', async () => {
    await system.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send({ username: 'y-analyst', password: 'Hà Nội mùa thu 2024', role: 'analyst' }).expect(201);
    expect((await login('y-analyst', 'Hà Nội mùa thu 2024', '10.7.0.1')).status).toBe(200);
  });
});

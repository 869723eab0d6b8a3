import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { seedShowcase } from '../../scripts/demo/showcase';
import { collection } from '../support/database';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');

/** What a round of the demo looks like through the API an administrator reads. */
interface RoundReply {
  id: string;
  status: string;
  fieldworkStart: string;
  fieldworkEnd: string;
  previousRoundId?: string;
}

/** Everything the demo stored that a second run could store twice. */
async function counts(system: TestSystem): Promise<Record<string, number>> {
  const names = ['users', 'rounds', 'responses', 'sampleunits', 'quotatargets', 'assignments', 'postoffices'];
  const existing = new Set((await collection(system, 'users').db.listCollections().toArray()).map((c) => c.name));
  const entries = await Promise.all(
    [...existing].filter((name) => names.some((n) => name.toLowerCase().replace(/[-_]/g, '') === n)).map(async (name) => [name, await collection(system, name).countDocuments({})] as const),
  );
  return Object.fromEntries(entries);
}

describeWithMongo('npm run demo:seed with no options (the demo that shows every role)', () => {
  let system: TestSystem;
  const today = new Date();
  const year = today.getUTCFullYear();
  const roundId = `demo-${year}`;
  let accounts: Awaited<ReturnType<typeof seedShowcase>>;
  let firstCounts: Record<string, number>;

  beforeAll(async () => {
    system = await startTestSystem();
    // The function the CLI calls, against a fresh database; the worker runs the quality checks.
    accounts = await seedShowcase({ baseUrl: system.baseUrl, username: ADMIN.username, password: ADMIN.password });
    await system.drain(120_000);
    firstCounts = await counts(system);
  }, 600_000);
  afterAll(() => system?.stop());

  test('when it has run, then there is one account per role and each logs in with the password it printed', async () => {
    expect(accounts.map((a) => a.role).sort()).toEqual(['admin', 'analyst', 'enumerator', 'supervisor']);
    for (const account of accounts) {
      const res = await system.http().post('/api/v1/auth/login').send({ username: account.username, password: account.password });
      expect({ username: account.username, status: res.status }).toEqual({ username: account.username, status: 200 });
      const me = await system.http().get('/api/v1/me').set('Authorization', `Bearer ${(res.body as { token: string }).token}`);
      expect(me.status).toBe(200);
      expect((me.body as { role: string }).role).toBe(account.role);
    }
  });

  test("when it has run, then this year's round is open with fieldwork around today, and last year's round is its previous round", async () => {
    const admin = await system.login(ADMIN.username, ADMIN.password);
    const round = (await system.http().get(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).expect(200)).body as RoundReply;
    const day = today.toISOString().slice(0, 10);
    expect(round.status).toBe('open');
    expect(round.fieldworkStart < day && day < round.fieldworkEnd).toBe(true);
    expect(round.previousRoundId).toBe(`demo-${year - 1}`);
    await system.http().get(`/api/v1/rounds/demo-${year - 1}`).set('Authorization', `Bearer ${admin}`).expect(200);
    // Changes against the previous round are there for the analyst.
    const analyst = accounts.find((a) => a.role === 'analyst')!;
    const token = await system.login(analyst.username, analyst.password);
    const rows = (await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=national&fields=group,n,value,changePoints`).set('Authorization', `Bearer ${token}`).expect(200))
      .body as { rows: Array<{ n: number; value: number | null; changePoints: number | null }> };
    expect(rows.rows[0]).toMatchObject({ n: expect.any(Number) as number, value: expect.any(Number) as number, changePoints: expect.any(Number) as number });
  });

  test('when the demo enumerator logs in, then their list has the assigned sample units', async () => {
    const enumerator = accounts.find((a) => a.role === 'enumerator')!;
    const token = await system.login(enumerator.username, enumerator.password);
    const mine = (await system.http().get('/api/v1/me/assignments').set('Authorization', `Bearer ${token}`).expect(200)).body as {
      rounds: Array<{ id: string }>;
      assignments: Array<{ roundId: string; unitId: string; name?: string }>;
    };
    expect(mine.assignments.length).toBeGreaterThanOrEqual(10);
    expect(mine.assignments.every((a) => a.roundId === roundId)).toBe(true);
    expect(mine.rounds.map((r) => r.id)).toContain(roundId);
  });

  test('when the worker has checked the responses, then the review queue has flagged responses for the demo supervisor', async () => {
    const supervisor = accounts.find((a) => a.role === 'supervisor')!;
    const token = await system.login(supervisor.username, supervisor.password);
    const queue = (await system.http().get(`/api/v1/rounds/${roundId}/review`).set('Authorization', `Bearer ${token}`).expect(200)).body as {
      total: number;
      responses: Array<{ qualityFlags: Array<{ rule?: string; code?: string }> }>;
    };
    expect(queue.total).toBeGreaterThanOrEqual(6);
    expect(queue.responses.length).toBeGreaterThanOrEqual(6);
    expect(queue.responses.every((r) => r.qualityFlags.length > 0)).toBe(true);
  });

  test('when it has run, then both rounds have quota targets and the supervisor sees their progress', async () => {
    const admin = await system.login(ADMIN.username, ADMIN.password);
    for (const id of [roundId, `demo-${year - 1}`]) {
      const targets = (await system.http().get(`/api/v1/rounds/${id}/quotas`).set('Authorization', `Bearer ${admin}`).expect(200)).body as { targets: unknown[] };
      expect(targets.targets.length).toBeGreaterThan(34);
    }
    const supervisor = accounts.find((a) => a.role === 'supervisor')!;
    const token = await system.login(supervisor.username, supervisor.password);
    await system.http().get(`/api/v1/rounds/${roundId}/quota-progress`).set('Authorization', `Bearer ${token}`).expect(200);
  });

  test('when `npm run demo:seed` runs again, then it prints every account with its password and stores nothing twice', async () => {
    const { stdout } = await run(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/demo/cli.ts', '--url', system.baseUrl, '--username', ADMIN.username, '--password', ADMIN.password], {
      cwd: root,
      timeout: 400_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).toContain(`SIPAS demo ready at ${system.baseUrl} — /app/ /supervisor/ /analyst/ /admin/`);
    for (const account of accounts) expect(stdout).toMatch(new RegExp(`^\\s+${account.role}\\s+${account.username}\\s+${account.password}$`, 'm'));
    await system.drain(120_000);
    expect(await counts(system)).toEqual(firstCounts);
    expect(Object.keys(firstCounts).length).toBeGreaterThanOrEqual(5);
  }, 500_000);
});

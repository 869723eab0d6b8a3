import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { startRedisServer, freePort } from '../support/services';
import { ADMIN, describeWithMongo, startTestSystem } from '../support/system';
import { startWorker } from '../../workers/main';
import pino from 'pino';

describeWithMongo('durability', () => {
  test('when Redis is down at submission, then responses are still stored and the sweep aggregates them later', async () => {
    const doomedRedis = await startRedisServer();
    const system = await startTestSystem({ worker: false, env: { REDIS_URL: doomedRedis.url } });
    try {
      const admin = await system.login(ADMIN.username, ADMIN.password);
      const round = makeRound();
      await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
      await doomedRedis.stop();

      const batch = [makeResponse(String(round.id), '01', makeAnswers(5)), makeResponse(String(round.id), '01', makeAnswers(1))];
      const res = await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses: batch }).expect(200);
      expect((res.body as { results: Array<{ status: string }> }).results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
      expect(await system.web.deps.repos.responses.countByRound(String(round.id))).toBe(2);
      const ready = await system.http().get('/readyz').expect(503);
      expect(ready.body).toMatchObject({ status: 'not ready', mongodb: 'ok' });

      // Redis is back (here: another one); a worker starts and its sweep finds the stored responses.
      const worker = await startWorker({ ...system.config, REDIS_URL: process.env.SIPAS_TEST_REDIS_URL ?? '' }, pino({ level: 'silent' }));
      try {
        const deadline = Date.now() + 20_000;
        const overall = () => system.web.deps.repos.aggregates.findIndicatorFigures(String(round.id), 63, 'overall');
        let aggregate = await overall();
        while (aggregate?.responses !== 2 && Date.now() < deadline) {
          await worker.sweep();
          await new Promise((r) => setTimeout(r, 100));
          aggregate = await overall();
        }
        expect(aggregate?.figures?.estimates.index.groupings.province.find((p) => p.group === '01')).toMatchObject({ group: '01', n: 2, value: 50 });
        // A second sweep finds nothing new: the tally has read everything stored.
        expect(await worker.sweep()).toBe(0);
      } finally {
        await worker.stop();
      }
    } finally {
      await system.stop();
    }
  });

  test('when the API process gets SIGTERM, then it finishes and exits 0 after closing its connections', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', '..', 'server', 'main.ts')], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        MONGODB_URI: process.env.SIPAS_TEST_MONGODB_URI,
        MONGODB_DB: `sipas_test_sigterm_${port}`,
        REDIS_URL: process.env.SIPAS_TEST_REDIS_URL,
        PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (!output.includes('API listening') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(output).toContain('API listening');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    const lines = output.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['stopping', 'API stopped']));
  });
});

/**
 * Bad days, each ending the same way: once the fault is gone, the stored figures equal a recount
 * from the stored responses, and every response a client was told `accepted` is stored. Real Redis
 * stopped (its queued jobs gone with it) and started again empty, a worker process killed mid-burst,
 * MongoDB unreachable behind a TCP proxy the test pauses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { startWorker, type RunningWorker } from '../../workers/main';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { figuresCatchUp } from '../support/recount';
import { freePort, startRedisServer, type RunningService } from '../support/services';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A scenario's time: a killed worker's jobs wait for BullMQ's stalled-job check (30 s) and its figures lease (30 s). */
const SCENARIO_MS = 180_000;

/** A TCP proxy to MongoDB that the test can cut: paused, it drops every connection and refuses new ones. */
async function startPausableProxy(target: { host: string; port: number }): Promise<{ port: number; pause(): void; resume(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let paused = false;
  const server: Server = createServer((client) => {
    if (paused) return client.destroy();
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    pause() {
      paused = true;
      for (const socket of sockets) socket.destroy();
    },
    resume() {
      paused = false;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describeWithMongo('fault injection: figures equal a recount after every fault', () => {
  let system: TestSystem | undefined;
  const workers: RunningWorker[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  // Workers and the system first, while MongoDB and Redis are still there; then the services.
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop().catch(() => undefined);
    await system?.stop().catch(() => undefined);
    system = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  }, 60_000);

  /** Sends batches one after another, resending a batch that got no 200 (as the app does), and returns the ids accepted. */
  const sendBatches = async (s: TestSystem, token: string, roundId: string, batches: number, size: number, during?: (batch: number) => Promise<void>): Promise<Set<string>> => {
    const accepted = new Set<string>();
    for (let b = 0; b < batches; b += 1) {
      await during?.(b);
      const items = Array.from({ length: size }, (_, i) => makeResponse(roundId, ['01', '79', '48'][i % 3] as string, makeAnswers(1 + ((b * 7 + i) % 5))));
      for (let attempt = 0; attempt < 60; attempt += 1) {
        const reply = await s.http().post('/api/v1/responses').set('Authorization', `Bearer ${token}`).send({ responses: items }).catch(() => undefined);
        if (reply?.status === 200) {
          for (const [i, r] of (reply.body as { results: Array<{ status: string }> }).results.entries()) if (r.status === 'accepted' || r.status === 'duplicate') accepted.add(String(items[i]?.id));
          break;
        }
        await sleep(250);
      }
    }
    return accepted;
  };
  const newRound = async (s: TestSystem, token: string): Promise<string> => {
    const round = makeRound();
    await s.http().post('/api/v1/rounds').set('Authorization', `Bearer ${token}`).send(round).expect(201);
    return String(round.id);
  };
  const expectCaughtUp = async (s: TestSystem, roundId: string, accepted: Set<string>, worker: RunningWorker) => {
    expect(await s.web.deps.repos.responses.countByRound(roundId)).toBe(accepted.size);
    const { stored, recount } = await figuresCatchUp(s.web.deps, roundId, { atLeast: 1, timeoutMs: 90_000, poke: () => worker.sweep().catch(() => undefined) });
    expect(recount.responses).toBeGreaterThan(0);
    expect(stored).toEqual(recount);
  };

  test('when Redis stops mid-stream and comes back empty, then nothing accepted is lost and the figures catch up', async () => {
    const port = await freePort();
    let redis: RunningService = await startRedisServer({ port });
    cleanups.push(() => redis.stop());
    system = await startTestSystem({ env: { REDIS_URL: redis.url } });
    const token = await system.login(ADMIN.username, ADMIN.password);
    const roundId = await newRound(system, token);
    const accepted = await sendBatches(system, token, roundId, 8, 25, async (b) => {
      if (b === 3) await redis.stop();
      if (b === 6) redis = await startRedisServer({ port });
    });
    expect(accepted.size).toBe(200);
    await expectCaughtUp(system, roundId, accepted, system.worker as RunningWorker);
  }, SCENARIO_MS);

  test('when the worker process is killed mid-burst, then another worker finishes its work and the figures catch up', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    system = await startTestSystem({ worker: false, env: { REDIS_URL: redis.url } });
    const { config } = system;
    const child: ChildProcess = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', '..', 'workers', 'main.ts')], {
      env: {
        ...process.env,
        MONGODB_URI: config.MONGODB_URI,
        MONGODB_DB: config.MONGODB_DB ?? '',
        REDIS_URL: config.REDIS_URL,
        QUEUE_PREFIX: config.QUEUE_PREFIX,
        PERSONAL_DATA_KEY: config.PERSONAL_DATA_KEY,
        SWEEP_INTERVAL_SECONDS: '3600',
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    cleanups.push(() => Promise.resolve(child.kill('SIGKILL')));
    const token = await system.login(ADMIN.username, ADMIN.password);
    const roundId = await newRound(system, token);
    const s = system;
    const accepted = await sendBatches(system, token, roundId, 8, 25, async (b) => {
      if (b === 5) {
        // Killed once it is surely at work: some of the batches sent are checked.
        const deadline = Date.now() + 30_000;
        const stored = () => s.web.deps.repos.qualityChecks.uncheckedIds(1000);
        while ((await stored()).length >= 125 && Date.now() < deadline) await sleep(50);
        child.kill('SIGKILL');
      }
    });
    expect(accepted.size).toBe(200);
    const worker = await startWorker(config, silent);
    workers.push(worker);
    await expectCaughtUp(system, roundId, accepted, worker);
  }, SCENARIO_MS);

  // A cut drops the driver's monitor connection too: a heartbeat written as it closes used to hang for good, and the
  // worker stayed cut from MongoDB (server/db/heartbeat-watch.ts connects it again).
  test('when MongoDB is unreachable for a while, then the API refuses rather than loses, and the figures catch up once it is back', async () => {
    const target = new URL(process.env.SIPAS_TEST_MONGODB_URI ?? 'mongodb://127.0.0.1:27017');
    const proxy = await startPausableProxy({ host: target.hostname, port: Number(target.port || 27017) });
    cleanups.push(() => proxy.close());
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    system = await startTestSystem({ env: { REDIS_URL: redis.url, MONGODB_URI: `mongodb://127.0.0.1:${proxy.port}/?directConnection=true` } });
    const token = await system.login(ADMIN.username, ADMIN.password);
    const roundId = await newRound(system, token);
    const accepted = await sendBatches(system, token, roundId, 8, 25, (b) => {
      if (b === 3) {
        proxy.pause();
        setTimeout(() => proxy.resume(), 3000);
      }
      return Promise.resolve();
    });
    expect(accepted.size).toBe(200);
    await expectCaughtUp(system, roundId, accepted, system.worker as RunningWorker);
  }, SCENARIO_MS);
});

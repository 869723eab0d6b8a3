import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { jobIdFor, QUEUE } from '../../server/jobs/job-contract';
import { catchUpTalliesAndFigures } from '../../server/modules/aggregates/aggregation-catch-up.service';
import { requestChecksOfUnchecked } from '../../server/modules/quality/quality.service';
import { startWorker, type RunningWorker } from '../../workers/main';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { figuresCatchUp, storedFigures } from '../support/recount';
import { startRedisServer, type RunningService } from '../support/services';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

const silent = pino({ level: 'silent' });

describeWithMongo('figures that always catch up', () => {
  let redis: RunningService;
  let system: TestSystem;
  let admin: string;
  const workers: RunningWorker[] = [];
  beforeEach(async () => {
    redis = await startRedisServer();
    system = await startTestSystem({ worker: false, env: { REDIS_URL: redis.url } });
    admin = await system.login(ADMIN.username, ADMIN.password);
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop();
    await system.stop();
    await redis.stop();
  });

  const newRound = async (): Promise<string> => {
    const round = makeRound();
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    return String(round.id);
  };
  const submitBatches = async (roundId: string, batches: number, size: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let b = 0; b < batches; b += 1) {
      const items = Array.from({ length: size }, (_, i) => makeResponse(roundId, i % 3 === 0 ? '79' : '01', makeAnswers(1 + ((b + i) % 5))));
      const reply = await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses: items }).expect(200);
      expect((reply.body as { results: Array<{ status: string }> }).results.every((r) => r.status === 'accepted')).toBe(true);
      ids.push(...items.map((item) => String(item.id)));
    }
    return ids;
  };
  const worker = async (queues: string): Promise<RunningWorker> => {
    const running = await startWorker({ ...system.config, WORKER_QUEUES: queues }, silent);
    workers.push(running);
    return running;
  };
  const queue = (name: string): Queue => new Queue(name, { connection: new Redis(redis.url, { maxRetriesPerRequest: null }), prefix: system.config.QUEUE_PREFIX });
  const jobNames = async (name: string, states: Array<'completed' | 'waiting' | 'active' | 'prioritized' | 'delayed'>): Promise<string[]> => {
    const q = queue(name);
    try {
      return (await q.getJobs(states, 0, -1)).map((j) => j.name);
    } finally {
      await q.close();
      await q.disconnect();
    }
  };

  test('when Redis loses the queued figure jobs after the tallies were counted, then the sweep notices figures older than their tallies and recomputes them', async () => {
    const roundId = await newRound();
    await submitBatches(roundId, 3, 20);
    // Only the quality queue is taken: checks count responses in the tallies, figure jobs wait.
    const checker = await worker(QUEUE.quality);
    const deadline = Date.now() + 30_000;
    while ((await system.web.deps.repos.qualityChecks.uncheckedIds(1)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await checker.stop();
    workers.splice(workers.indexOf(checker), 1);
    const tallied = (await system.web.deps.repos.tallies.statesOfRound(roundId)).reduce((sum, t) => sum + t.responses, 0);
    expect(tallied).toBeGreaterThan(0);
    expect((await storedFigures(system.web.deps, roundId)).responses).toBe(0);

    const flush = new Redis(redis.url);
    await flush.flushall();
    flush.disconnect();

    const full = await worker(`${QUEUE.aggregation},${QUEUE.quality}`);
    const { stored, recount } = await figuresCatchUp(system.web.deps, roundId, { atLeast: tallied, timeoutMs: 30_000, poke: () => full.sweep() });
    expect(stored).toEqual(recount);
    expect(stored.responses).toBe(tallied);
  });

  test('when a backlog waits in the queue, then the sweep queues nothing again, each batch is checked once, and an empty check asks for no figures', async () => {
    const roundId = await newRound();
    const ids = await submitBatches(roundId, 8, 25);
    const deps = system.web.deps;
    expect(await jobNames(QUEUE.quality, ['waiting'])).toHaveLength(8);
    for (let sweep = 0; sweep < 3; sweep += 1) {
      expect(await requestChecksOfUnchecked({ qualityChecks: deps.repos.qualityChecks, jobs: deps.jobs })).toBe(0);
      const behind = await catchUpTalliesAndFigures({ ...deps.repos, jobs: deps.jobs, confirmAfterMs: 10 }, new Date(0));
      expect(behind.provinces).toBe(0);
    }
    expect(await jobNames(QUEUE.quality, ['waiting'])).toHaveLength(8);
    // The open round has no figures yet: asked for once, however often the sweep runs.
    expect(await jobNames(QUEUE.aggregation, ['waiting'])).toEqual(['compute-figures']);

    const running = await worker(`${QUEUE.aggregation},${QUEUE.quality}`);
    const { stored, recount } = await figuresCatchUp(deps, roundId, { atLeast: 1, timeoutMs: 30_000 });
    expect(stored).toEqual(recount);
    await system.drain();
    expect(await jobNames(QUEUE.quality, ['completed'])).toHaveLength(8);
    const aggregation = await jobNames(QUEUE.aggregation, ['completed']);
    expect(aggregation.filter((n) => n !== 'compute-figures')).toEqual([]);
    // One computation per generation: at most one per batch plus the sweep's.
    expect(aggregation.length).toBeLessThanOrEqual(9);

    // A check of responses another job already checked finds nothing: it asks for no figures.
    const again = ids.slice(0, 5);
    await deps.jobs.enqueue('check-quality', { roundId, responseIds: again, reason: 'sweep' }, jobIdFor('check-quality', roundId, ['again', ...again]));
    await system.drain();
    expect(await jobNames(QUEUE.quality, ['completed'])).toHaveLength(9);
    expect(await jobNames(QUEUE.aggregation, ['completed', 'waiting'])).toHaveLength(aggregation.length);
    expect(await running.sweep()).toBe(0);
  });
});

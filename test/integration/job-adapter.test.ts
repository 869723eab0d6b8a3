import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createJobProducer, startJobConsumers } from '../../server/jobs/bullmq';
import { JobCannotSucceed, jobIdFor, QUEUE, type JobHandlers, type JobView } from '../../server/jobs/job-contract';

const redisUrl = process.env.SIPAS_TEST_REDIS_URL ?? '';

describe('the BullMQ adapter', () => {
  test('when a use case throws JobCannotSucceed, then its job fails at once; any other error is retried', async () => {
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const producer = createJobProducer(redisUrl, prefix);
    const calls = new Map<string, number>();
    const unused = (): Promise<never> => Promise.reject(new Error('not used here'));
    const handlers: JobHandlers = {
      'recompute-provinces': (payload) => {
        calls.set(payload.roundId, (calls.get(payload.roundId) ?? 0) + 1);
        return Promise.reject(payload.roundId === 'gone' ? new JobCannotSucceed('round gone does not exist') : new Error('MongoDB hiccup'));
      },
      'recompute-round': unused,
      'compute-figures': unused,
      'check-quality': unused,
      'export-microdata': unused,
    };
    const consumers = startJobConsumers({ redisUrl, prefix, queues: [{ name: QUEUE.aggregation, concurrency: 1 }], handlers, logger: pino({ level: 'silent' }) });
    const settled = async (jobId: string, states: ReadonlyArray<string>): Promise<JobView | undefined> => {
      const deadline = Date.now() + 10_000;
      let view = await producer.inspect(jobId);
      while (!states.includes(view?.state ?? '') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        view = await producer.inspect(jobId);
      }
      return view;
    };
    try {
      const gone = jobIdFor('recompute-provinces', 'gone', ['01']);
      await producer.enqueue('recompute-provinces', { roundId: 'gone', provinceCodes: ['01'], reason: 'manual' }, gone);
      expect(await settled(gone, ['failed'])).toMatchObject({ state: 'failed', attempts: 1, failedReason: 'round gone does not exist' });

      const flaky = jobIdFor('recompute-provinces', 'flaky', ['01']);
      await producer.enqueue('recompute-provinces', { roundId: 'flaky', provinceCodes: ['01'], reason: 'manual' }, flaky);
      // The first attempt failed and the job waits for its retry (exponential back-off from 1 s).
      expect(await settled(flaky, ['delayed', 'failed'])).toMatchObject({ state: 'delayed', attempts: 1 });
      expect(calls).toEqual(new Map([['gone', 1], ['flaky', 1]]));
    } finally {
      await consumers.close();
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
      const queue = new Queue(QUEUE.aggregation, { connection: redis, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.quit();
      await producer.close();
    }
  });
});

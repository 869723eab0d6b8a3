/**
 * The one adapter to BullMQ, both sides: the producer the API and the use cases enqueue with, and
 * the consumers a worker process runs. Nothing else imports bullmq (tests may).
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DEFAULT_JOB_OPTIONS, JobCannotSucceed, jobNameOf, QUEUE_OF, type JobHandlers, type JobName, type JobPayloads, type JobProducer, type QueueName } from './job-contract';

/** Connects a producer to Redis: the API's and the workers' way to enqueue and inspect jobs. */
export function createJobProducer(redisUrl: string, prefix: string): JobProducer {
  // No offline queue and one retry: a request must not hang while Redis is away.
  const connection = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  connection.on('error', () => {
    // Reported by ping() and enqueue(); without a listener ioredis would print every retry.
  });
  // Without an offline queue a command fails until the connection is ready: wait for it, briefly.
  const whenReady = (ms = 2000): Promise<void> =>
    connection.status === 'ready'
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const onReady = (): void => {
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(() => {
            connection.off('ready', onReady);
            reject(new Error(`Redis is not reachable (${connection.status})`));
          }, ms);
          connection.once('ready', onReady);
        });
  const queues = new Map<string, Queue>();
  const queueFor = (name: JobName): Queue => {
    const queueName = QUEUE_OF[name];
    let queue = queues.get(queueName);
    if (!queue) {
      queue = new Queue(queueName, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS, skipWaitingForReady: true });
      queue.on('error', () => undefined);
      queues.set(queueName, queue);
    }
    return queue;
  };
  return {
    async enqueue(name, payload, jobId) {
      await whenReady();
      await queueFor(name).add(name, payload, { jobId });
    },
    async inspect(jobId) {
      const name = jobNameOf(jobId);
      if (!name) return undefined;
      const queue = queueFor(name);
      // State first, then the job: a job read after "completed" surely carries its result.
      const state = await queue.getJobState(jobId);
      if (state === 'unknown') return undefined;
      const job = await queue.getJob(jobId);
      if (!job?.id) return undefined;
      return {
        id: job.id,
        name: job.name,
        state,
        progress: job.progress,
        result: job.returnvalue ?? null,
        failedReason: job.failedReason || null,
        attempts: job.attemptsMade,
        createdAt: job.timestamp ? new Date(job.timestamp).toISOString() : null,
        finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      };
    },
    async retry(jobId) {
      const name = jobNameOf(jobId);
      if (!name) return false;
      const job = await queueFor(name).getJob(jobId);
      if (!job || (await job.getState()) !== 'failed') return false;
      await job.retry('failed');
      return true;
    },
    async queuedPayloads(name) {
      await whenReady();
      const jobs = await queueFor(name).getJobs(['waiting', 'prioritized', 'delayed', 'active'], 0, -1);
      return jobs.filter((job) => job.name === name).map((job) => job.data as JobPayloads[typeof name]);
    },
    async ping() {
      await whenReady();
      await connection.ping();
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      connection.disconnect();
    },
  };
}

/** How one queue is consumed. */
export interface QueueConsumption {
  name: QueueName;
  /** Jobs of this queue run at once in this process. */
  concurrency: number;
  /** Whether the queue gets a Redis connection of its own, so its long jobs never hold up the others'. */
  ownConnection?: boolean;
}

/** Running consumers; `close()` waits for running jobs to finish. */
export interface JobConsumers {
  close(): Promise<void>;
}

/**
 * Starts one BullMQ worker per queue, each running the contract's handler of a job's name. A use
 * case's `JobCannotSucceed` becomes BullMQ's UnrecoverableError: the job fails at once, unretried.
 */
export function startJobConsumers(options: {
  redisUrl: string;
  prefix: string;
  queues: ReadonlyArray<QueueConsumption>;
  handlers: JobHandlers;
  logger: Logger;
}): JobConsumers {
  const { handlers, logger } = options;
  // Workers block on Redis; BullMQ requires maxRetriesPerRequest: null for them.
  const shared = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const connections = [shared];
  const runJob = async (job: Job): Promise<unknown> => {
    const handler = handlers[job.name as JobName] as ((payload: unknown, context: Parameters<JobHandlers[JobName]>[1]) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    try {
      return await handler(job.data, { reportProgress: (progress) => job.updateProgress({ ...progress }) });
    } catch (error) {
      if (error instanceof JobCannotSucceed) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
  const workers = options.queues.map(({ name, concurrency, ownConnection }) => {
    let connection = shared;
    if (ownConnection) {
      connection = shared.duplicate();
      connections.push(connection);
    }
    const worker = new Worker(name, runJob, { connection, concurrency, prefix: options.prefix });
    worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, error) => logger.warn({ err: error, jobId: job?.id, attempts: job?.attemptsMade }, 'job failed'));
    return worker;
  });
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      for (const connection of connections) connection.disconnect();
    },
  };
}

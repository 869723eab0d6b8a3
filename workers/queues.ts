import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';

/** Queue names. One queue per kind of work, so a slow export never delays aggregation. */
export const QUEUE = {
  aggregation: 'aggregation',
} as const;

/** Every job name and the payload it carries: an enqueue with the wrong payload does not compile. */
export interface JobPayloads {
  /** Re-tally the named provinces of a round from stored responses, then recompute the round's figures. */
  'recompute-provinces': {
    roundId: string;
    provinceCodes: string[];
    /** Why the job exists, for logs. */
    reason: 'responses-stored' | 'sweep' | 'manual';
  };
}
export type JobName = keyof JobPayloads;

/** Which queue carries each job. */
export const QUEUE_OF: Record<JobName, (typeof QUEUE)[keyof typeof QUEUE]> = {
  'recompute-provinces': QUEUE.aggregation,
};

/** Kept small: completed jobs matter only for deduplication and for a look in the logs. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * A deterministic job id: the same work asked twice is one job. BullMQ forbids ':' in custom ids,
 * and ids must stay short, so the variable part is hashed.
 */
export function jobIdFor(name: JobName, roundId: string, parts: ReadonlyArray<string>): string {
  const digest = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 24);
  return `${name}.${roundId}.${digest}`;
}

/** The producer side, as the API uses it: typed, and failing fast when Redis is down. */
export interface JobProducer {
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

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

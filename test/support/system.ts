import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import request from 'supertest';
import { loadConfig, type Config } from '../../server/config';
import { startWebServer, type WebServer } from '../../server/main';
import { startWorker, type RunningWorker } from '../../workers/main';
import { QUEUE } from '../../server/jobs/job-contract';

/** True when global setup found a MongoDB; suites that need one run only then. */
export const mongoAvailable = Boolean(process.env.SIPAS_TEST_MONGODB_URI);

/** `describe` for suites that need MongoDB: skipped, with global setup's loud line, when there is none. */
export const describeWithMongo: jest.Describe = mongoAvailable ? describe : describe.skip;

export const ADMIN = { username: 'admin', password: 'admin-password-1' };

export interface TestSystem {
  config: Config;
  web: WebServer;
  worker?: RunningWorker;
  /** Base URL of the API, e.g. http://127.0.0.1:43121. */
  baseUrl: string;
  http(): ReturnType<typeof request>;
  /** Logs in and returns the bearer token. */
  login(username: string, password: string): Promise<string>;
  /** Creates a user through the API as admin and returns their token. */
  userToken(role: 'admin' | 'supervisor' | 'enumerator' | 'analyst', provinces?: string[]): Promise<string>;
  /** Creates a user through the API as admin and returns the credentials with a token. */
  createUser(role: 'admin' | 'supervisor' | 'enumerator' | 'analyst', provinces?: string[]): Promise<{ username: string; password: string; token: string }>;
  /** Waits until the worker has no waiting or running job. */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Boots the real API on port 0 against a fresh database and queue prefix of its own, with a real
 * worker in the same process unless `worker: false`.
 */
export async function startTestSystem(options: { worker?: boolean; env?: Record<string, string>; logger?: Logger } = {}): Promise<TestSystem> {
  const suffix = randomUUID().slice(0, 8);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: process.env.SIPAS_TEST_MONGODB_URI,
    MONGODB_DB: `sipas_test_${suffix}`,
    REDIS_URL: process.env.SIPAS_TEST_REDIS_URL,
    QUEUE_PREFIX: `test-${suffix}`,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'silent',
    SWEEP_INTERVAL_SECONDS: '3600',
    PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
    ...options.env,
  });
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const web = await startWebServer(config, logger);
  const worker = options.worker === false ? undefined : await startWorker(config, logger);
  const baseUrl = `http://127.0.0.1:${web.port}`;
  let watched: { queues: Queue[]; redis: Redis } | undefined;
  // Upstream first: a quality check enqueues its recompute before it completes, so reading the quality
  // queue empty and then the aggregation queue empty means no work is left.
  const queuesToWatch = (): Queue[] => {
    if (!watched) {
      const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
      watched = { redis, queues: [QUEUE.quality, QUEUE.aggregation].map((name) => new Queue(name, { connection: redis, prefix: config.QUEUE_PREFIX })) };
    }
    return watched.queues;
  };

  const login = async (username: string, password: string): Promise<string> => {
    const res = await request(baseUrl).post('/api/v1/auth/login').send({ username, password }).expect(200);
    return (res.body as { token: string }).token;
  };
  let adminToken: string | undefined;
  let users = 0;
  const createUser: TestSystem['createUser'] = async (role, provinces) => {
    adminToken ??= await login(ADMIN.username, ADMIN.password);
    users += 1;
    const username = `${role}-${users}-${suffix}`;
    const password = `password-${suffix}`;
    await request(baseUrl)
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ username, password, role, ...(provinces ? { provinces } : {}) })
      .expect(201);
    return { username, password, token: await login(username, password) };
  };

  return {
    config,
    web,
    ...(worker ? { worker } : {}),
    baseUrl,
    http: () => request(baseUrl),
    login,
    async userToken(role, provinces) {
      return (await createUser(role, provinces)).token;
    },
    createUser,
    async drain(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts: Array<Record<string, number>> = [];
        for (const queue of queuesToWatch()) counts.push(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'));
        if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
        if (Date.now() > deadline) throw new Error(`queue not drained within ${timeoutMs} ms: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      await worker?.stop();
      await web.deps.connection.db?.dropDatabase().catch(() => undefined);
      await web.stop();
      if (watched) {
        for (const queue of watched.queues) {
          await queue.obliterate({ force: true }).catch(() => undefined);
          await queue.close();
        }
        watched.redis.disconnect();
      }
    },
  };
}

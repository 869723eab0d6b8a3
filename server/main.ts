import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { Config } from './config';
import type { AppDeps } from './deps';
import { createJobProducer } from './jobs/bullmq';
import { createLogger } from './logger';
import { drainOnStop } from './http/drain';
import { createLoginThrottle } from './modules/auth/login-throttle';
import { setPasswordHashConcurrency } from './modules/auth/password-hashing';
import { createPersonalDataCipher, type PersonalDataCipher } from './modules/samples/personal-data.cipher';
import type { SampleContactRepository } from './modules/samples/sample-contact.repository';
import { configOrExit, stopOnSignals } from './process';
import { openFoundation } from './system';

export interface WebServer {
  port: number;
  deps: AppDeps;
  /**
   * Stops accepting connections, answers what is in flight (with `Connection: close`) within
   * SHUTDOWN_DRAIN_SECONDS, then closes Redis and MongoDB.
   */
  stop(): Promise<void>;
}

/**
 * Opens one stored contact with the configured key. A wrong PERSONAL_DATA_KEY then stops start-up
 * with a message that says so, instead of every enumerator's download failing later.
 */
async function checkPersonalDataKey(contacts: SampleContactRepository, cipher: PersonalDataCipher): Promise<void> {
  const contact = await contacts.anySealed();
  if (!contact) return;
  try {
    cipher.open(contact.sealed, contact.key);
  } catch {
    throw new Error('PERSONAL_DATA_KEY does not open the personal data stored in this database: it is not the key they were encrypted with.');
  }
}

/** Starts the API on `config.PORT` (0 picks a free port, which tests use). */
export async function startWebServer(config: Config, logger: Logger = createLogger(config.LOG_LEVEL, 'sipas-api')): Promise<WebServer> {
  const foundation = await openFoundation(config, logger, { timeoutMS: config.MONGODB_TIMEOUT_MS });
  const personalData = createPersonalDataCipher(config.PERSONAL_DATA_KEY);
  try {
    await checkPersonalDataKey(foundation.repos.sampleContacts, personalData);
  } catch (error) {
    await foundation.connection.close();
    throw error;
  }
  const jobs = createJobProducer(config.REDIS_URL, config.QUEUE_PREFIX);
  // Its own connection, failing fast like the producer's: a login must not hang while Redis is away.
  const throttleRedis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  throttleRedis.on('error', () => undefined);
  // Counting starts in Redis when it answers soon; until then (or while it is away) each process counts in memory.
  await new Promise<void>((resolve) => {
    throttleRedis.once('ready', resolve);
    setTimeout(resolve, 2000).unref();
  });
  setPasswordHashConcurrency(config.PASSWORD_HASH_CONCURRENCY);
  const loginThrottle = createLoginThrottle(
    throttleRedis,
    config.QUEUE_PREFIX,
    {
      maxAttemptsPerAccount: config.LOGIN_MAX_ATTEMPTS_PER_ACCOUNT,
      maxAttemptsPerAddress: config.LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
      windowSeconds: config.LOGIN_WINDOW_SECONDS,
      lockSeconds: config.LOGIN_LOCK_SECONDS,
    },
    logger,
  );
  const lifecycle = { draining: false };
  // The same connection carries the respondent links' rate limits.
  const deps: AppDeps = { config, logger, jobs, personalData, loginThrottle, lifecycle, redis: throttleRedis, ...foundation };
  const app = createApp(deps);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  const drain = drainOnStop(server);
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'API listening');
  return {
    port,
    deps,
    async stop() {
      lifecycle.draining = true;
      const { cut } = await drain(config.SHUTDOWN_DRAIN_SECONDS * 1000);
      if (cut > 0) logger.warn({ cut, drainSeconds: config.SHUTDOWN_DRAIN_SECONDS }, 'requests still running at the end of the drain time were cut');
      await jobs.close();
      throttleRedis.disconnect();
      await foundation.connection.close();
      logger.info('API stopped');
    },
  };
}

if (require.main === module) {
  const config = configOrExit();
  const logger = createLogger(config.LOG_LEVEL, 'sipas-api');
  startWebServer(config, logger).then(
    (web) => stopOnSignals(logger, () => web.stop()),
    (error: unknown) => {
      logger.fatal({ err: error }, 'API failed to start');
      process.exit(1);
    },
  );
}

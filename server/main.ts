import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { Config } from './config';
import type { AppDeps } from './deps';
import { createJobProducer } from './jobs/bullmq';
import { createLogger } from './logger';
import { createPersonalDataCipher, type PersonalDataCipher } from './modules/samples/personal-data.cipher';
import type { SampleContactRepository } from './modules/samples/sample-contact.repository';
import { configOrExit, stopOnSignals } from './process';
import { openFoundation } from './system';

export interface WebServer {
  port: number;
  deps: AppDeps;
  /** Stops accepting connections, lets running requests finish, then closes Redis and MongoDB. */
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
  const foundation = await openFoundation(config, logger);
  const personalData = createPersonalDataCipher(config.PERSONAL_DATA_KEY);
  try {
    await checkPersonalDataKey(foundation.repos.sampleContacts, personalData);
  } catch (error) {
    await foundation.connection.close();
    throw error;
  }
  const jobs = createJobProducer(config.REDIS_URL, config.QUEUE_PREFIX);
  // No offline queue: a rate limit must not hold a request while Redis is away (the limits then count in memory).
  const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const deps: AppDeps = { config, logger, jobs, personalData, redis, ...foundation };
  const app = createApp(deps);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'API listening');
  return {
    port,
    deps,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still running after 10 s are cut: a stuck client must not block a deploy.
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      });
      await jobs.close();
      redis.disconnect();
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

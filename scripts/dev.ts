/**
 * `npm run dev`: the whole system in one process for a one-machine trial. Without MONGODB_URI it
 * starts an embedded MongoDB (mongodb-memory-server, data kept in .data/mongo); without REDIS_URL a
 * private redis-server (data in .data/redis). Says in its log which it started.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from '../server/config';
import { createLogger } from '../server/logger';
import { startWebServer } from '../server/main';
import { stopOnSignals } from '../server/process';
import { projectRoot } from '../survey-forms/paths';
import { startWorker } from '../workers/main';
import { buildWebApp } from './build-web';
import { devLogLevel, readyLine } from './dev-terminal';
import { startEmbeddedMongo, startRedisServer, type RunningService } from './local-services';

/** The trial's key for personal data: made once into .data/, so data imported yesterday still opens today. */
function trialPersonalDataKey(dataDir: string): { key: string; file: string } {
  const file = path.join(dataDir, 'personal-data.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return { key: readFileSync(file, 'utf8').trim(), file };
}

async function main(): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info', 'sipas-dev');
  const dataDir = path.join(projectRoot(), '.data');
  const started: RunningService[] = [];
  const env: Record<string, string | undefined> = { ...process.env };

  if (!env.MONGODB_URI) {
    const dbPath = path.join(dataDir, 'mongo');
    mkdirSync(dbPath, { recursive: true });
    const mongo = await startEmbeddedMongo({ dbPath });
    if (!mongo.service) {
      logger.fatal(`no MongoDB: MONGODB_URI is not set and the embedded MongoDB could not start (${mongo.unavailable}). Set MONGODB_URI to a MongoDB 4.4+ server.`);
      process.exit(1);
    }
    started.push(mongo.service);
    env.MONGODB_URI = mongo.service.url;
    env.MONGODB_DB ??= 'sipas';
    logger.info({ dbPath }, `started an embedded MongoDB (mongodb-memory-server) at ${mongo.service.url}`);
  }
  if (!env.REDIS_URL) {
    const dir = path.join(dataDir, 'redis');
    mkdirSync(dir, { recursive: true });
    const redis = await startRedisServer({ dir });
    started.push(redis);
    env.REDIS_URL = redis.url;
    logger.info({ dir }, `started a private redis-server at ${redis.url}`);
  }
  if (!env.ADMIN_USERNAME && !env.ADMIN_PASSWORD) {
    env.ADMIN_USERNAME = 'admin';
    env.ADMIN_PASSWORD = 'admin-dev-password';
    logger.warn('ADMIN_USERNAME/ADMIN_PASSWORD not set: the first administrator is admin / admin-dev-password (trial use only)');
  }
  if (!env.PERSONAL_DATA_KEY) {
    const { key, file } = trialPersonalDataKey(dataDir);
    env.PERSONAL_DATA_KEY = key;
    logger.warn({ file }, 'PERSONAL_DATA_KEY not set: personal data of the sample is encrypted with the key kept in this file (trial use only)');
  }
  // A person reads this terminal: warnings and errors only, not a JSON line per request (LOG_LEVEL overrides).
  env.LOG_LEVEL = devLogLevel(env);
  const app = await buildWebApp();
  logger.info({ version: app.appVersion }, 'built the enumerator app');

  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.exit(2);
    }
    throw error;
  }
  const web = await startWebServer(config, createLogger(config.LOG_LEVEL, 'sipas-api'));
  const worker = await startWorker(config, createLogger(config.LOG_LEVEL, 'sipas-worker'));
  process.stdout.write(`${readyLine(web.port, env)}\n`);
  stopOnSignals(logger, async () => {
    await web.stop();
    await worker.stop();
    for (const service of started.reverse()) await service.stop();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

import { buildWebApp } from '../../scripts/build-web';
import { findChromium, startEmbeddedMongo, startRedisServer, type RunningService } from './services';

declare global {
  // Handed from setup to teardown in the same process.
  var __SIPAS_SERVICES__: RunningService[] | undefined;
}

/**
 * Starts what the integration and e2e suites need, once per run, and hands the addresses to the
 * test workers through the environment. Unit tests need none of it.
 */
export default async function globalSetup(): Promise<void> {
  // Each project that needs servers calls this; the first call starts them for all.
  if (globalThis.__SIPAS_SERVICES__) return;
  const services: RunningService[] = [];
  globalThis.__SIPAS_SERVICES__ = services;

  // The API serves the enumerator app from web/dist: the suites test the app as built from these sources.
  await buildWebApp();
  const chromium = findChromium();
  if (chromium) {
    process.env.SIPAS_TEST_CHROMIUM = chromium;
  } else {
    delete process.env.SIPAS_TEST_CHROMIUM;
    process.stderr.write('\n*** Browser (e2e) suites SKIPPED: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH). ***\n\n');
  }

  if (process.env.REDIS_URL) {
    process.env.SIPAS_TEST_REDIS_URL = process.env.REDIS_URL;
  } else {
    const redis = await startRedisServer();
    services.push(redis);
    process.env.SIPAS_TEST_REDIS_URL = redis.url;
  }

  const mongo = process.env.MONGODB_URI
    ? { service: { url: process.env.MONGODB_URI, stop: () => Promise.resolve() } }
    : await startEmbeddedMongo();
  if (mongo.service) {
    services.push(mongo.service);
    process.env.SIPAS_TEST_MONGODB_URI = mongo.service.url;
  } else {
    delete process.env.SIPAS_TEST_MONGODB_URI;
    process.stderr.write(
      `\n*** MongoDB suites SKIPPED: no MongoDB server (MONGODB_URI is not set and mongodb-memory-server failed: ${mongo.unavailable}). ` +
        'Set MONGODB_URI=mongodb://host:port to run them. ***\n\n',
    );
  }
}

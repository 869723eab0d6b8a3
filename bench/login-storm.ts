/**
 * Login storm: the median time of `GET /me` alone, and while clients keep sending wrong passwords
 * (8 and 32 at once, each from its own address and username so the throttle lets them hash), with
 * password hashing bounded (PASSWORD_HASH_CONCURRENCY=1, the default) and unbounded (64). Prints
 * medians and the ratios storm ÷ idle measured in the same run.
 *
 *   MONGODB_URI=mongodb://… [REDIS_URL=redis://…] npx tsx bench/login-storm.ts
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../server/config';
import { startWebServer } from '../server/main';
import { redisForBench } from './bench-redis';

const SAMPLES = 40;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function measure(uri: string, redisUrl: string, hashConcurrency: number): Promise<Record<string, number>> {
  const suffix = randomUUID().slice(0, 8);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: uri,
    MONGODB_DB: `sipas_bench_login_${suffix}`,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `bench-${suffix}`,
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'bench-password-long',
    LOG_LEVEL: 'silent',
    PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
    PASSWORD_HASH_CONCURRENCY: String(hashConcurrency),
  });
  const web = await startWebServer(config, pino({ level: 'silent' }));
  const base = `http://127.0.0.1:${web.port}`;
  try {
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-password-long' }) });
    const { token } = (await login.json()) as { token: string };
    const me = async (): Promise<number> => {
      const started = performance.now();
      await (await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
      return performance.now() - started;
    };
    const sample = async (): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i += 1) times.push(await me());
      return median(times);
    };
    const result: Record<string, number> = { idle: await sample() };
    for (const clients of [8, 32]) {
      let stop = false;
      let n = 0;
      const storm = Array.from({ length: clients }, async (_, c) => {
        while (!stop) {
          n += 1;
          await (
            await fetch(`${base}/api/v1/auth/login`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${c}.${n % 250}.${n % 200}` },
              body: JSON.stringify({ username: `storm-${c}-${n}`, password: 'a wrong password' }),
            })
          ).arrayBuffer();
        }
      });
      await new Promise((r) => setTimeout(r, 300));
      result[`storm${clients}`] = await sample();
      stop = true;
      await Promise.all(storm);
    }
    return result;
  } finally {
    await web.deps.connection.db?.dropDatabase().catch(() => undefined);
    await web.stop();
  }
}

async function main(): Promise<void> {
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.log('*** login storm bench SKIPPED: set MONGODB_URI ***');
    return;
  }
  const bench = await redisForBench('login-storm');
  if (!bench) return;
  const { url: redisUrl, started: redis } = bench;
  try {
    for (const concurrency of [1, 64]) {
      const r = await measure(uri, redisUrl, concurrency);
      const f = (v: number | undefined) => (v ?? NaN).toFixed(1);
      console.log(
        `login storm, hashing ${concurrency} at once: GET /me median idle ${f(r.idle)} ms, ` +
          `8 clients ${f(r.storm8)} ms (×${f((r.storm8 ?? NaN) / (r.idle ?? NaN))}), 32 clients ${f(r.storm32)} ms (×${f((r.storm32 ?? NaN) / (r.idle ?? NaN))})`,
      );
    }
  } finally {
    await redis?.stop();
  }
}

void main();

/**
 * Overview: the supervisor dashboard's national overview of the demo round (every province, 3,000
 * responses as `npm run demo:seed` makes them) as an administrator opens it in Chromium. Each load is
 * a fresh browser context (no cache, no copy of an earlier view), logged in; the page marks
 * `sipas:overview-drawn` once the server's progress is on screen. Prints medians over the loads of:
 * the first render (navigation start → mark; target < 1 s), the bundle (bytes, fetch + evaluation up to
 * the app's first line), each API reply (ms, bytes), then the long tasks while responses arrive in two
 * provinces and the page follows them through its delta poll (target: none over 200 ms).
 *
 * BENCH_OVERVIEW_LOADS (7), BENCH_OVERVIEW_RESPONSES (3000). Needs MongoDB, Redis and Chromium.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { buildWebApp } from '../scripts/build-web';
import { seedDemoRound } from '../scripts/demo-seed';
import { loadConfig } from '../server/config';
import { startWebServer } from '../server/main';
import { makeAnswers, makeResponse } from '../test/factories';
import { findChromium } from '../test/support/services';
import { redisForBench } from './bench-redis';

const median = (values: number[]): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

interface LoadMeasure {
  firstRender: number;
  appStart: number;
  bundle: { ms: number; bytes: number };
  api: Array<{ path: string; ms: number; bytes: number }>;
}

export async function runOverviewBench(uri: string, loads: number, responses: number): Promise<void> {
  const chromiumPath = findChromium();
  if (!chromiumPath) {
    console.log('*** overview SKIPPED: no Chromium (install chromium or set CHROMIUM_PATH) ***');
    return;
  }
  const bench = await redisForBench('overview');
  if (!bench) return;
  const { url: redisUrl, started: redis } = bench;
  const suffix = randomUUID().slice(0, 8);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: uri,
    MONGODB_DB: `sipas_bench_overview_${suffix}`,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `bench-overview-${suffix}`,
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'bench-password',
    LOG_LEVEL: 'silent',
    PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
  });
  await buildWebApp();
  const logger = pino({ level: 'silent' });
  const web = await startWebServer(config, logger);
  const base = `http://127.0.0.1:${web.port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
  try {
    // The demo data as the seeder sends it. The responses stay unchecked (no worker): the progress counts them all the same, and
    // checking 3,000 of them on a shared machine takes minutes.
    const started = Date.now();
    const seed = () => seedDemoRound({ baseUrl: base, username: 'admin', password: 'bench-password', edition: 63, responses, recompute: false, roundId: `bench-overview-${suffix}` });
    // The seeder is idempotent: on a loaded machine a dropped request is met by running it again.
    const { roundId } = await seed().catch(seed);
    console.log(`overview: demo round of ${responses.toLocaleString('en')} responses seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-password' }) });
    const token = ((await login.json()) as { token: string }).token;

    const measures: LoadMeasure[] = [];
    for (let i = 0; i < loads; i += 1) {
      const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
      await context.addInitScript((t: string) => sessionStorage.setItem('sipas-supervisor-token', t), token);
      const page = await context.newPage();
      await page.goto(`/supervisor/?round=${roundId}`);
      await page.waitForFunction(() => performance.getEntriesByName('sipas:overview-drawn').length > 0, undefined, { timeout: 60_000 });
      measures.push(
        await page.evaluate(() => {
          // No named functions in here: the bench runs through tsx, whose helper for them the page does not have.
          const drawnAt = performance.getEntriesByName('sipas:overview-drawn')[0]?.startTime ?? NaN;
          const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
          const bundle = resources.find((r) => r.name.endsWith('/supervisor/app.js'));
          return {
            firstRender: drawnAt,
            appStart: performance.getEntriesByName('sipas:supervisor-start')[0]?.startTime ?? NaN,
            bundle: { ms: bundle ? bundle.responseEnd - bundle.startTime : NaN, bytes: bundle?.encodedBodySize ?? NaN },
            api: resources
              .filter((r) => r.name.includes('/api/v1/') && r.startTime < drawnAt)
              .map((r) => ({ path: new URL(r.name).pathname.replace(/rounds\/[^/]+/, 'rounds/:id'), ms: r.responseEnd - r.startTime, bytes: r.encodedBodySize })),
          };
        }),
      );
      if (i < loads - 1) await context.close();
      else {
        // Updates: responses arrive in two provinces, three times; the page reads only what changed.
        await page.evaluate(() => {
          const w = window as unknown as { longTasks: number[] };
          w.longTasks = [];
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
          }).observe({ type: 'longtask' });
          performance.clearResourceTimings();
        });
        for (let round = 0; round < 3; round += 1) {
          const batch = [
            ...Array.from({ length: 20 }, () => makeResponse(roundId, '01', makeAnswers(4), { formId: 'sipas-2017' })),
            ...Array.from({ length: 5 }, () => makeResponse(roundId, '79', makeAnswers(5), { formId: 'sipas-2017' })),
          ];
          await fetch(`${base}/api/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ responses: batch }) });
          await page.waitForTimeout(7_000);
        }
        const during = await page.evaluate(() => ({
          longTasks: (window as unknown as { longTasks: number[] }).longTasks,
          reads: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.name.includes('/api/v1/')).map((r) => ({ path: new URL(r.name).pathname, bytes: r.encodedBodySize })),
        }));
        const progressBytes = during.reads.filter((r) => r.path.endsWith('/quota-progress')).map((r) => r.bytes);
        console.log(
          `  during updates (3 arrivals in 2 provinces, 21 s): long tasks ${during.longTasks.length} (longest ${Math.round(Math.max(0, ...during.longTasks))} ms; target none over 200 ms); ` +
            `${during.reads.length} API reads, progress reads of median ${median(progressBytes).toFixed(0)} bytes`,
        );
        await context.close();
      }
    }
    const fmt = (n: number): string => n.toFixed(0);
    console.log(`overview: national overview of the demo round, ${loads} fresh loads (medians)`);
    console.log(`  first render (navigation → provinces drawn): ${fmt(median(measures.map((m) => m.firstRender)))} ms (target < 1000; loads: ${measures.map((m) => fmt(m.firstRender)).join(', ')})`);
    console.log(`  bundle: ${fmt(median(measures.map((m) => m.bundle.bytes)))} bytes, fetched in ${fmt(median(measures.map((m) => m.bundle.ms)))} ms; app's first line at ${fmt(median(measures.map((m) => m.appStart)))} ms`);
    const paths = [...new Set(measures.flatMap((m) => m.api.map((a) => a.path)))];
    for (const p of paths) {
      const replies = measures.flatMap((m) => m.api.filter((a) => a.path === p));
      console.log(`  ${p}: ${fmt(median(replies.map((a) => a.ms)))} ms, ${fmt(median(replies.map((a) => a.bytes)))} bytes (${replies.length} replies before the first render)`);
    }
  } finally {
    await browser.close();
    await web.stop();
    await redis?.stop();
  }
}

/**
 * Public reads while the API is busy: the results site's replies (the latest release, its province
 * ranking table) read by 20 concurrent clients, first on an idle API, then while four clients keep
 * submitting 100-response batches through the same process with the worker checking and counting
 * them. `GET /me` is measured beside them as the baseline of a request that reads almost nothing.
 * Prints replies per second and median latency of each, and the ratios busy ÷ idle measured in the
 * same run: public reads read frozen release data only, so they should slow no more than `GET /me`.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { startWebServer } from '../server/main';
import { loadFormCatalogue } from '../survey-forms/catalogue';
import { surveyFormsDir } from '../survey-forms/paths';
import { loadProvinceReference } from '../survey-forms/provinces';
import { createRandom, syntheticAnswers } from '../survey-forms/synthetic-answers';
import { startWorker } from '../workers/main';
import { apiCaller, benchConfig, openBenchRound } from './bench-api';
import { redisForBench } from './bench-redis';

const READERS = 20;
const WINDOW_MS = 5000;
const WRITERS = 4;
const BATCH = 100;

interface Load {
  perSecond: number;
  medianMs: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

export async function runPublicReadsBench(uri: string, seeded: number): Promise<void> {
  const bench = await redisForBench('public reads');
  if (!bench) return;
  const { url: redisUrl, started: redis } = bench;
  const suffix = randomUUID().slice(0, 8);
  const config = benchConfig(uri, redisUrl, 'public', suffix);
  const logger = pino({ level: 'silent' });
  const web = await startWebServer(config, logger);
  const worker = await startWorker(config, logger);
  const base = `http://127.0.0.1:${web.port}`;
  const call = apiCaller(base);
  const expect = <T>(reply: { status: number; body: T }, status: number, what: string): T => {
    if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const user = async (admin: string, role: 'admin' | 'analyst'): Promise<string> => {
    const username = `bench-${role}-${suffix}`;
    const password = `bench-${role}-${randomUUID()}`;
    expect(await call('POST', '/api/v1/users', admin, { username, password, role }), 201, `creating the ${role}`);
    return expect(await call<{ token: string }>('POST', '/api/v1/auth/login', null, { username, password }), 200, `logging in as ${role}`).token;
  };

  try {
    const roundId = `bench-public-${suffix}`;
    const admin = await openBenchRound(call, roundId);
    const approver = await user(admin, 'admin');
    const analyst = await user(admin, 'analyst');
    const form = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1')!;
    const codes = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces')).provinces(63).map((p) => p.code);
    const random = createRandom(11);
    let made = 0;
    const batch = () =>
      Array.from({ length: BATCH }, () => {
        // 20-minute interviews 25 minutes apart: never too fast, never overlapping.
        const startedAt = new Date(Date.UTC(2024, 8, 1, 1, 0) + made * 25 * 60_000);
        const item = {
          id: randomUUID(),
          roundId,
          formId: 'sipas-2017',
          formVersion: '1',
          provinceCode: codes[made % codes.length],
          answers: syntheticAnswers(form, random, { satisfied: 0.8 }),
          paradata: { startedAt: startedAt.toISOString(), endedAt: new Date(startedAt.getTime() + 20 * 60_000).toISOString(), appVersion: 'bench' },
        };
        made += 1;
        return item;
      });
    const submit = async () => expect(await call('POST', '/api/v1/responses', admin, { responses: batch() }), 200, 'submitting');

    // The release: responses counted, frozen by the analyst, approved by another administrator, past its embargo.
    while (made < seeded) await submit();
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const n = (await call<{ responses?: number }>('GET', `/api/v1/rounds/${roundId}/aggregates?by=national&fields=group,n`, admin)).body?.responses ?? 0;
      if (n >= seeded) break;
      if (Date.now() > deadline) throw new Error(`the figures counted ${n} of ${seeded} responses after ten minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const release = expect(await call<{ releaseId: string }>('POST', `/api/v1/rounds/${roundId}/releases`, analyst, {}), 201, 'preparing the release');
    const embargoUntil = new Date(Date.now() + 1500);
    expect(await call('POST', `/api/v1/releases/${release.releaseId}/approve`, approver, { embargoUntil: embargoUntil.toISOString() }), 200, 'approving the release');
    await new Promise((r) => setTimeout(r, embargoUntil.getTime() - Date.now() + 200));
    expect(await call('GET', '/api/v1/public/releases/latest', null), 200, 'the public release');

    const load = async (url: string, token: string | null): Promise<Load> => {
      const times: number[] = [];
      const end = performance.now() + WINDOW_MS;
      await Promise.all(
        Array.from({ length: READERS }, async () => {
          while (performance.now() < end) {
            const started = performance.now();
            const res = await fetch(base + url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
            times.push(performance.now() - started);
          }
        }),
      );
      return { perSecond: (times.length / WINDOW_MS) * 1000, medianMs: median(times) };
    };
    const targets: Array<[string, string, string | null]> = [
      ['public latest release', '/api/v1/public/releases/latest', null],
      ['public ranking table', `/api/v1/public/releases/${release.releaseId}/tables`, null],
      ['GET /me (baseline)', '/api/v1/me', admin],
    ];
    const idle = new Map<string, Load>();
    for (const [name, url, token] of targets) idle.set(name, await load(url, token));

    let writing = true;
    let written = 0;
    const writers = Array.from({ length: WRITERS }, async () => {
      while (writing) {
        await submit();
        written += BATCH;
      }
    });
    const busy = new Map<string, Load>();
    try {
      for (const [name, url, token] of targets) busy.set(name, await load(url, token));
    } finally {
      writing = false;
      await Promise.all(writers);
    }

    console.log(`public reads: ${READERS} concurrent readers for ${WINDOW_MS / 1000} s each, a release of ${seeded.toLocaleString('en')} responses; busy = ${WRITERS} clients submitting ${BATCH}-response batches (${written.toLocaleString('en')} accepted meanwhile), worker running`);
    for (const [name] of targets) {
      const a = idle.get(name)!;
      const b = busy.get(name)!;
      console.log(
        `  ${name}: idle ${a.perSecond.toFixed(0)}/s median ${a.medianMs.toFixed(1)} ms; busy ${b.perSecond.toFixed(0)}/s median ${b.medianMs.toFixed(1)} ms; ` +
          `throughput busy ÷ idle ${(b.perSecond / a.perSecond).toFixed(2)}`,
      );
    }
    const meRatio = busy.get('GET /me (baseline)')!.perSecond / idle.get('GET /me (baseline)')!.perSecond;
    const publicRatio = busy.get('public latest release')!.perSecond / idle.get('public latest release')!.perSecond;
    console.log(`  public latest release keeps ${(publicRatio / meRatio).toFixed(2)}× the share of its idle throughput that GET /me keeps (target ≥ 0.8: it reads no more than frozen data)`);
  } finally {
    await worker.stop();
    await web.deps.connection.db?.dropDatabase().catch(() => undefined);
    await web.stop();
    await redis?.stop();
  }
}

/**
 * Freshness: under a steady stream of submissions through the real API, with the real worker, the
 * time from a response's acceptance (its 2xx) to the aggregates counting it. A poller reads the
 * round's figures through the API every few milliseconds; the k-th accepted response takes effect
 * when the figures first count k responses. Prints the median and the 95th percentile (target < 1 s at 50 responses/s).
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

const POLL_MS = 20;

export async function runFreshnessBench(uri: string, responses: number, perSecond: number): Promise<void> {
  const bench = await redisForBench('freshness');
  if (!bench) return;
  const { url: redisUrl, started: redis } = bench;
  const suffix = randomUUID().slice(0, 8);
  const config = benchConfig(uri, redisUrl, 'fresh', suffix);
  const logger = pino({ level: 'silent' });
  const web = await startWebServer(config, logger);
  const worker = await startWorker(config, logger);
  const base = `http://127.0.0.1:${web.port}`;
  const call = apiCaller(base);
  try {
    const roundId = `bench-fresh-${suffix}`;
    const token = await openBenchRound(call, roundId);
    const form = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1')!;
    const codes = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces')).provinces(63).map((p) => p.code);
    const random = createRandom(7);

    const accepted: number[] = [];
    const effective: number[] = [];
    let counted = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const reply = await call<{ responses: number }>('GET', `/api/v1/rounds/${roundId}/aggregates?by=national&fields=group,n`, token);
        const now = performance.now();
        const n = reply.body?.responses ?? 0;
        while (counted < n) {
          effective[counted] = now;
          counted += 1;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();

    const start = performance.now();
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < responses; i += 1) {
      const due = start + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // 20-minute interviews 25 minutes apart: long enough, and never overlapping, as the quality checks want.
      const startedAt = new Date(Date.UTC(2024, 8, 1, 1, 0) + i * 25 * 60_000);
      const item = {
        id: randomUUID(),
        roundId,
        formId: 'sipas-2017',
        formVersion: '1',
        provinceCode: codes[i % codes.length],
        answers: syntheticAnswers(form, random, { satisfied: 0.8 }),
        paradata: { startedAt: startedAt.toISOString(), endedAt: new Date(startedAt.getTime() + 20 * 60_000).toISOString(), appVersion: 'bench' },
      };
      sends.push(
        call<{ results: Array<{ status: string }> }>('POST', '/api/v1/responses', token, { responses: [item] }).then((reply) => {
          if (reply.status !== 200 || reply.body.results[0]?.status !== 'accepted') throw new Error(`a response was refused (${reply.status})`);
          accepted.push(performance.now());
        }),
      );
    }
    await Promise.all(sends);
    const deadline = performance.now() + 60_000;
    while (counted < responses && performance.now() < deadline) await new Promise((r) => setTimeout(r, POLL_MS));
    polling = false;
    await poller;
    if (counted < responses) throw new Error(`the figures counted ${counted} of ${responses} responses a minute after the last was accepted`);

    accepted.sort((a, b) => a - b);
    const delays = accepted.map((t, k) => Math.max(0, (effective[k] as number) - t)).sort((a, b) => a - b);
    const quantile = (q: number): number => delays[Math.min(delays.length - 1, Math.ceil(q * delays.length) - 1)] as number;
    console.log(`freshness: ${responses} responses, one per request at ${perSecond}/s through the API, worker aggregating; figures polled every ${POLL_MS} ms`);
    console.log(`  accepted → counted in the aggregates: median ${(quantile(0.5) / 1000).toFixed(2)} s, p95 ${(quantile(0.95) / 1000).toFixed(2)} s, max ${(quantile(1) / 1000).toFixed(2)} s (target p95 < 1 s)`);
  } finally {
    await worker.stop();
    await web.deps.connection.db?.dropDatabase().catch(() => undefined);
    await web.stop();
    await redis?.stop();
  }
}

/**
 * Scale: what must cost the same whatever the round's size, measured at a small and a large size in
 * one run (medians, ratios), through the real API on one process:
 *
 * - aggregates read at the small and the large size (target ratio ≤ 1.2), then 20 concurrent readers
 *   of the aggregates against 20 concurrent `GET /me` on the same process (target ≥ 0.5×);
 * - the quality checks of a 500-response batch at both sizes (target ratio ≤ 1.2); printed beside a
 *   calibration — one lookup on a secondary index at both sizes — since the checks can be no flatter
 *   than the database's index lookups (≈ 1 where the server walks the index);
 * - ingest: 500-item batches through `POST /responses` against raw `insertMany` of the same documents
 *   into the same collection (target ≥ 0.7×).
 *
 * Responses are seeded with raw inserts (90% clear, 5% flagged, 3% approved, 2% rejected; 400
 * enumerators interviewing one after another). BENCH_SCALE_SMALL (10,000) and BENCH_SCALE_LARGE
 * (200,000 by default so that seeding takes a few minutes on a small machine; set 1000000 for 1M).
 * BENCH_SCALE_PARTS (read,quality,ingest) picks the measurements; the quality checks run on a
 * connection of their own without the API's per-request time bound, as the worker's do.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import pino from 'pino';
import { createRepositories } from '../server/deps';
import { startWebServer } from '../server/main';
import { recomputeRound } from '../server/modules/aggregates/aggregation.service';
import { checkResponses } from '../server/modules/quality/quality.service';
import { contentHashOf } from '../server/modules/responses/content-hash';
import { loadFormCatalogue } from '../survey-forms/catalogue';
import { surveyFormsDir } from '../survey-forms/paths';
import { loadProvinceReference } from '../survey-forms/provinces';
import { DEFAULT_QUALITY_THRESHOLDS, interviewLengthClass } from '../survey-forms/quality-rules';
import { createRandom, syntheticAnswers } from '../survey-forms/synthetic-answers';
import { apiCaller, benchConfig, openBenchRound } from './bench-api';
import { redisForBench } from './bench-redis';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const ms = (start: number): number => performance.now() - start;
const fmt = (n: number): string => n.toLocaleString('en');

export async function runScaleBench(uri: string, small: number, large: number): Promise<void> {
  const bench = await redisForBench('scale');
  if (!bench) return;
  const { url: redisUrl, started: redis } = bench;
  const suffix = randomUUID().slice(0, 8);
  const config = benchConfig(uri, redisUrl, 'scale', suffix);
  const web = await startWebServer(config, pino({ level: 'silent' }));
  const base = `http://127.0.0.1:${web.port}`;
  const call = apiCaller(base);
  const responsesCollection = web.deps.connection.collection('responses');
  const parts = new Set((process.env.BENCH_SCALE_PARTS ?? 'read,quality,ingest').split(',').map((p) => p.trim()));
  // Seeding and the quality checks go through a connection without the API's per-request time bound, as the worker's.
  const workerConnection = await mongoose.createConnection(uri, { dbName: config.MONGODB_DB }).asPromise();
  const seedCollection = workerConnection.collection('responses');
  try {
    const roundId = `bench-scale-${suffix}`;
    const token = await openBenchRound(call, roundId);
    const form = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1')!;
    const codes = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces')).provinces(63).map((p) => p.code);
    const random = createRandom(11);
    const answersPool = Array.from({ length: 2000 }, () => syntheticAnswers(form, random, { satisfied: 0.8 }));

    // Item i: enumerator i % 400, their (i / 400)-th interview, 20 minutes each, 25 minutes apart: nothing overlaps.
    const ENUMERATORS = 400;
    const itemOf = (i: number) => {
      const startedAt = new Date(Date.UTC(2024, 7, 1) + Math.floor(i / ENUMERATORS) * 25 * 60_000);
      return {
        id: randomUUID(),
        roundId,
        formId: 'sipas-2017',
        formVersion: '1',
        provinceCode: codes[i % codes.length] as string,
        answers: answersPool[i % answersPool.length] as Record<string, unknown>,
        paradata: { startedAt: startedAt.toISOString(), endedAt: new Date(startedAt.getTime() + 20 * 60_000).toISOString(), appVersion: 'bench' },
      };
    };
    const storedOf = (i: number, reviewStatus: string, submittedBy = `enum-${i % ENUMERATORS}`) => {
      const item = itemOf(i);
      const startedAt = new Date(item.paradata.startedAt);
      const endedAt = new Date(item.paradata.endedAt);
      const roll = i % 100;
      const status = reviewStatus !== 'seed' ? reviewStatus : roll < 90 ? 'clear' : roll < 95 ? 'flagged' : roll < 98 ? 'approved' : 'rejected';
      const { id, ...rest } = item;
      return {
        _id: id,
        ...rest,
        sampleUnitId: null,
        contentHash: contentHashOf(item),
        submittedBy,
        storedAt: new Date(),
        interviewStartedAt: startedAt,
        interviewEndedAt: endedAt,
        interviewLengthClass: interviewLengthClass(startedAt, endedAt),
        reviewStatus: status,
        qualityFlags: [],
        checkedAt: status === 'unchecked' ? null : new Date(),
        review: null,
      };
    };
    let seeded = 0;
    const seedTo = async (n: number): Promise<number> => {
      const started = performance.now();
      while (seeded < n) {
        const count = Math.min(5000, n - seeded);
        await seedCollection.insertMany(Array.from({ length: count }, (_, k) => storedOf(seeded + k, 'seed')) as never[], { ordered: false });
        seeded += count;
      }
      return ms(started) / 1000;
    };

    const aggregatesUrl = `/api/v1/rounds/${roundId}/aggregates?by=province`;
    const readMedian = async (): Promise<number> => {
      const times: number[] = [];
      for (let k = 0; k < 25; k += 1) {
        const started = performance.now();
        const reply = await call('GET', aggregatesUrl, token);
        if (reply.status !== 200) throw new Error(`aggregates read failed (${reply.status})`);
        times.push(ms(started));
      }
      return median(times);
    };
    const qualityDeps = { ...createRepositories(workerConnection), forms: web.deps.forms, thresholds: DEFAULT_QUALITY_THRESHOLDS };
    const round = (await web.deps.repos.rounds.findById(roundId))!;
    let batchNo = 0;
    /** One fresh 500-response batch of unchecked responses, the latest interviews of 50 enumerators, checked as the worker checks it. */
    const qualityMedian = async (): Promise<number> => {
      const times: number[] = [];
      for (let run = 0; run < 3; run += 1) {
        batchNo += 1;
        const docs = Array.from({ length: 500 }, (_, k) => storedOf(10_000_000 + batchNo * 500 + k, 'unchecked', `enum-${k % 50}`));
        await responsesCollection.insertMany(docs as never[]);
        const started = performance.now();
        const outcome = await checkResponses(qualityDeps, round, docs.map((d) => d._id), `bench-${batchNo}`);
        times.push(ms(started));
        if (outcome.checked !== 500) throw new Error(`checked ${outcome.checked} of 500`);
      }
      return median(times);
    };
    /** A lookup on a secondary index that finds nothing: what the database charges for walking an index. */
    const indexLookupMedian = async (): Promise<number> => {
      const times: number[] = [];
      for (let k = 0; k < 7; k += 1) {
        const started = performance.now();
        await responsesCollection.find({ roundId, sampleUnitId: `none-${k}` }).toArray();
        times.push(ms(started));
      }
      return median(times);
    };

    const seedSmall = await seedTo(small);
    // Figures and review counts computed once, as the worker would: the read then reads what is stored.
    await recomputeRound({ ...web.deps.repos, forms: web.deps.forms, definitions: web.deps.definitions, provinces: web.deps.provinces }, { roundId, requestedBy: 'bench' }, () => Promise.resolve());
    const readSmall = parts.has('read') ? await readMedian() : NaN;
    const qualitySmall = parts.has('quality') ? await qualityMedian() : NaN;
    const lookupSmall = parts.has('quality') ? await indexLookupMedian() : NaN;

    const seedLarge = await seedTo(large);
    const readLarge = parts.has('read') ? await readMedian() : NaN;
    const qualityLarge = parts.has('quality') ? await qualityMedian() : NaN;
    const lookupLarge = parts.has('quality') ? await indexLookupMedian() : NaN;

    const throughput = async (url: string, readers: number, seconds: number): Promise<number> => {
      let replies = 0;
      const until = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: readers }, async () => {
          while (performance.now() < until) {
            const reply = await call('GET', url, token);
            if (reply.status !== 200) throw new Error(`${url} failed (${reply.status})`);
            replies += 1;
          }
        }),
      );
      return replies / seconds;
    };
    const concurrentAggregates = parts.has('read') ? await throughput(aggregatesUrl, 20, 5) : NaN;
    const concurrentMe = parts.has('read') ? await throughput('/api/v1/me', 20, 5) : NaN;

    // Ingest: alternate a batch through the API and a raw insertMany of the same kind of documents.
    const apiTimes: number[] = [];
    const rawTimes: number[] = [];
    for (let run = 0; parts.has('ingest') && run < 7; run += 1) {
      const items = Array.from({ length: 500 }, (_, k) => itemOf(20_000_000 + run * 500 + k));
      let started = performance.now();
      const reply = await call('POST', '/api/v1/responses', token, { responses: items });
      apiTimes.push(ms(started));
      const results = (reply.body as { results: Array<{ status: string }> }).results;
      if (results.some((r) => r.status !== 'accepted')) throw new Error('an ingest item was not accepted');
      const raw = Array.from({ length: 500 }, (_, k) => storedOf(30_000_000 + run * 500 + k, 'unchecked'));
      started = performance.now();
      await responsesCollection.insertMany(raw as never[], { ordered: false });
      rawTimes.push(ms(started));
    }

    console.log(`scale: one API process, responses seeded ${fmt(small)} (${seedSmall.toFixed(0)} s) then ${fmt(large)} (${seedLarge.toFixed(0)} s) in one round; medians`);
    if (parts.has('read')) {
      console.log(`  aggregates read (by=province): ${readSmall.toFixed(1)} ms at ${fmt(small)}, ${readLarge.toFixed(1)} ms at ${fmt(large)}: ratio ${(readLarge / readSmall).toFixed(2)} (target ≤ 1.2)`);
      console.log(
        `  20 concurrent readers at ${fmt(large)}: aggregates ${concurrentAggregates.toFixed(0)}/s, GET /me ${concurrentMe.toFixed(0)}/s: ratio ${(concurrentAggregates / concurrentMe).toFixed(2)} (target ≥ 0.5)`,
      );
    }
    if (parts.has('quality')) {
      console.log(`  quality checks of a 500 batch: ${qualitySmall.toFixed(0)} ms at ${fmt(small)}, ${qualityLarge.toFixed(0)} ms at ${fmt(large)}: ratio ${(qualityLarge / qualitySmall).toFixed(2)} (target ≤ 1.2)`);
      console.log(
        `    calibration, one secondary-index lookup: ${lookupSmall.toFixed(1)} ms at ${fmt(small)}, ${lookupLarge.toFixed(1)} ms at ${fmt(large)}: ratio ${(lookupLarge / lookupSmall).toFixed(2)} (≈ 1 when this MongoDB walks its indexes; far above 1, it scans and no query can be flat)`,
      );
    }
    if (parts.has('ingest')) {
      console.log(
        `  ingest of 500-item batches: API ${median(apiTimes).toFixed(0)} ms, raw insertMany ${median(rawTimes).toFixed(0)} ms: API at ${(median(rawTimes) / median(apiTimes)).toFixed(2)}× raw throughput (target ≥ 0.7)`,
      );
    }
  } finally {
    await web.deps.connection.db?.dropDatabase().catch(() => undefined);
    await workerConnection.close();
    await web.stop();
    await redis?.stop();
  }
}

/**
 * The aggregation pipeline at two round sizes (BENCH_PIPELINE_SMALL, default 10,000, and
 * BENCH_PIPELINE_LARGE, default 200,000 — set it to 1000000 for the census-scale figure; building a
 * round of 1M on the shared test machine takes longer than a few minutes):
 *
 * - worker cost of one 500-response batch: its quality check, adding its tally delta, and the
 *   round's figure computation, median of BENCH_PIPELINE_RUNS (5) batches; ratio large ÷ small
 *   (target ≤ 1.2). The tally-and-figures part is printed apart from the quality check's.
 * - full recompute of the large round (parallel re-tally of every province, then the figures)
 *   against a bare parallel read of the same responses with the same concurrency; ratio (target ≤ 1.5).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadFormCatalogue, loadIndexDefinitionCatalogue } from '../survey-forms/catalogue';
import { DEFAULT_QUALITY_THRESHOLDS } from '../survey-forms/quality-rules';
import { indexDefinitionsDir, surveyFormsDir } from '../survey-forms/paths';
import { loadProvinceReference } from '../survey-forms/provinces';
import { createRandom, syntheticAnswers } from '../survey-forms/synthetic-answers';
import { createRepositories } from '../server/deps';
import { computeFigures, loadRoundMethod, recomputeRound, type AggregationDeps } from '../server/modules/aggregates/aggregation.service';
import { countCheckedBatch } from '../server/modules/aggregates/tally-changes.service';
import { checkBatch } from '../server/modules/quality/quality.service';
import { responseModelOn } from '../server/modules/responses/response.model';

const forms = loadFormCatalogue(surveyFormsDir());
const definitions = loadIndexDefinitionCatalogue(indexDefinitionsDir(), forms);
const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
const form = forms.get('sipas-2017', '1')!;
const codes = provinces.provinces(63).map((p) => p.code);
const ROUND = 'bench-pipeline';
const CONCURRENCY = 4;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const time = async (run: () => Promise<unknown>): Promise<number> => {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

/** Responses as the API stores them; `status` clear for the stored round, unchecked for a new batch. */
function responseDocs(count: number, offset: number, status: 'clear' | 'unchecked', provinceOf: (i: number) => string, answers: Array<Record<string, unknown>>) {
  return Array.from({ length: count }, (_, i) => {
    const k = offset + i;
    // 500 responses per enumerator, 25 minutes apart: a batch is one enumerator's, and the overlap rule finds nothing, as in a clean round.
    const start = new Date(Date.UTC(2024, 8, 1) + k * 25 * 60_000);
    return {
      _id: randomUUID(),
      roundId: ROUND,
      formId: 'sipas-2017',
      formVersion: '1',
      provinceCode: provinceOf(k),
      answers: answers[k % answers.length],
      paradata: { startedAt: start.toISOString(), endedAt: new Date(start.getTime() + 20 * 60_000).toISOString(), appVersion: 'bench' },
      sampleUnitId: null,
      contentHash: 'bench',
      submittedBy: `bench-${Math.floor(k / 500)}`,
      storedAt: new Date(),
      interviewStartedAt: start,
      interviewEndedAt: new Date(start.getTime() + 20 * 60_000),
      reviewStatus: status,
      qualityFlags: [],
      checkedAt: status === 'clear' ? new Date() : null,
    };
  });
}

async function measureSize(uri: string, size: number, runs: number, withRecompute: boolean) {
  const dbName = `sipas_bench_pipe_${randomUUID().slice(0, 8)}`;
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  try {
    const repos = createRepositories(connection);
    await responseModelOn(connection).createIndexes();
    const definition = definitions.defaultFor('sipas-2017', '1')!;
    await repos.rounds.insert({
      id: ROUND, year: 2024, formId: 'sipas-2017', formVersion: '1', boundaryEdition: 63, fieldworkStart: '2024-08-01', fieldworkEnd: '2024-12-15',
      status: 'open', createdAt: new Date(), createdBy: 'bench', indexDefinitionId: definition.definition.definitionId, indexDefinitionVersion: definition.definition.version, previousRoundId: null, modes: ['capi'], doubleEntryShare: 0,
    });
    const random = createRandom(11);
    const pool = Array.from({ length: 5000 }, () => syntheticAnswers(form, random, { satisfied: 0.75 + 0.2 * random() }));
    const collection = connection.db!.collection<{ _id: string }>('responses');
    const seedStart = Date.now();
    for (let done = 0; done < size; done += 5000) await collection.insertMany(responseDocs(Math.min(5000, size - done), done, 'clear', (k) => codes[k % codes.length] as string, pool), { ordered: false });
    const seedMs = Date.now() - seedStart;

    const deps: AggregationDeps = { rounds: repos.rounds, tallyFeed: repos.tallyFeed, tallies: repos.tallies, aggregates: repos.aggregates, forms, definitions, provinces, recomputeConcurrency: CONCURRENCY };
    const recomputeTimes: number[] = [];
    const readTimes: number[] = [];
    // The first recompute builds the tallies the batches add to; with `withRecompute`, alternate it with a bare read.
    recomputeTimes.push(await time(() => recomputeRound(deps, { roundId: ROUND, requestedBy: 'bench' }, () => Promise.resolve())));
    for (let run = 0; withRecompute && run < 2; run += 1) {
      readTimes.push(
        await time(async () => {
          let next = 0;
          await Promise.all(
            Array.from({ length: CONCURRENCY }, async () => {
              while (next < codes.length) {
                const code = codes[next] as string;
                next += 1;
                for await (const response of repos.tallyFeed.streamForTally(ROUND, code)) void response;
              }
            }),
          );
        }),
      );
      recomputeTimes.push(await time(() => recomputeRound(deps, { roundId: ROUND, requestedBy: 'bench' }, () => Promise.resolve())));
    }

    const method = await loadRoundMethod(deps, ROUND);
    const tallyTimes: number[] = [];
    const wholeTimes: number[] = [];
    for (let run = 0; run < runs + 1; run += 1) {
      const province = codes[(run * 17) % codes.length] as string;
      const batch = responseDocs(500, size + run * 500, 'unchecked', () => province, pool);
      await collection.insertMany(batch, { ordered: false });
      let tallyMs = 0;
      const whole = await time(async () => {
        await checkBatch(
          {
            rounds: repos.rounds, responses: repos.responses, qualityChecks: repos.qualityChecks, sampleContacts: repos.sampleContacts, provinceAreas: repos.provinceAreas,
            forms, thresholds: DEFAULT_QUALITY_THRESHOLDS, jobs: undefined as never,
            countChecked: async (b) => {
              let outcome = { checkedByBatch: 0, counted: 0 };
              tallyMs += await time(async () => (outcome = await countCheckedBatch(deps, b)));
              return outcome;
            },
          },
          { roundId: ROUND, responseIds: batch.map((d) => d._id) },
        );
        tallyMs += await time(() => computeFigures(deps, method));
      });
      // The first batch warms up the plan and the connection.
      if (run > 0) {
        wholeTimes.push(whole);
        tallyTimes.push(tallyMs);
      }
    }
    return { seedMs, recompute: median(recomputeTimes.slice(withRecompute ? 1 : 0)), read: readTimes.length ? median(readTimes) : NaN, whole: median(wholeTimes), tally: median(tallyTimes) };
  } finally {
    await connection.db?.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

export async function runPipelineBench(uri: string): Promise<void> {
  const small = Number(process.env.BENCH_PIPELINE_SMALL ?? 10_000);
  const large = Number(process.env.BENCH_PIPELINE_LARGE ?? 200_000);
  const runs = Number(process.env.BENCH_PIPELINE_RUNS ?? 5);
  const s = await measureSize(uri, small, runs, false);
  const l = await measureSize(uri, large, runs, true);
  const fmt = (n: number) => n.toLocaleString('en');
  console.log(`aggregation pipeline: round of ${fmt(small)} vs ${fmt(large)} stored responses (sipas-2017, 63 provinces), medians of ${runs} batches of 500`);
  if (large < 1_000_000) console.log(`  (large round ${fmt(large)}, not 1,000,000: building 1M on this machine takes longer than a few minutes; BENCH_PIPELINE_LARGE=1000000 runs it)`);
  console.log(`  worker per batch (quality check + tally delta + figures): ${s.whole.toFixed(0)} ms vs ${l.whole.toFixed(0)} ms — ratio ${(l.whole / s.whole).toFixed(2)} (target ≤ 1.2)`);
  console.log(`    of which tally delta + figures: ${s.tally.toFixed(0)} ms vs ${l.tally.toFixed(0)} ms — ratio ${(l.tally / s.tally).toFixed(2)}`);
  console.log(`  full recompute of ${fmt(large)}: ${(l.recompute / 1000).toFixed(1)} s; bare parallel read of the same responses (${CONCURRENCY} provinces at once): ${(l.read / 1000).toFixed(1)} s — ratio ${(l.recompute / l.read).toFixed(2)} (target ≤ 1.5)`);
  console.log(`  (inserting the rounds took ${(s.seedMs / 1000).toFixed(0)} s and ${(l.seedMs / 1000).toFixed(0)} s)`);
}

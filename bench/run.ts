/**
 * Three sections, each in a process of its own so that one's memory never counts in another's:
 *
 * - engine: the index engine over 1,000,000 responses × 30 satisfaction items, against a plain
 *   single-pass loop that only counts satisfied answers (the floor any tally must pay). Prints answers
 *   per second, the ratio engine ÷ loop (target ≤ 3) with responses coming province by province as
 *   the worker reads them, the same ratio with provinces mixed at random (the worst case for memory
 *   locality), and peak memory. Medians of several alternating runs, since the machine is shared.
 * - microdata: the microdata export of generated responses against reading the same cursor
 *   (bench/microdata.ts). Needs MongoDB.
 * - freshness: from an accepted response to its effect on the aggregates (bench/freshness.ts).
 *   Needs MongoDB and Redis.
 * - scale: aggregates read, quality checks of a batch and ingest at two round sizes (bench/scale.ts;
 *   BENCH_SCALE_SMALL, BENCH_SCALE_LARGE). Needs MongoDB and Redis.
 *
 * MongoDB: MONGODB_URI, else mongodb-memory-server, else those two sections are skipped with one loud line.
 *
 *   npm run bench                 # every section: 1,000,000 responses, 5 engine runs
 *   npm run bench -- 200000 3     # engine: responses, runs
 *   BENCH_SECTIONS=microdata,freshness BENCH_MICRODATA_RESPONSES=200000 npm run bench
 *
 * Other variables: BENCH_MICRODATA_RUNS (2), BENCH_MICRODATA_BATCH (cursor batch, 1000), BENCH_MICRODATA_HEAP_MB (128; 0: V8's own limit),
 * BENCH_FRESHNESS_RESPONSES (1500), BENCH_FRESHNESS_RATE (responses per second, 50);
 * pipeline (bench/pipeline.ts): BENCH_PIPELINE_SMALL (10000), BENCH_PIPELINE_LARGE (200000), BENCH_PIPELINE_RUNS (5).
 * overview (bench/overview.ts): the supervisor's national overview in Chromium, median first render (target < 1 s) and long
 * tasks during updates; BENCH_OVERVIEW_LOADS (7), BENCH_OVERVIEW_RESPONSES (3000). Needs MongoDB, Redis and Chromium.
 * public-reads (bench/public-reads.ts): the results site's API read by 20 clients, idle and while batches are submitted,
 * against GET /me; BENCH_PUBLIC_RESPONSES (2000). Needs MongoDB and Redis.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { compileForm } from '../survey-forms/form';
import type { FormDefinition } from '../survey-forms/form-definition.schema';
import { compileIndexDefinition } from '../survey-forms/index-definition';
import type { IndexDefinition } from '../survey-forms/index-definition.schema';
import { computeRoundFigures, dimensionCodesOf } from '../survey-forms/index-engine/round-figures';
import { surveyFormsDir } from '../survey-forms/paths';
import { loadProvinceReference } from '../survey-forms/provinces';
import { createRandom, syntheticAnswers } from '../survey-forms/synthetic-answers';
import { createTallier, type TalliedResponse } from '../survey-forms/tally';
import { startEmbeddedMongo } from '../scripts/local-services';
import { runFreshnessBench } from './freshness';
import { runMicrodataBench, seedMicrodataBench } from './microdata';
import { runOverviewBench } from './overview';
import { runPipelineBench } from './pipeline';
import { runPublicReadsBench } from './public-reads';
import { runScaleBench } from './scale';

const RESPONSES = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 5);
const ITEMS = 30;
const ELEMENTS = 6;
/** Distinct responses held in memory; the run cycles through them so memory measures the engine, not the input. */
const POOL = 20_000;

const text = (vi: string) => ({ vi, en: vi });
const itemIds = Array.from({ length: ITEMS }, (_, i) => `q${String(i + 1).padStart(2, '0')}`);

const formDefinition: FormDefinition = {
  formId: 'bench',
  version: '1',
  status: 'draft',
  title: text('Benchmark'),
  method: { decision: 'bench', description: text('30 satisfaction items in 6 elements') },
  scales: {
    satisfaction: {
      kind: 'satisfaction',
      positiveCodes: [4, 5],
      options: [1, 2, 3, 4, 5].map((code) => ({ code, label: text(String(code)) })),
      notApplicable: { code: 9, label: text('Không áp dụng') },
    },
  },
  codeLists: {
    respondentType: [1, 2].map((code) => ({ code, label: text(String(code)) })),
    servingLevel: [1, 2, 3].map((code) => ({ code, label: text(String(code)) })),
    serviceField: Array.from({ length: 16 }, (_, i) => ({ code: i + 1, label: text(String(i + 1)) })),
  },
  dimensions: { respondentType: 'respondent_type', servingLevel: 'serving_level', serviceField: 'service_field' },
  quality: { minDurationSeconds: 0 },
  sections: [
    {
      id: 'A',
      title: text('A'),
      items: [
        { id: 'respondent_type', type: 'single', codeList: 'respondentType', label: text('type') },
        { id: 'serving_level', type: 'single', codeList: 'servingLevel', label: text('level') },
        { id: 'service_field', type: 'single', codeList: 'serviceField', label: text('field') },
        ...itemIds.map((id) => ({ id, type: 'scale' as const, scale: 'satisfaction', label: text(id) })),
      ],
    },
  ],
};
const form = compileForm(formDefinition, 'bench');
const perElement = ITEMS / ELEMENTS;
const indexDefinition: IndexDefinition = {
  definitionId: 'bench',
  version: '1',
  status: 'draft',
  title: text('Benchmark'),
  method: { decision: 'bench', description: text('bench') },
  appliesTo: [{ formId: 'bench', versions: ['1'] }],
  scoring: { validCodes: [1, 2, 3, 4, 5], satisfiedCodes: [4, 5] },
  reliability: { minimumN: 30 },
  indicators: [
    ...itemIds.map((id) => ({ id: `c-${id}`, level: 'criterion' as const, label: text(id), items: [id] })),
    ...Array.from({ length: ELEMENTS }, (_, e) => ({
      id: `e${e + 1}`,
      level: 'element' as const,
      label: text(`e${e + 1}`),
      children: itemIds.slice(e * perElement, (e + 1) * perElement).map((id) => `c-${id}`),
      combine: { method: 'mean' as const },
    })),
    {
      id: 'overall',
      level: 'overall',
      label: text('overall'),
      children: Array.from({ length: ELEMENTS }, (_, e) => `e${e + 1}`),
      combine: { method: 'mean' },
    },
  ],
};
const definition = compileIndexDefinition(indexDefinition, () => form, 'bench');
const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
const codes = provinces.provinces(63).map((p) => p.code);

function runEngineBench(): void {
  // Responses come province by province, as the worker reads them (one cursor per province, in id
  // order); within a province their cells (respondent type × level × field) are mixed at random.
  const random = createRandom(2024);
  const pool: TalliedResponse[] = codes.flatMap((provinceCode, p) =>
    Array.from({ length: Math.floor(POOL / codes.length) + (p < POOL % codes.length ? 1 : 0) }, () => ({
      provinceCode,
      answers: syntheticAnswers(form, random, { satisfied: 0.75 + 0.2 * random() }),
    })),
  );

  /** The same responses with provinces mixed at random: the worst case for the tally's memory locality. */
  const shuffled = [...pool];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as TalliedResponse, shuffled[i] as TalliedResponse];
  }

  /** The floor: one pass, counting answers 4 or 5. */
  function plainLoop(): number {
    let satisfied = 0;
    for (let i = 0; i < RESPONSES; i += 1) {
      const answers = (pool[i % POOL] as TalliedResponse).answers;
      for (let k = 0; k < ITEMS; k += 1) {
        const value = answers[itemIds[k] as string];
        if (value === 4 || value === 5) satisfied += 1;
      }
    }
    return satisfied;
  }

  /** The engine: tally every response into cells, then compute every figure on both editions. */
  function engine(input: ReadonlyArray<TalliedResponse> = pool): number {
    const tallier = createTallier(form, definition);
    for (let i = 0; i < RESPONSES; i += 1) tallier.add(input[i % POOL] as TalliedResponse);
    const figures = computeRoundFigures({
      definition,
      cells: tallier.cells(),
      edition: 63,
      provinces,
      unitTypesOn: '2024-08-01',
      dimensionCodes: dimensionCodesOf(form),
    });
    return figures.editions[0]?.responses ?? 0;
  }

  function time(run: () => number): { ms: number; result: number } {
    const start = process.hrtime.bigint();
    const result = run();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
  }

  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };

  const loopTimes: number[] = [];
  const engineTimes: number[] = [];
  const ratios: number[] = [];
  const shuffledRatios: number[] = [];
  const rssBefore = process.memoryUsage().rss;
  let peakHeap = 0;
  // One warm-up of each, so both are measured after the JIT has settled.
  plainLoop();
  engine();
  for (let run = 0; run < RUNS; run += 1) {
    const loop = time(plainLoop);
    const tallied = time(() => engine());
    const mixed = time(() => engine(shuffled));
    if (tallied.result !== RESPONSES || mixed.result !== RESPONSES) throw new Error(`the engine counted ${tallied.result} responses, expected ${RESPONSES}`);
    shuffledRatios.push(mixed.ms / loop.ms);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    loopTimes.push(loop.ms);
    engineTimes.push(tallied.ms);
    ratios.push(tallied.ms / loop.ms);
  }
  const answers = RESPONSES * ITEMS;
  const perSecond = (ms: number): string => `${((answers / ms) * 1000 / 1e6).toFixed(1)} M answers/s`;
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  console.log(`index engine: ${RESPONSES.toLocaleString('en')} responses × ${ITEMS} items, ${RUNS} runs (medians)`);
  console.log(`  plain loop (count satisfied): ${median(loopTimes).toFixed(0)} ms  ${perSecond(median(loopTimes))}`);
  console.log(`  engine (tally + all figures): ${median(engineTimes).toFixed(0)} ms  ${perSecond(median(engineTimes))}`);
  console.log(`  ratio engine ÷ loop: ${median(ratios).toFixed(2)} (target ≤ 3; runs: ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
  console.log(`  ratio with provinces mixed at random (worst case, not how the worker reads): ${median(shuffledRatios).toFixed(2)}`);
  console.log(
    `  memory: peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} (of which ${mb(rssBefore)} before the runs, input pool of ${POOL.toLocaleString('en')} responses included); peak heap ${mb(peakHeap)}`,
  );
}

const SECTIONS = ['engine', 'microdata', 'freshness', 'pipeline', 'scale', 'overview', 'public-reads'] as const;
type Section = (typeof SECTIONS)[number] | 'microdata-seed';
const MICRODATA_RESPONSES = Number(process.env.BENCH_MICRODATA_RESPONSES ?? 1_000_000);

/**
 * The heap the microdata section's process gets: the one docker-compose gives its `exporter`. Without
 * a cap V8 grows its heap lazily: even the bare cursor read then peaks above 300 MB of RSS, though
 * what it holds stays flat. With the cap, an export that kept its rows would die of it, so the figure
 * also proves the streaming. BENCH_MICRODATA_HEAP_MB=0 runs without a cap.
 */
const MICRODATA_HEAP_MB = Number(process.env.BENCH_MICRODATA_HEAP_MB ?? 128);

/** Runs one section in a fresh process (this file again, told which section by BENCH_SECTION). */
function runInChild(section: Section, env: Record<string, string>, nodeArgs: string[] = []): void {
  const result = spawnSync(process.execPath, [...nodeArgs, ...process.execArgv, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...env, BENCH_SECTION: section },
  });
  if (result.status !== 0) console.log(`*** bench section ${section} failed (exit ${String(result.status)}) ***`);
}

async function main(): Promise<void> {
  const section = process.env.BENCH_SECTION as Section | undefined;
  const uri = process.env.BENCH_MONGODB_URI;
  const dbName = process.env.BENCH_MONGODB_DB ?? 'sipas_bench';
  switch (section) {
    case 'engine':
      return runEngineBench();
    case 'microdata-seed':
      return seedMicrodataBench(uri!, dbName, MICRODATA_RESPONSES);
    case 'microdata':
      return runMicrodataBench(uri!, dbName, MICRODATA_RESPONSES, Number(process.env.BENCH_MICRODATA_RUNS ?? 2));
    case 'freshness':
      return runFreshnessBench(uri!, Number(process.env.BENCH_FRESHNESS_RESPONSES ?? 1500), Number(process.env.BENCH_FRESHNESS_RATE ?? 50));
    case 'pipeline':
      return runPipelineBench(uri!);
    case 'scale':
      return runScaleBench(uri!, Number(process.env.BENCH_SCALE_SMALL ?? 10_000), Number(process.env.BENCH_SCALE_LARGE ?? 200_000));
    case 'overview':
      return runOverviewBench(uri!, Number(process.env.BENCH_OVERVIEW_LOADS ?? 7), Number(process.env.BENCH_OVERVIEW_RESPONSES ?? 3000));
    case 'public-reads':
      return runPublicReadsBench(uri!, Number(process.env.BENCH_PUBLIC_RESPONSES ?? 2000));
    default:
      break;
  }
  const chosen = new Set((process.env.BENCH_SECTIONS ?? SECTIONS.join(',')).split(',').map((s) => s.trim()));
  if (chosen.has('engine')) runInChild('engine', {});
  if (!chosen.has('microdata') && !chosen.has('freshness') && !chosen.has('pipeline') && !chosen.has('scale') && !chosen.has('overview') && !chosen.has('public-reads')) return;
  let mongoUri = process.env.MONGODB_URI;
  let stopMongo: (() => Promise<void>) | undefined;
  if (!mongoUri) {
    const embedded = await startEmbeddedMongo();
    if (!embedded.service) {
      console.log(`*** microdata and freshness benches SKIPPED: no MongoDB (set MONGODB_URI; mongodb-memory-server: ${embedded.unavailable ?? 'unavailable'}) ***`);
      return;
    }
    mongoUri = embedded.service.url;
    stopMongo = () => embedded.service!.stop();
  }
  const benchDb = `sipas_bench_${randomUUID().slice(0, 8)}`;
  try {
    if (chosen.has('microdata')) {
      const env = { BENCH_MONGODB_URI: mongoUri, BENCH_MONGODB_DB: benchDb };
      const started = Date.now();
      runInChild('microdata-seed', env);
      console.log(`(inserted ${MICRODATA_RESPONSES.toLocaleString('en')} generated responses in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
      runInChild('microdata', env, MICRODATA_HEAP_MB > 0 ? [`--max-old-space-size=${MICRODATA_HEAP_MB}`] : []);
    }
    if (chosen.has('freshness')) runInChild('freshness', { BENCH_MONGODB_URI: mongoUri });
    if (chosen.has('pipeline')) runInChild('pipeline', { BENCH_MONGODB_URI: mongoUri });
    if (chosen.has('scale')) runInChild('scale', { BENCH_MONGODB_URI: mongoUri });
    if (chosen.has('overview')) runInChild('overview', { BENCH_MONGODB_URI: mongoUri });
    if (chosen.has('public-reads')) runInChild('public-reads', { BENCH_MONGODB_URI: mongoUri });
  } finally {
    const { default: mongoose } = await import('mongoose');
    const connection = await mongoose.createConnection(mongoUri, { dbName: benchDb }).asPromise();
    await connection.db?.dropDatabase();
    await connection.close();
    await stopMongo?.();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

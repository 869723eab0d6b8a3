/**
 * Microdata export of generated responses against a baseline that only reads the same cursor and
 * discards the rows. Prints rows per second of each, the ratio export ÷ read (target ≤ 2) and the
 * peak memory (RSS, sampled) of each (target < 300 MB). The export is the job's own path: cursor →
 * rows → CSV → GridFS, with backpressure all the way.
 *
 * The responses are inserted by a separate process (`seedMicrodataBench`), so what they cost to
 * generate does not count in the measuring process's memory.
 */
import { getHeapStatistics } from 'node:v8';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadFormCatalogue } from '../survey-forms/catalogue';
import { surveyFormsDir } from '../survey-forms/paths';
import { loadProvinceReference } from '../survey-forms/provinces';
import { createRandom, syntheticAnswers } from '../survey-forms/synthetic-answers';
import { createExportRepository } from '../server/modules/exports/export.repository';
import { microdataColumns } from '../server/modules/exports/microdata';
import { writeMicrodataCsv, writeMicrodataXlsx } from '../server/modules/exports/microdata.writer';
import { createResponseRepository } from '../server/modules/responses/response.repository';

export const MICRODATA_ROUND = 'bench-microdata';
const POOL = 5000;

const forms = loadFormCatalogue(surveyFormsDir());
const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
const form = forms.get('sipas-2017', '1');
if (!form) throw new Error('sipas-2017 version 1 is not installed');

/** Inserts `size` counted responses of the bench round (raw, as the API would have stored them). */
export async function seedMicrodataBench(uri: string, dbName: string, size: number): Promise<void> {
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  const responses = createResponseRepository(connection);
  await responses.model.createIndexes();
  // String ids, as the API stores them (the device's UUID).
  const collection = connection.db!.collection<{ _id: string }>('responses');
  const random = createRandom(2024);
  const codes = provinces.provinces(63).map((p) => p.code);
  const pool = Array.from({ length: POOL }, () => syntheticAnswers(form!, random, { satisfied: 0.75 + 0.2 * random() }));
  const storedAt = new Date();
  const BATCH = 5000;
  for (let done = 0; done < size; done += BATCH) {
    const docs = Array.from({ length: Math.min(BATCH, size - done) }, (_, i) => ({
      _id: randomUUID(),
      roundId: MICRODATA_ROUND,
      formId: 'sipas-2017',
      formVersion: '1',
      provinceCode: codes[(done + i) % codes.length],
      answers: pool[(done + i) % POOL],
      paradata: { startedAt: '2024-09-01T01:00:00.000Z', endedAt: '2024-09-01T01:20:00.000Z', appVersion: 'bench' },
      sampleUnitId: null,
      contentHash: 'bench',
      submittedBy: 'bench-enumerator',
      storedAt,
      // Counted as issue 5's review would leave a response that passed every check.
      reviewStatus: 'clear',
    }));
    await collection.insertMany(docs, { ordered: false });
  }
  await connection.close();
}

/** Samples the RSS while `run` runs; returns its time and the peak. */
async function measured<T>(run: () => Promise<T>): Promise<{ ms: number; peakRss: number; result: T }> {
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const start = process.hrtime.bigint();
  try {
    const result = await run();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, peakRss: Math.max(peakRss, process.memoryUsage().rss), result };
  } finally {
    clearInterval(timer);
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Measures the read and the exports over the seeded responses and prints the figures. */
export async function runMicrodataBench(uri: string, dbName: string, size: number, runs: number, xlsx: boolean): Promise<void> {
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  const responses = createResponseRepository(connection);
  const exports = createExportRepository(connection);
  const columns = microdataColumns(form!, provinces, 63);
  const rowsCounted = await responses.countCounted(MICRODATA_ROUND);
  if (rowsCounted !== size) throw new Error(`the bench round has ${rowsCounted} counted responses, expected ${size}`);

  // RSS when a tenth, half and nine tenths of the rows are done: flat memory reads the same at each.
  const milestones = [0.1, 0.5, 0.9].map((f) => Math.floor(size * f));
  const readRss: number[] = [];
  const exportRss: number[] = [];
  const atMilestone = (rows: number, into: number[]): void => {
    if (milestones.includes(rows)) into.push(process.memoryUsage().rss);
  };
  const batchSize = Number(process.env.BENCH_MICRODATA_BATCH ?? 1000);
  const read = async (): Promise<number> => {
    let rows = 0;
    readRss.length = 0;
    for await (const response of responses.streamForMicrodata(MICRODATA_ROUND, batchSize)) {
      if (response) rows += 1;
      atMilestone(rows, readRss);
    }
    return rows;
  };
  const exportTo = async (format: 'csv' | 'xlsx'): Promise<number> => {
    const upload = exports.openUpload(`bench.${format}`, 'application/octet-stream');
    exportRss.length = 0;
    const counted = (async function* () {
      let rows = 0;
      for await (const response of responses.streamForMicrodata(MICRODATA_ROUND, batchSize)) {
        yield response;
        atMilestone(++rows, exportRss);
      }
    })();
    const input = { columns, responses: counted, metadata: [] };
    const rows = format === 'csv' ? await writeMicrodataCsv(input, upload) : await writeMicrodataXlsx(input, upload);
    await exports.deleteFile(upload.id);
    return rows;
  };

  const rssStart = process.memoryUsage().rss;
  const readTimes: number[] = [];
  const exportTimes: number[] = [];
  const ratios: number[] = [];
  let readPeak = 0;
  let exportPeak = 0;
  for (let run = 0; run < runs; run += 1) {
    const r = await measured(read);
    const e = await measured(() => exportTo('csv'));
    if (r.result !== size || e.result !== size) throw new Error(`read ${r.result} and exported ${e.result} rows, expected ${size}`);
    readTimes.push(r.ms);
    exportTimes.push(e.ms);
    ratios.push(e.ms / r.ms);
    readPeak = Math.max(readPeak, r.peakRss);
    exportPeak = Math.max(exportPeak, e.peakRss);
  }
  const perSecond = (ms: number): string => `${Math.round((size / ms) * 1000).toLocaleString('en')} rows/s`;
  console.log(
    `microdata export: ${size.toLocaleString('en')} responses × ${columns.length} columns, ${runs} runs (medians); heap limit ${(getHeapStatistics().heap_size_limit / 1024 / 1024).toFixed(0)} MB`,
  );
  console.log(`  baseline (read the cursor, discard rows): ${(median(readTimes) / 1000).toFixed(1)} s  ${perSecond(median(readTimes))}  peak RSS ${mb(readPeak)}`);
  console.log(`  CSV export (cursor → rows → CSV → GridFS): ${(median(exportTimes) / 1000).toFixed(1)} s  ${perSecond(median(exportTimes))}  peak RSS ${mb(exportPeak)}`);
  console.log(`  RSS at 10% / 50% / 90% of the rows (last run): read ${readRss.map(mb).join(' / ')}; export ${exportRss.map(mb).join(' / ')}`);
  console.log(`  ratio export ÷ read: ${median(ratios).toFixed(2)} (target ≤ 2; runs: ${ratios.map((r) => r.toFixed(2)).join(', ')}); peak RSS target < 300 MB (process at start: ${mb(rssStart)})`);
  if (xlsx) {
    const x = await measured(() => exportTo('xlsx'));
    console.log(`  XLSX export (streaming writer → GridFS), one run: ${(x.ms / 1000).toFixed(1)} s  ${perSecond(x.ms)}  peak RSS ${mb(x.peakRss)}  ratio ÷ read ${(x.ms / median(readTimes)).toFixed(2)}`);
  }
  await connection.close();
}

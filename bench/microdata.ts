/**
 * Microdata export of generated responses, as CSV and as XLSX, against a baseline that only reads
 * the same cursor and discards the rows. Prints rows per second of each, the ratio export ÷ read
 * (target ≤ 2) and the peak memory (RSS, sampled) of each (target < 300 MB). The exports are the
 * job's own paths, cursor → rows → CSV or sheet XML and zip → GridFS, with backpressure all the way.
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
import { microdataColumns, type MicrodataSource } from '../server/modules/exports/microdata';
import { writeMicrodataCsv, writeMicrodataXlsx } from '../server/modules/exports/microdata.writer';
import { createMicrodataRepository } from '../server/modules/exports/microdata.repository';
import { responseModelOn } from '../server/modules/responses/response.model';

export const MICRODATA_ROUND = 'bench-microdata';
const POOL = 5000;

const forms = loadFormCatalogue(surveyFormsDir());
const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
const form = forms.get('sipas-2017', '1');
if (!form) throw new Error('sipas-2017 version 1 is not installed');

/** Inserts `size` counted responses of the bench round (raw, as the API would have stored them). */
export async function seedMicrodataBench(uri: string, dbName: string, size: number): Promise<void> {
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  await responseModelOn(connection).createIndexes();
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
export async function runMicrodataBench(uri: string, dbName: string, size: number, runs: number): Promise<void> {
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  const responses = createMicrodataRepository(connection);
  const exports = createExportRepository(connection);
  const columns = microdataColumns(form!, provinces, 63);
  const rowsCounted = await responses.countCounted(MICRODATA_ROUND);
  if (rowsCounted !== size) throw new Error(`the bench round has ${rowsCounted} counted responses, expected ${size}`);

  // RSS when a tenth, half and nine tenths of the rows are done: flat memory reads the same at each.
  const milestones = [0.1, 0.5, 0.9].map((f) => Math.floor(size * f));
  const batchSize = Number(process.env.BENCH_MICRODATA_BATCH ?? 1000);
  /** The counted responses, noting the RSS at each milestone into `rss`. */
  async function* counted(rss: number[]): AsyncGenerator<MicrodataSource> {
    let rows = 0;
    for await (const response of responses.streamForMicrodata(MICRODATA_ROUND, batchSize)) {
      yield response;
      if (milestones.includes(++rows)) rss.push(process.memoryUsage().rss);
    }
  }
  const read = async (rss: number[]): Promise<number> => {
    let rows = 0;
    for await (const response of counted(rss)) if (response) rows += 1;
    return rows;
  };
  const exportTo = (format: 'csv' | 'xlsx') => async (rss: number[]): Promise<number> => {
    const upload = exports.openUpload(`bench.${format}`, 'application/octet-stream');
    const input = { columns, responses: counted(rss), metadata: [] };
    const rows = format === 'csv' ? await writeMicrodataCsv(input, upload) : await writeMicrodataXlsx(input, upload);
    await exports.deleteFile(upload.id);
    return rows;
  };

  const rssStart = process.memoryUsage().rss;
  const ways = [
    { label: 'baseline (read the cursor, discard rows)', run: read },
    { label: 'CSV export (cursor → rows → CSV → GridFS)', run: exportTo('csv') },
    { label: 'XLSX export (cursor → rows → sheet XML → zip → GridFS)', run: exportTo('xlsx') },
  ].map((way) => ({ ...way, times: [] as number[], peak: 0, rss: [] as number[] }));
  for (let run = 0; run < runs; run += 1) {
    for (const way of ways) {
      way.rss = [];
      const m = await measured(() => way.run(way.rss));
      if (m.result !== size) throw new Error(`${way.label}: ${m.result} rows, expected ${size}`);
      way.times.push(m.ms);
      way.peak = Math.max(way.peak, m.peakRss);
    }
  }
  const perSecond = (ms: number): string => `${Math.round((size / ms) * 1000).toLocaleString('en')} rows/s`;
  console.log(
    `microdata export: ${size.toLocaleString('en')} responses × ${columns.length} columns, ${runs} alternating runs (medians); heap limit ${(getHeapStatistics().heap_size_limit / 1024 / 1024).toFixed(0)} MB; process at start ${mb(rssStart)}`,
  );
  const [baseline] = ways;
  for (const way of ways) {
    const ratios = way.times.map((ms, i) => ms / (baseline!.times[i] as number));
    const ratio = way === baseline ? '' : `  ratio ÷ read ${median(ratios).toFixed(2)} (target ≤ 2; runs ${ratios.map((r) => r.toFixed(2)).join(', ')})`;
    console.log(`  ${way.label}: ${(median(way.times) / 1000).toFixed(1)} s  ${perSecond(median(way.times))}${ratio}`);
    console.log(`    peak RSS ${mb(way.peak)} (target < 300 MB); RSS at 10% / 50% / 90% of the rows (last run) ${way.rss.map(mb).join(' / ')}`);
  }
  await connection.close();
}

import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { codebookRows, microdataRow, type MicrodataColumn, type MicrodataSource } from './microdata';
import { writeXlsxStream, type StreamedSheet } from './xlsx-stream.writer';

/** Excel's limit is 1,048,576 rows a sheet; larger files continue on the next sheet. */
export const ROWS_PER_SHEET = 1_000_000;
/** Rows between progress reports: often enough to watch, rare enough to cost nothing. */
const PROGRESS_EVERY = 5000;

export interface MicrodataWriteInput {
  columns: ReadonlyArray<MicrodataColumn>;
  /** Counted responses, read from a cursor: pulled only as fast as the output takes them. */
  responses: AsyncIterable<MicrodataSource>;
  /** Lines of the metadata sheet (XLSX only). */
  metadata: ReadonlyArray<[string, string | number]>;
  onProgress?: (rows: number) => Promise<void> | void;
}

async function* rowsOf(input: MicrodataWriteInput, counter: { rows: number }): AsyncGenerator<Array<string | number | null>> {
  for await (const response of input.responses) {
    counter.rows += 1;
    yield microdataRow(input.columns, response, counter.rows);
    if (counter.rows % PROGRESS_EVERY === 0) await input.onProgress?.(counter.rows);
  }
}

/**
 * Writes microdata as CSV (UTF-8 with a byte-order mark, column names in the header). The cursor is
 * read only when the output wants more, so memory stays flat whatever the number of rows.
 */
export async function writeMicrodataCsv(input: MicrodataWriteInput, out: Writable): Promise<number> {
  const counter = { rows: 0 };
  await pipeline(
    Readable.from(rowsOf(input, counter)),
    stringify({ bom: true, header: true, columns: input.columns.map((c) => c.name), record_delimiter: '\r\n' }),
    out,
  );
  return counter.rows;
}

/**
 * Splits `source` into consecutive runs of at most `size` items, lazily: a run is read only as it is
 * consumed, and the next one is offered only after it (and only if an item is left), so a run is
 * never empty. Each run must be read to its end before the next is asked for.
 */
export async function* consecutiveRuns<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<AsyncGenerator<T>> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = await iterator.next();
  while (!pending.done) {
    yield (async function* run() {
      for (let taken = 0; taken < size && !pending.done; taken += 1) {
        yield pending.value;
        pending = await iterator.next();
      }
    })();
  }
}

/**
 * Writes microdata as XLSX: the data sheet(s), a new one every `ROWS_PER_SHEET` rows, then the
 * codebook and the metadata. Streamed like the CSV (see xlsx-stream.writer.ts), so memory stays flat.
 */
export async function writeMicrodataXlsx(input: MicrodataWriteInput, out: Writable, rowsPerSheet = ROWS_PER_SHEET): Promise<number> {
  const counter = { rows: 0 };
  const header = input.columns.map((c) => c.name);
  async function* sheets(): AsyncGenerator<StreamedSheet> {
    let n = 0;
    for await (const rows of consecutiveRuns(rowsOf(input, counter), rowsPerSheet)) {
      n += 1;
      yield { name: n === 1 ? 'Dữ liệu' : `Dữ liệu ${n}`, header, rows };
    }
    // No response: the data sheet still says what its columns are.
    if (n === 0) yield { name: 'Dữ liệu', header, rows: [] };
    yield {
      name: 'Từ điển dữ liệu',
      header: ['Cột / Column', 'Loại / Kind', 'Nhãn tiếng Việt', 'English label', 'Mã / Code', 'Nhãn mã', 'Code label'],
      rows: codebookRows(input.columns).map((r) => [r.column, r.kind, r.labelVi, r.labelEn, r.code, r.codeLabelVi, r.codeLabelEn]),
    };
    yield { name: 'Thông tin', rows: input.metadata };
  }
  await writeXlsxStream(sheets(), out);
  return counter.rows;
}

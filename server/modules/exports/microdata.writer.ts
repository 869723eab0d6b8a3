import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { codebookRows, microdataRow, type MicrodataColumn, type MicrodataSource } from './microdata';

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
 * Writes microdata as XLSX with ExcelJS's streaming writer: the data sheet(s), the codebook and the
 * metadata. The writer does not wait for its output, so every thousand rows this waits until what it
 * produced has been taken, which keeps memory flat.
 */
export async function writeMicrodataXlsx(input: MicrodataWriteInput, out: Writable): Promise<number> {
  const pass = new PassThrough({ highWaterMark: 1 << 20 });
  const piped = pipeline(pass, out);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: pass, useStyles: false, useSharedStrings: false });
  const header = input.columns.map((c) => c.name);
  let sheet = workbook.addWorksheet('Dữ liệu');
  sheet.addRow(header).commit();
  let rows = 0;
  for await (const row of rowsOf(input, { rows: 0 })) {
    if (rows > 0 && rows % ROWS_PER_SHEET === 0) {
      sheet.commit();
      sheet = workbook.addWorksheet(`Dữ liệu ${rows / ROWS_PER_SHEET + 1}`);
      sheet.addRow(header).commit();
    }
    sheet.addRow(row).commit();
    rows += 1;
    if (rows % 1000 === 0) {
      // Let the zip stream take what was committed, then wait while the output is full.
      await new Promise((resolve) => setImmediate(resolve));
      while (pass.writableNeedDrain) await once(pass, 'drain');
    }
  }
  sheet.commit();
  const book = workbook.addWorksheet('Từ điển dữ liệu');
  book.addRow(['Cột / Column', 'Loại / Kind', 'Nhãn tiếng Việt', 'English label', 'Mã / Code', 'Nhãn mã', 'Code label']).commit();
  for (const r of codebookRows(input.columns)) book.addRow([r.column, r.kind, r.labelVi, r.labelEn, r.code, r.codeLabelVi, r.codeLabelEn]).commit();
  book.commit();
  const meta = workbook.addWorksheet('Thông tin');
  for (const line of input.metadata) meta.addRow([...line]).commit();
  meta.commit();
  await workbook.commit();
  await piped;
  return rows;
}

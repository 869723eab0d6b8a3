import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { microdataColumns, type MicrodataSource } from '../../server/modules/exports/microdata';
import { consecutiveRuns, writeMicrodataXlsx } from '../../server/modules/exports/microdata.writer';
import { assertSheetNames, columnLetters, escapeXml, SheetRowWriter } from '../../server/modules/exports/spreadsheet-xml';
import { writeXlsxStream } from '../../server/modules/exports/xlsx-stream.writer';
import { makeAnswers } from '../factories';

const forms = loadFormCatalogue(surveyFormsDir());
const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
const columns = microdataColumns(forms.get('sipas-2017', '1')!, provinces, 63);
const names = columns.map((c) => c.name);

/** Generated responses, read in batches of 100 as a cursor does. */
async function* responses(count: number, onRead?: () => void): AsyncGenerator<MicrodataSource> {
  for (let i = 0; i < count; i += 1) {
    if (i % 100 === 0) await setImmediate();
    onRead?.();
    yield { roundId: 'r-2024', provinceCode: i % 2 ? '79' : '01', weight: i === 0 ? 1.25 : null, answers: makeAnswers(i % 2 ? 5 : 2) };
  }
}

/** Writes into memory and reads the file back with ExcelJS, as an analyst's spreadsheet would. */
async function written(write: (out: Writable) => Promise<unknown>): Promise<ExcelJS.Workbook> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook;
}

const rowValues = (sheet: ExcelJS.Worksheet, n: number): unknown[] => (sheet.getRow(n).values as unknown[]).slice(1);

describe('spreadsheet XML', () => {
  test('when columns are lettered, then they run A…Z, AA…ZZ, AAA… up to Excel\'s last column XFD', () => {
    expect([0, 25, 26, 51, 701, 702, 16383].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA', 'XFD']);
  });

  test('when text is escaped, then markup is quoted and characters XML cannot carry are dropped, emoji kept', () => {
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
    expect(escapeXml('x\u0000y\u0007z\ud800 \u{1F600}\tok')).toBe('xyz \u{1F600}\tok');
  });

  test('when a row is written, then empty and non-finite cells are left out and each cell carries its reference', () => {
    const writer = new SheetRowWriter();
    writer.row(['h']);
    expect(writer.row(['01', null, 4, Number.NaN, ' padded', ''])).toBe(
      '<row r="2"><c r="A2" t="inlineStr"><is><t>01</t></is></c><c r="C2"><v>4</v></c><c r="E2" t="inlineStr"><is><t xml:space="preserve"> padded</t></is></c></row>',
    );
  });

  test('when sheet names break Excel\'s rules or repeat, then they are refused', () => {
    expect(() => assertSheetNames(['Dữ liệu', 'Thông tin'])).not.toThrow();
    expect(() => assertSheetNames(['a'.repeat(32)])).toThrow(/1 to 31/);
    expect(() => assertSheetNames(['a/b'])).toThrow(/cannot name a sheet/);
    expect(() => assertSheetNames(['Data', 'DATA'])).toThrow(/two sheets/);
  });
});

describe('consecutive runs', () => {
  const collect = async (count: number, size: number): Promise<number[][]> => {
    const runs: number[][] = [];
    const numbers = Readable.from(Array.from({ length: count }, (_, i) => i + 1)) as AsyncIterable<number>;
    for await (const run of consecutiveRuns(numbers, size)) {
      const items: number[] = [];
      for await (const item of run) items.push(item);
      runs.push(items);
    }
    return runs;
  };

  test('when items divide into runs exactly or not, then every run is full but the last and none is empty', async () => {
    expect(await collect(7, 3)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(await collect(6, 3)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(await collect(0, 3)).toEqual([]);
  });
});

describe('microdata as a streamed XLSX', () => {
  test('when microdata is written, then the workbook opens with the data, codebook and metadata sheets and the answers under their codes', async () => {
    const metadata: Array<[string, string | number]> = [['Đợt khảo sát / Round', 'r-2024'], ['Số dòng / Rows', 4]];
    let rows = 0;
    const workbook = await written(async (out) => (rows = await writeMicrodataXlsx({ columns, responses: responses(4), metadata }, out)));
    expect(rows).toBe(4);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Dữ liệu', 'Từ điển dữ liệu', 'Thông tin']);
    const data = workbook.getWorksheet('Dữ liệu')!;
    expect(data.rowCount).toBe(5);
    expect(rowValues(data, 1)).toEqual(names);
    expect(data.getRow(1).getCell(1).font?.bold).toBe(true);
    const cell = (row: number, name: string): unknown => data.getRow(row).getCell(names.indexOf(name) + 1).value;
    expect([cell(2, 'respondent_no'), cell(2, 'province_code'), cell(2, 'weight'), cell(2, 'c01_s'), cell(2, 'improve_first_2')]).toEqual([1, '01', 1.25, 2, 1]);
    expect([cell(3, 'province_code'), cell(3, 'weight'), cell(3, 'c01_s'), cell(3, 'c19_s')]).toEqual(['79', null, 5, null]);

    const codebook = workbook.getWorksheet('Từ điển dữ liệu')!;
    const codebookRows = Array.from({ length: codebook.rowCount - 1 }, (_, i) => rowValues(codebook, i + 2));
    expect(codebookRows).toContainEqual(['province_code', 'code', undefined, undefined, '79', 'Thành phố Hồ Chí Minh', 'Ho Chi Minh City']);
    expect(rowValues(workbook.getWorksheet('Thông tin')!, 2)).toEqual(['Số dòng / Rows', 4]);
  });

  test('when rows pass a sheet\'s size, then they go on in a new sheet with its own header and numbers carry on', async () => {
    const workbook = await written((out) => writeMicrodataXlsx({ columns, responses: responses(7), metadata: [] }, out, 3));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Dữ liệu', 'Dữ liệu 2', 'Dữ liệu 3', 'Từ điển dữ liệu', 'Thông tin']);
    const numbers = ['Dữ liệu', 'Dữ liệu 2', 'Dữ liệu 3'].map((name) => {
      const sheet = workbook.getWorksheet(name)!;
      expect(rowValues(sheet, 1)).toEqual(names);
      return Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2).getCell(1).value);
    });
    expect(numbers).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  test('when there is no response, then the data sheet still names its columns', async () => {
    const workbook = await written((out) => writeMicrodataXlsx({ columns, responses: responses(0), metadata: [] }, out));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Dữ liệu', 'Từ điển dữ liệu', 'Thông tin']);
    expect(workbook.getWorksheet('Dữ liệu')!.rowCount).toBe(1);
  });

  test('when the output takes nothing, then rows stop being read after a bounded number, and stopping the output ends the read', async () => {
    let read = 0;
    // An output that never finishes a write: everything the writer does not hold back piles up.
    const stalled = new Writable({ highWaterMark: 1 << 16, write: () => undefined });
    const writing = writeMicrodataXlsx({ columns, responses: responses(1_000_000, () => (read += 1)), metadata: [] }, stalled);
    writing.catch(() => undefined);
    let settled = -1;
    for (let calm = 0; calm < 5; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      calm = read === settled ? calm + 1 : 0;
      settled = read;
    }
    // A row is about 1.5 kB of sheet XML: the buffers between the rows and the output hold a few hundred.
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(5000);
    stalled.destroy(new Error('client went away'));
    await expect(writing).rejects.toThrow();
    const after = read;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(read).toBe(after);
  });

  test('when the rows fail part way, then the write rejects with their error and the output is destroyed', async () => {
    async function* failing(): AsyncGenerator<MicrodataSource> {
      yield* responses(10);
      throw new Error('cursor lost');
    }
    const out = new PassThrough();
    out.resume();
    await expect(writeMicrodataXlsx({ columns, responses: failing(), metadata: [] }, out)).rejects.toThrow('cursor lost');
    expect(out.destroyed).toBe(true);
  });

  test('when two sheets would share a name, then nothing is written and the write rejects', async () => {
    const out = new PassThrough();
    out.resume();
    await expect(writeXlsxStream([{ name: 'A', rows: [] }, { name: 'a', rows: [] }], out)).rejects.toThrow(/two sheets/);
  });
});

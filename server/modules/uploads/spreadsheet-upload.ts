import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { validationFailed } from '../../http/problem';

/** Most bytes of a workbook one upload takes (base64 makes it a third larger on the wire, under the 8 MB body limit). */
export const MAX_XLSX_BYTES = 5 * 1024 * 1024;

/**
 * A workbook's first sheet as CSV text, line for line: sheet row n is CSV line n (an empty row an
 * empty line), so every problem the list's checks report names the row the person sees in Excel.
 * Cells are read as Excel shows them (a date as its text, a formula as its result); a line break
 * inside a cell becomes a space, which keeps the line numbers true.
 */
export async function xlsxToCsv(base64: string, field = '/body/xlsx'): Promise<string> {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw validationFailed([{ path: field, code: 'invalid_xlsx', message: 'is empty or not base64' }]);
  if (bytes.length > MAX_XLSX_BYTES) throw validationFailed([{ path: field, code: 'too_large', message: `must be at most ${MAX_XLSX_BYTES} bytes` }]);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw validationFailed([{ path: field, code: 'invalid_xlsx', message: `is not a readable XLSX workbook (${reason.slice(0, 200)})` }]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw validationFailed([{ path: field, code: 'invalid_xlsx', message: 'has no sheet' }]);
  const lines: string[] = [];
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c += 1) cells.push(cellText(row.getCell(c)));
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    lines.push(cells.length === 0 ? '' : stringify([cells]).replace(/\r?\n$/, ''));
  }
  return `${lines.join('\n')}\n`;
}

function cellText(cell: ExcelJS.Cell): string {
  let text: string;
  try {
    text = cell.text;
  } catch {
    // A cell ExcelJS cannot render (a broken formula, say) reads as empty and its row is reported.
    text = '';
  }
  return text.replace(/[\r\n]+/g, ' ').trim();
}

/** The CSV of an upload that came as CSV text or as a workbook; undefined for neither (a JSON list). */
export async function uploadedCsv(body: { csv?: string | undefined; xlsx?: string | undefined }): Promise<string | undefined> {
  if (body.csv !== undefined) return body.csv;
  if (body.xlsx !== undefined) return xlsxToCsv(body.xlsx);
  return undefined;
}

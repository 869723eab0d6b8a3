/**
 * The parts of an XLSX file (Office Open XML SpreadsheetML) that a streamed workbook is made of, as
 * strings: pure, so every byte the microdata writer zips is tested here without a stream.
 *
 * Only what a data table needs: inline strings (no shared-string table to hold in memory), numbers,
 * empty cells left out, a bold header row frozen at the top. Formatted tables (percentages, grey rows)
 * are ExcelJS's job (aggregate-download.ts); this exists because ExcelJS's streaming writer does not
 * wait for its zip, so its memory grows with the rows (exceljs/exceljs#734).
 */

/** What a cell holds: text, a number, or nothing (an empty cell). */
export type SheetCell = string | number | null;

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Excel's own limits: a sheet name is 1–31 characters without these, a sheet at most 1,048,576 rows. */
const SHEET_NAME_FORBIDDEN = /[\\/?*[\]:]/;
export const MAX_SHEET_ROWS = 1_048_576;

/** The style index of the header row's cells in `STYLES_XML` (bold). */
const HEADER_STYLE = 1;

/** Column letters of a zero-based column index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

// XML 1.0 cannot carry control characters (other than tab and line breaks) or lone surrogates, even
// escaped: a file with one would not open, so they are dropped.
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_SPECIAL = /[&<>"]/g;
const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text as XML character data or an attribute value. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHARACTER, '').replace(XML_SPECIAL, (c) => XML_ENTITY[c] as string);
}

/** Throws unless every name is one Excel accepts and no two are the same (Excel ignores case). */
export function assertSheetNames(names: ReadonlyArray<string>): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (name.length === 0 || name.length > 31 || SHEET_NAME_FORBIDDEN.test(name)) throw new Error(`"${name}" cannot name a sheet: 1 to 31 characters, none of \\ / ? * [ ] :`);
    if (seen.has(name.toLowerCase())) throw new Error(`two sheets are named "${name}"`);
    seen.add(name.toLowerCase());
  }
}

/**
 * Writes rows of one sheet, numbering them from 1. Keeps the column references of the widest row seen
 * so far, so a row costs no string building beyond its values.
 */
export class SheetRowWriter {
  private references: string[] = [];
  private rowNumber = 0;

  /** One `<row>`: strings inline, finite numbers as values, empty (null, NaN) cells left out. */
  row(cells: ReadonlyArray<SheetCell>, style?: 'header'): string {
    this.rowNumber += 1;
    if (this.rowNumber > MAX_SHEET_ROWS) throw new Error(`a sheet holds at most ${MAX_SHEET_ROWS.toLocaleString('en')} rows`);
    while (this.references.length < cells.length) this.references.push(columnLetters(this.references.length));
    const r = String(this.rowNumber);
    const s = style === 'header' ? ` s="${HEADER_STYLE}"` : '';
    let xml = `<row r="${r}">`;
    for (let i = 0; i < cells.length; i += 1) {
      const value = cells[i];
      if (typeof value === 'number') {
        if (Number.isFinite(value)) xml += `<c r="${this.references[i]}${r}"${s}><v>${value}</v></c>`;
      } else if (typeof value === 'string' && value !== '') {
        const space = value.trim() === value ? '' : ' xml:space="preserve"';
        xml += `<c r="${this.references[i]}${r}"${s} t="inlineStr"><is><t${space}>${escapeXml(value)}</t></is></c>`;
      }
    }
    return `${xml}</row>`;
  }
}

/** What comes before a sheet's rows; with `frozenRows` the rows above stay in view while scrolling. */
export function sheetXmlStart(frozenRows = 0): string {
  const pane =
    frozenRows > 0
      ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${frozenRows}" topLeftCell="A${frozenRows + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`
      : '';
  return `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">${pane}<sheetData>`;
}

export const SHEET_XML_END = '</sheetData></worksheet>';

/** Where the n-th sheet (from 1) lives in the package. */
export const sheetPath = (n: number): string => `xl/worksheets/sheet${n}.xml`;

/** The workbook part: its sheets, in order. */
export function workbookXml(sheetNames: ReadonlyArray<string>): string {
  const sheets = sheetNames.map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  return `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${sheets}</sheets></workbook>`;
}

/** The workbook's relationships: each sheet by its rId, then the styles. */
export function workbookRelsXml(sheetCount: number): string {
  const sheets = Array.from({ length: sheetCount }, (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('');
  return `${XML_HEAD}<Relationships xmlns="${PACKAGE_REL_NS}">${sheets}<Relationship Id="rId${sheetCount + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`;
}

/** The package's own relationships: where the workbook is. */
export const ROOT_RELS_XML = `${XML_HEAD}<Relationships xmlns="${PACKAGE_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

/** The content type of every part. */
export function contentTypesXml(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, i) => `<Override PartName="/${sheetPath(i + 1)}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ).join('');
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    `${sheets}</Types>`
  );
}

/** Two cell formats: 0 plain, 1 (`HEADER_STYLE`) bold. */
export const STYLES_XML =
  `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

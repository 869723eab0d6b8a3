import { Type } from '@sinclair/typebox';

/** An uploaded Excel workbook, base64-encoded: its first sheet is read as the list, row for row. */
export const XlsxUpload = Type.String({
  minLength: 1,
  maxLength: 7_000_000,
  description: 'An XLSX workbook, base64-encoded: the first sheet with the same header row as the CSV; row n is line n in every problem reported.',
});

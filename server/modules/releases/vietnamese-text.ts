/**
 * Vietnamese text in a PDF with Be Vietnam Pro (npm @fontsource/be-vietnam-pro). The package ships
 * the font split by script — Latin, Latin Extended, Vietnamese — as the web loads it, so each run of
 * characters is drawn with the file that holds its glyphs (the ranges come from the package's own
 * unicode.json). Text is put in NFC first: precomposed letters are what the files carry.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type PDFDocument from 'pdfkit';

const SUBSETS = ['vietnamese', 'latin', 'latin-ext'] as const;
type Subset = (typeof SUBSETS)[number];
export type Weight = 400 | 700;

const packageDir = path.dirname(require.resolve('@fontsource/be-vietnam-pro/package.json'));

function parseRanges(spec: string): Array<[number, number]> {
  return spec.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/, '').split('-');
    const start = parseInt(from ?? '0', 16);
    return [start, to === undefined ? start : parseInt(to, 16)];
  });
}

const ranges: Record<Subset, Array<[number, number]>> = (() => {
  const spec = JSON.parse(readFileSync(path.join(packageDir, 'unicode.json'), 'utf8')) as Record<Subset, string>;
  return { vietnamese: parseRanges(spec.vietnamese), latin: parseRanges(spec.latin), 'latin-ext': parseRanges(spec['latin-ext']) };
})();

function subsetOf(codePoint: number): Subset {
  for (const subset of SUBSETS) if (ranges[subset].some(([a, b]) => codePoint >= a && codePoint <= b)) return subset;
  return 'latin';
}

const fontName = (subset: Subset, weight: Weight): string => `bvp-${subset}-${weight}`;

/** Registers the font files on a document (they are embedded as subsets of the glyphs drawn). */
export function registerVietnameseFonts(doc: PDFKit.PDFDocument): void {
  for (const subset of SUBSETS) {
    for (const weight of [400, 700] as const) {
      doc.registerFont(fontName(subset, weight), path.join(packageDir, 'files', `be-vietnam-pro-${subset}-${weight}-normal.woff`));
    }
  }
}

/** Runs of one subset each. */
function runsOf(text: string): Array<{ subset: Subset; text: string }> {
  const runs: Array<{ subset: Subset; text: string }> = [];
  for (const char of text.normalize('NFC')) {
    const subset = subsetOf(char.codePointAt(0) ?? 32);
    const last = runs[runs.length - 1];
    // Spaces and digits sit in every file's neighbourhood: keep them in the current run.
    if (last && (last.subset === subset || char === ' ')) last.text += char;
    else runs.push({ subset, text: char });
  }
  return runs;
}

/** The width of a text at a size and weight, as drawn by {@link drawText}. */
export function textWidth(doc: PDFKit.PDFDocument, text: string, size: number, weight: Weight = 400): number {
  let width = 0;
  for (const run of runsOf(text)) width += doc.font(fontName(run.subset, weight)).fontSize(size).widthOfString(run.text);
  return width;
}

/** The text cut with "…" (before `suffix`, kept whole) so that it is at most `maxWidth` wide as drawn. */
export function fitText(doc: PDFKit.PDFDocument, text: string, maxWidth: number, size: number, weight: Weight = 400, suffix = ''): string {
  if (textWidth(doc, text + suffix, size, weight) <= maxWidth) return text + suffix;
  const chars = [...text.normalize('NFC')];
  while (chars.length > 0 && textWidth(doc, `${chars.join('').trimEnd()}…${suffix}`, size, weight) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…${suffix}`;
}

/** Draws one line of text at (x, y); `align` right or center places it within `width`. Returns its width. */
export function drawText(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  options: { size: number; weight?: Weight; color?: string; align?: 'left' | 'right' | 'center'; width?: number },
): number {
  const weight = options.weight ?? 400;
  const width = textWidth(doc, text, options.size, weight);
  let cx = x;
  if (options.align === 'right' && options.width !== undefined) cx = x + options.width - width;
  if (options.align === 'center' && options.width !== undefined) cx = x + (options.width - width) / 2;
  doc.fillColor(options.color ?? '#1a1a1a');
  for (const run of runsOf(text)) {
    doc.font(fontName(run.subset, weight)).fontSize(options.size).text(run.text, cx, y, { lineBreak: false });
    cx += doc.widthOfString(run.text);
  }
  return width;
}

export type { PDFDocument };

/**
 * A local look at the report card: makes the PDF of a province from fixed figures (the 2017 method's
 * five elements, a small cell, a three-release trend, and the "chưa công bố" band when asked) and renders
 * its first page to a PNG with pdf.js, to be looked at. Not a test: the suites check the card's text.
 *
 *   npx tsx scripts/report-card-preview.ts [out-dir] [--embargoed]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reportCardPdf } from '../server/modules/releases/report-card';
import type { ProvinceView } from '../server/modules/releases/release.present';

interface Indicator {
  id: string;
  level: string;
  label: { vi: string; en: string };
}

const outDir = path.resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'artifacts');
const embargoed = process.argv.includes('--embargoed');
const definition = JSON.parse(readFileSync(path.join(__dirname, '..', 'survey-forms', 'index-definitions', 'sipas-2017', '1.json'), 'utf8')) as { indicators: Indicator[] };
const overallLabel = definition.indicators.find((i) => i.level === 'overall')?.label ?? { vi: 'Chỉ số SIPAS', en: 'SIPAS' };

const figure = (indicator: string, level: string, label: Indicator['label'], value: number, national: number, n: number, reliable = true): ProvinceView['overall'] => ({
  indicator,
  level: level as ProvinceView['overall']['level'],
  label,
  value,
  low: value - 2.4,
  high: Math.min(100, value + 2.1),
  n,
  rank: 7,
  reliable,
  previousValue: value - 1.37,
  changePoints: 1.37,
  changePlaces: 3,
  changeText: '▲ tăng 3 bậc',
  national,
  difference: Math.round((value - national) * 100) / 100,
});

const parts = definition.indicators
  .filter((i) => i.level === 'element')
  .map((i, k) => figure(i.id, 'element', i.label, [86.42, 79.1, 91.05, 83.77, 42.5][k] ?? 80, [84.1, 80.35, 88.6, 82.02, 47.9][k] ?? 80, k === 4 ? 18 : 412, k !== 4));
const view: ProvinceView = {
  releaseId: '2024.2',
  year: 2024,
  notice: embargoed ? { vi: 'chưa công bố', en: 'not yet published' } : null,
  province: { code: '38', name: 'Tỉnh Thừa Thiên Huế', nameShort: 'Thừa Thiên Huế', nameEn: 'Thua Thien Hue', unitType: 'province', region: 'north-central-coast' },
  edition: 63,
  provincesRanked: 63,
  minimumN: 30,
  overall: figure('overall', 'overall', overallLabel, 84.63, 82.71, 412),
  parts,
  notes: parts.filter((p) => !p.reliable).map((p) => ({ indicator: p.indicator, vi: `${p.label.vi}: ${p.n} người trả lời, dưới cỡ mẫu tối thiểu 30; đọc số liệu thận trọng.`, en: '' })),
  trend: [
    { releaseId: '2022.1', year: 2022, value: 81.02, rank: 15 },
    { releaseId: '2023.1', year: 2023, value: 83.26, rank: 10 },
    { releaseId: '2024.2', year: 2024, value: 84.63, rank: 7 },
  ],
  figuresDigest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const pdfPath = path.join(outDir, `report-card${embargoed ? '-embargoed' : ''}.pdf`);
  writeFileSync(pdfPath, await reportCardPdf(view, new Date('2025-04-06T02:00:00Z')));
  // pdf.js loads its worker by a dynamic import: render in a plain Node process.
  const script =
    "const { PDFParse } = require('pdf-parse'); const fs = require('node:fs');" +
    '(async () => { const parser = new PDFParse({ data: fs.readFileSync(process.argv[1]) });' +
    ' const shot = await parser.getScreenshot({ partial: [1], scale: 2 }); fs.writeFileSync(process.argv[2], Buffer.from(shot.pages[0].data)); await parser.destroy(); })();';
  const pngPath = pdfPath.replace(/\.pdf$/, '-page1.png');
  execFileSync(process.execPath, ['-e', script, pdfPath, pngPath], { cwd: __dirname, stdio: 'inherit' });
  process.stdout.write(`${pdfPath}\n${pngPath}\n`);
}

void main();

/**
 * A province's report card: one A4 page in Vietnamese — value, rank, change, the table of its
 * elements (or components) against the national figure as the Ministry lays it out, a bar chart,
 * the trend across releases and the small-cell notes. Made with pdfkit; the same figures give the
 * same bytes (the document's dates are the release's).
 */
import PDFDocument from 'pdfkit';
import { drawText, fitText, registerVietnameseFonts } from './vietnamese-text';
import { UNIT_TYPE_LABELS } from '../../../survey-forms/provinces';
import type { ProvinceView } from './release.present';

const TEAL = '#0b5d5e';
const GREY = '#666666';
const fmt = (v: number | null): string => (v === null ? '–' : v.toFixed(2).replace('.', ','));
const signed = (v: number | null): string => (v === null ? '–' : `${v > 0 ? '+' : ''}${fmt(v)}`);
const UP = '#1a7f37';
const DOWN = '#b3261e';

/**
 * A change of rank ("▲ tăng 3 bậc"): the font has no arrows, so the arrow is drawn as a triangle
 * (green up, red down) and the words beside it.
 */
function drawPlaces(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const arrow = /^([▲▼])\s*/.exec(text);
  if (!arrow) {
    drawText(doc, text, x, y, { size, weight: 700, color: TEAL });
    return;
  }
  const s = size * 0.6;
  const top = y + size * 0.3;
  if (arrow[1] === '▲') doc.polygon([x, top + s], [x + s, top + s], [x + s / 2, top]).fill(UP);
  else doc.polygon([x, top], [x + s, top], [x + s / 2, top + s]).fill(DOWN);
  drawText(doc, text.slice(arrow[0].length), x + s + 5, y, { size, weight: 700, color: arrow[1] === '▲' ? UP : DOWN });
}

/** The PDF of a province's report card. `madeAt` is written as the document's creation date. */
export function reportCardPdf(view: ProvinceView, madeAt: Date): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `SIPAS ${view.year} – ${view.province.name}`, Author: 'SIPAS', CreationDate: madeAt, ModDate: madeAt } });
  registerVietnameseFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = 50;
  const width = 495;
  let y = 50;

  if (view.notice) {
    doc.rect(left, y, width, 26).fill('#b00020');
    drawText(doc, `CHƯA CÔNG BỐ — ${view.notice.en.toUpperCase()}`, left, y + 7, { size: 11, weight: 700, color: '#ffffff', align: 'center', width });
    y += 36;
  }
  drawText(doc, 'BỘ NỘI VỤ — CHỈ SỐ HÀI LÒNG VỀ SỰ PHỤC VỤ HÀNH CHÍNH (SIPAS)', left, y, { size: 9, color: GREY });
  y += 16;
  drawText(doc, `PHIẾU KẾT QUẢ SIPAS ${view.year}`, left, y, { size: 18, weight: 700, color: TEAL });
  y += 26;
  drawText(doc, view.province.name, left, y, { size: 22, weight: 700 });
  y += 30;
  drawText(doc, `${UNIT_TYPE_LABELS[view.province.unitType].vi} · Bản công bố ${view.releaseId}`, left, y, { size: 10, color: GREY });
  y += 24;

  // Key figures.
  const boxes: Array<[string, string]> = [
    ['Chỉ số SIPAS', `${fmt(view.overall.value)}%`],
    ['Xếp hạng', view.overall.rank === null ? '–' : `${view.overall.rank}/${view.provincesRanked}`],
    ['Thay đổi (điểm %)', signed(view.overall.changePoints)],
    ['Thay đổi thứ hạng', view.overall.changeText ?? '–'],
  ];
  const boxWidth = (width - 3 * 8) / 4;
  boxes.forEach(([label, value], i) => {
    const x = left + i * (boxWidth + 8);
    doc.rect(x, y, boxWidth, 54).lineWidth(0.8).strokeColor('#c8d8d8').stroke();
    drawText(doc, label, x + 8, y + 8, { size: 8.5, color: GREY });
    if (i === 3) drawPlaces(doc, value, x + 8, y + 24, 15);
    else drawText(doc, value, x + 8, y + 24, { size: 15, weight: 700, color: TEAL });
  });
  y += 66;
  drawText(doc, `Toàn quốc: ${fmt(view.overall.national)}% · Khoảng tin cậy 95%: ${fmt(view.overall.low)}–${fmt(view.overall.high)} · n = ${view.overall.n}`, left, y, { size: 9, color: GREY });
  y += 22;

  // The table, Ministry style.
  const columns: Array<[string, number, 'left' | 'right']> = [
    ['Nội dung', 190, 'left'],
    ['Tỉnh (%)', 55, 'right'],
    ['Toàn quốc (%)', 70, 'right'],
    ['Chênh lệch', 55, 'right'],
    ['KTC 95%', 85, 'right'],
    ['n', 40, 'right'],
  ];
  doc.rect(left, y, width, 20).fill(TEAL);
  let x = left;
  for (const [title, w, align] of columns) {
    drawText(doc, title, x + 4, y + 6, { size: 8.5, weight: 700, color: '#ffffff', align, width: w - 8 });
    x += w;
  }
  y += 20;
  for (const [i, f] of [view.overall, ...view.parts].entries()) {
    if (i % 2 === 1) doc.rect(left, y, width, 18).fill('#eef5f5');
    const weight = i === 0 ? 700 : 400;
    const label = fitText(doc, f.label.vi, (columns[0]?.[1] ?? 190) - 8, 8.5, weight, f.reliable ? '' : ' *');
    const values = [label, fmt(f.value), fmt(f.national), signed(f.difference), f.low === null ? '–' : `${fmt(f.low)}–${fmt(f.high)}`, String(f.n)];
    x = left;
    columns.forEach(([, w, align], c) => {
      drawText(doc, values[c] ?? '', x + 4, y + 5, { size: 8.5, weight, align, width: w - 8 });
      x += w;
    });
    y += 18;
  }
  y += 16;

  // Bars: the province against the national figure, each element (or component).
  drawText(doc, 'So sánh với toàn quốc', left, y, { size: 11, weight: 700, color: TEAL });
  y += 18;
  const barLeft = left + 170;
  const barWidth = width - 170 - 50;
  for (const f of view.parts) {
    drawText(doc, fitText(doc, f.label.vi, 162, 8, 400, f.reliable ? '' : ' *'), left, y + 2, { size: 8 });
    doc.rect(barLeft, y, ((f.value ?? 0) / 100) * barWidth, 8).fill(f.reliable ? TEAL : '#8fb3b3');
    doc.rect(barLeft, y + 9, ((f.national ?? 0) / 100) * barWidth, 6).fill('#9fc4c4');
    drawText(doc, fmt(f.value), barLeft + ((f.value ?? 0) / 100) * barWidth + 5, y, { size: 8, weight: 700 });
    drawText(doc, fmt(f.national), barLeft + ((f.national ?? 0) / 100) * barWidth + 5, y + 8, { size: 7, color: GREY });
    y += 22;
  }
  doc.rect(left, y + 1, 8, 8).fill(TEAL);
  drawText(doc, 'Tỉnh', left + 12, y, { size: 8 });
  doc.rect(left + 50, y + 1, 8, 8).fill('#9fc4c4');
  drawText(doc, 'Toàn quốc', left + 62, y, { size: 8 });
  y += 20;

  if (view.trend.length > 0) {
    drawText(doc, 'Qua các năm', left, y, { size: 11, weight: 700, color: TEAL });
    y += 16;
    drawText(doc, view.trend.map((t) => `${t.year}: ${fmt(t.value)}% (hạng ${t.rank ?? '–'})`).join('   ·   '), left, y, { size: 8.5 });
    y += 20;
  }
  for (const note of view.notes) {
    drawText(doc, `* ${note.vi}`, left, y, { size: 7.5, color: GREY });
    y += 12;
  }
  drawText(doc, `Nhóm tỉnh và toàn quốc là trung bình cộng giản đơn của các tỉnh. SHA-256 số liệu: ${view.figuresDigest.slice(0, 32)}…`, left, 790, { size: 7, color: GREY });
  doc.end();
  return done;
}

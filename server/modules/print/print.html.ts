/**
 * The printed questionnaire as HTML: A4, Vietnamese, one form per sample unit, drawn from the
 * questionnaire version itself (its sections, grids and skip rules), never by hand. The serial and
 * its QR code sit in each form's table head, which the browser repeats on every printed page.
 */
import type { CompiledForm } from '../../../survey-forms/form';
import type { Item, LocalizedText } from '../../../survey-forms/form-definition.schema';
import { sectionBlocks } from '../../../survey-forms/form-layout';
import { printPlan, type PrintPlan } from '../../../survey-forms/print-plan';

export interface PrintedForm {
  serial: string;
  unitId: string;
  provinceName: string;
  /** The serial's QR code as SVG markup. */
  qrSvg: string;
  /** The unit's respondent link (full address) and its QR code, when the round allows `cawi`. */
  respondent?: { url: string; qrSvg: string };
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const vi = (text: LocalizedText): string => escapeHtml(text.vi);

const STYLE = `
@page { size: A4; margin: 12mm 12mm 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", "Noto Serif", serif; font-size: 11pt; color: #000; margin: 0; }
.form { width: 100%; border-collapse: collapse; break-before: page; }
.form:first-of-type { break-before: auto; }
.form > thead td { border-bottom: 1.5pt solid #000; padding: 0 0 4pt 0; }
.head { display: flex; justify-content: space-between; align-items: center; gap: 8pt; }
.head h1 { font-size: 13pt; margin: 0 0 2pt 0; }
.head p { margin: 0; font-size: 10pt; }
.serial { font-family: "Courier New", monospace; font-size: 12pt; font-weight: bold; letter-spacing: .5pt; }
.qr { width: 27mm; height: 27mm; flex: none; }
.qr svg, .respondent-qr svg { width: 100%; height: 100%; display: block; }
.respondent { flex: none; width: 31mm; text-align: center; font-size: 8pt; line-height: 1.15; }
.respondent-qr { width: 27mm; height: 27mm; margin: 0 auto; }
.respondent p { font-size: 8pt; margin: 0; }
.respondent-url { font-family: "Courier New", monospace; font-size: 8.5pt; word-break: break-all; }
h2 { font-size: 12pt; margin: 8pt 0 4pt; break-after: avoid; }
.q { margin: 4pt 0 6pt; break-inside: avoid; }
.q .n { font-weight: bold; }
.opts { margin: 2pt 0 0 14pt; padding: 0; list-style: none; columns: 2; }
.opts li { margin: 1pt 0; }
.box { display: inline-block; width: 9pt; height: 9pt; border: 1pt solid #000; margin-right: 4pt; vertical-align: -1pt; }
.skip { font-style: italic; margin: 2pt 0 0 14pt; }
.line { border-bottom: 1pt dotted #000; height: 16pt; margin-left: 14pt; }
table.grid { width: 100%; border-collapse: collapse; margin: 4pt 0; break-inside: auto; }
table.grid th, table.grid td { border: .75pt solid #000; padding: 2pt 3pt; vertical-align: middle; }
table.grid tr { break-inside: avoid; }
table.grid td.codes { white-space: nowrap; text-align: center; font-family: "Courier New", monospace; }
.legend { font-size: 9.5pt; margin: 2pt 0; }
@media screen { body { background: #eee; } .form { background: #fff; width: 210mm; margin: 8mm auto; padding: 10mm; display: table; } }
`;

function optionsOf(form: CompiledForm, item: Item): ReadonlyArray<{ code: string | number; label: LocalizedText }> {
  const compiled = form.itemById.get(item.id);
  if (compiled?.scale) return [...compiled.scale.options, ...(compiled.scale.notApplicable ? [compiled.scale.notApplicable] : [])];
  return compiled?.options ?? [];
}

function skipLines(plan: PrintPlan, item: Item): string {
  return (plan.skipsOf.get(item.id) ?? []).map((s) => `<p class="skip">→ ${escapeHtml(s.vi)}</p>`).join('');
}

function questionHtml(form: CompiledForm, plan: PrintPlan, item: Item): string {
  const head = `<span class="n">Câu ${plan.numberOf.get(item.id) ?? ''}.</span> ${vi(item.label)}`;
  let body = '';
  switch (item.type) {
    case 'single':
    case 'scale':
      body = `<ul class="opts">${optionsOf(form, item)
        .map((o) => `<li><span class="box"></span>${escapeHtml(String(o.code))}. ${vi(o.label)}</li>`)
        .join('')}</ul>`;
      break;
    case 'multiple':
      body = `<p class="skip">(Có thể chọn nhiều phương án)</p><ul class="opts">${optionsOf(form, item)
        .map((o) => `<li><span class="box"></span>${escapeHtml(String(o.code))}. ${vi(o.label)}</li>`)
        .join('')}</ul>`;
      break;
    case 'integer':
      body = `<div class="line" style="width:40mm"></div>`;
      break;
    case 'text':
      body = `<div class="line"></div><div class="line"></div>`;
      break;
  }
  return `<div class="q" data-item="${escapeHtml(item.id)}">${head}${body}${skipLines(plan, item)}</div>`;
}

function gridHtml(form: CompiledForm, plan: PrintPlan, block: Extract<ReturnType<typeof sectionBlocks>[number], { kind: 'grid' }>): string {
  // One legend per column: perception and satisfaction items of a row may use different scales.
  const legend = (block.rows[0]?.items ?? [])
    .map((item, i) => {
      const codes = optionsOf(form, item).map((o) => `${escapeHtml(String(o.code))} = ${vi(o.label)}`).join('; ');
      return `<p class="legend">${block.columns[i] ? `<b>${vi(block.columns[i])}</b>: ` : ''}${codes}</p>`;
    })
    .join('');
  const width = Math.max(...block.rows.map((r) => r.items.length), block.columns.length);
  const heads = Array.from({ length: width }, (_, i) => `<th>${block.columns[i] ? vi(block.columns[i]) : ''}</th>`).join('');
  const rows = block.rows
    .map((row) => {
      const numbers = row.items.map((i) => plan.numberOf.get(i.id)).filter((n): n is number => n !== undefined);
      const cells = row.items
        .map((i) => `<td class="codes" data-item="${escapeHtml(i.id)}">${optionsOf(form, i).map((o) => `<span class="box"></span>${escapeHtml(String(o.code))}`).join(' ')}</td>`)
        .join('');
      const skips = row.items.map((i) => skipLines(plan, i)).join('');
      return `<tr><td><span class="n">Câu ${numbers.join('–')}.</span> ${vi(row.label)}${skips}</td>${cells}</tr>`;
    })
    .join('');
  return `<p class="legend">Đánh dấu một mã cho mỗi ô.</p>${legend}<table class="grid"><thead><tr><th>Tiêu chí</th>${heads}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** The respondent link as text, under the serial: long, so it gets the width of the head. */
function respondentLine(printed: PrintedForm): string {
  if (!printed.respondent) return '';
  return `<p>Tự trả lời trực tuyến tại: <span class="respondent-url">${escapeHtml(printed.respondent.url)}</span></p>`;
}

/** The respondent link's QR code with what to do with it, beside the serial's. */
function respondentBlock(printed: PrintedForm): string {
  if (!printed.respondent) return '';
  return (
    `<div class="respondent"><div class="respondent-qr" role="img" aria-label="Mã QR để tự trả lời trực tuyến: ${escapeHtml(printed.respondent.url)}">${printed.respondent.qrSvg}</div>` +
    `<p>Quét mã để tự trả lời trực tuyến</p></div>`
  );
}

function formHtml(form: CompiledForm, plan: PrintPlan, printed: PrintedForm, roundId: string): string {
  const sections = form.definition.sections
    .map((section) => {
      const blocks = sectionBlocks(section)
        .map((block) => (block.kind === 'item' ? questionHtml(form, plan, block.item) : gridHtml(form, plan, block)))
        .join('');
      return `<section><h2>${vi(section.title)}</h2>${blocks}</section>`;
    })
    .join('');
  return (
    `<table class="form" data-serial="${escapeHtml(printed.serial)}"><thead><tr><td><div class="head"><div>` +
    `<h1>${vi(form.definition.title)}</h1>` +
    `<p>Đợt khảo sát: ${escapeHtml(roundId)} · Phiếu hỏi ${escapeHtml(form.definition.formId)} phiên bản ${escapeHtml(form.definition.version)}</p>` +
    `<p>Đơn vị mẫu: ${escapeHtml(printed.unitId)} · ${escapeHtml(printed.provinceName)}</p>` +
    `<p>Số phiếu: <span class="serial">${escapeHtml(printed.serial)}</span></p>${respondentLine(printed)}</div>` +
    respondentBlock(printed) +
    `<div class="qr" role="img" aria-label="Mã QR của số phiếu ${escapeHtml(printed.serial)}">${printed.qrSvg}</div></div></td></tr></thead>` +
    `<tbody><tr><td>${sections}</td></tr></tbody></table>`
  );
}

/** The whole print document: every form, one after the other, each starting on a new page. */
export function printDocument(form: CompiledForm, roundId: string, forms: ReadonlyArray<PrintedForm>): string {
  const plan = printPlan(form.definition.sections, (item) => optionsOf(form, item));
  return (
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Phiếu khảo sát ${escapeHtml(roundId)} (${forms.length} phiếu)</title>` +
    `<style>${STYLE}</style></head><body><main>${forms.map((f) => formHtml(form, plan, f, roundId)).join('')}</main></body></html>`
  );
}

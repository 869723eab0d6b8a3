/**
 * A response as a reviewer reads it: each answer with its question and answer label, and each quality
 * flag's evidence in a sentence, in Vietnamese or English. Pure and browser-safe: the supervisor
 * dashboard and the enumerator app both use it.
 */
import type { FormDefinition, Item, Option } from './form-definition.schema';

export type ReviewLang = 'vi' | 'en';

export interface AnswerLine {
  sectionTitle: string;
  itemId: string;
  question: string;
  /** The answer as words: the option's label, several joined, or the text or number itself. */
  answer: string;
  /** The answer as stored, for who wants the code. */
  code: string;
}

function optionsOf(form: FormDefinition, item: Item): { options: Option[]; extra: Option[] } {
  if (item.type === 'scale') {
    const scale = form.scales[item.scale];
    return { options: scale?.options ?? [], extra: scale?.notApplicable ? [scale.notApplicable] : [] };
  }
  if (item.type === 'single' || item.type === 'multiple') {
    return { options: item.options ?? (item.codeList ? (form.codeLists[item.codeList] ?? []) : []), extra: [] };
  }
  return { options: [], extra: [] };
}

/** The label of one answer code; the code itself when the questionnaire has no such option. */
function labelOf(options: ReadonlyArray<Option>, code: unknown, lang: ReviewLang): string {
  const option = options.find((o) => String(o.code) === String(code));
  return option ? option.label[lang] : String(code);
}

/** Every answered item in questionnaire order, with its question and answer in words. Answers to unknown items come last, as stored. */
export function answerLines(form: FormDefinition, answers: Readonly<Record<string, unknown>>, lang: ReviewLang): AnswerLine[] {
  const lines: AnswerLine[] = [];
  const seen = new Set<string>();
  for (const section of form.sections) {
    for (const item of section.items) {
      if (!(item.id in answers)) continue;
      seen.add(item.id);
      const value = answers[item.id];
      const { options, extra } = optionsOf(form, item);
      const all = [...options, ...extra];
      const answer = Array.isArray(value) ? value.map((v) => labelOf(all, v, lang)).join('; ') : all.length > 0 ? labelOf(all, value, lang) : String(value);
      lines.push({ sectionTitle: section.title[lang], itemId: item.id, question: item.label[lang], answer, code: Array.isArray(value) ? value.join(', ') : String(value) });
    }
  }
  for (const [itemId, value] of Object.entries(answers)) {
    if (!seen.has(itemId)) lines.push({ sectionTitle: '', itemId, question: itemId, answer: JSON.stringify(value), code: JSON.stringify(value) });
  }
  return lines;
}

const num = (x: unknown): number => (typeof x === 'number' ? x : Number(x));
const minutes = (seconds: unknown): string => `${Math.floor(num(seconds) / 60)}:${String(Math.round(num(seconds) % 60)).padStart(2, '0')}`;

/** A quality flag's evidence in a sentence a supervisor reads at once. */
export function flagEvidenceWords(rule: string, evidence: Readonly<Record<string, unknown>>, lang: ReviewLang): string {
  const vi = lang === 'vi';
  switch (rule) {
    case 'too-fast':
      return vi
        ? `Phỏng vấn kéo dài ${minutes(evidence.durationSeconds)} phút, ngắn hơn mức tối thiểu ${minutes(evidence.minimumSeconds)} phút.`
        : `The interview took ${minutes(evidence.durationSeconds)} min, shorter than the minimum of ${minutes(evidence.minimumSeconds)} min.`;
    case 'straight-lining':
      return vi
        ? `Cả ${num(evidence.items)} câu hỏi thang đo đều được trả lời giống nhau (mã ${String(evidence.value)}).`
        : `All ${num(evidence.items)} scale questions got the same answer (code ${String(evidence.value)}).`;
    case 'duplicate-respondent': {
      const others = Array.isArray(evidence.otherResponseIds) ? evidence.otherResponseIds.length : 0;
      const by = evidence.by === 'phone' ? (vi ? 'cùng số điện thoại' : 'the same phone number') : vi ? 'cùng đơn vị mẫu' : 'the same sample unit';
      return vi ? `Có ${others} phiếu khác với ${by}.` : `${others} other response(s) with ${by}.`;
    }
    case 'overlapping-interviews': {
      const overlaps = Array.isArray(evidence.overlaps) ? (evidence.overlaps as Array<{ overlapSeconds?: unknown }>) : [];
      const longest = Math.max(0, ...overlaps.map((o) => num(o.overlapSeconds)));
      return vi
        ? `Trùng giờ với ${overlaps.length} cuộc phỏng vấn khác của cùng điều tra viên (lâu nhất ${minutes(longest)} phút).`
        : `Overlaps ${overlaps.length} other interview(s) by the same enumerator (longest ${minutes(longest)} min).`;
    }
    case 'out-of-area':
      return vi
        ? `Vị trí ghi nhận cách địa bàn tỉnh ${num(evidence.distanceKm).toFixed(1)} km (độ chính xác GPS ${evidence.accuracyMeters === null ? 'không rõ' : `${num(evidence.accuracyMeters)} m`}).`
        : `The recorded location is ${num(evidence.distanceKm).toFixed(1)} km outside the province (GPS accuracy ${evidence.accuracyMeters === null ? 'unknown' : `${num(evidence.accuracyMeters)} m`}).`;
    default:
      return Object.entries(evidence)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ');
  }
}

export interface TimelineStep {
  at: string | null;
  label: string;
  seconds: number | null;
}

/** The interview's paradata as a timeline: start, the time spent on each section in order, end. */
export function paradataTimeline(form: FormDefinition, paradata: Readonly<Record<string, unknown>>, lang: ReviewLang): TimelineStep[] {
  const vi = lang === 'vi';
  const steps: TimelineStep[] = [{ at: typeof paradata.startedAt === 'string' ? paradata.startedAt : null, label: vi ? 'Bắt đầu phỏng vấn' : 'Interview started', seconds: null }];
  const sectionSeconds = (paradata.sectionSeconds ?? {}) as Record<string, unknown>;
  for (const section of form.sections) {
    if (section.id in sectionSeconds) steps.push({ at: null, label: section.title[lang], seconds: num(sectionSeconds[section.id]) });
  }
  steps.push({ at: typeof paradata.endedAt === 'string' ? paradata.endedAt : null, label: vi ? 'Kết thúc phỏng vấn' : 'Interview ended', seconds: null });
  return steps;
}

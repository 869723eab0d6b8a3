import { isItemRelevant, type CompiledForm, type FormItem } from './form';
import type { AnswerCode } from './form-definition.schema';

/** A seeded pseudo-random source in [0, 1): the same seed gives the same demo data everywhere. */
export type Random = () => number;

/** mulberry32: small, fast and good enough for synthetic data (not for anything secret). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticAnswerOptions {
  /** Probability that a satisfaction or agreement answer is positive (one of the scale's positive codes). */
  satisfied: number;
  /** Probability that a scale item is answered "not applicable", where the scale has it. @defaultValue 0.03 */
  notApplicable?: number;
  /** Fixed answers for some items (e.g. a dimension), used when the item is asked. */
  fixed?: Readonly<Record<string, unknown>>;
}

function pick<T>(random: Random, list: ReadonlyArray<T>): T {
  return list[Math.floor(random() * list.length)] as T;
}

function scaleAnswer(formItem: FormItem, random: Random, options: SyntheticAnswerOptions): AnswerCode {
  const scale = formItem.scale;
  if (!scale) throw new Error(`${formItem.item.id} is not a scale item`);
  if (scale.notApplicable && random() < (options.notApplicable ?? 0.03)) return scale.notApplicable.code;
  const positive = scale.options.filter((o) => scale.positiveCodes.includes(o.code as number));
  const other = scale.options.filter((o) => !scale.positiveCodes.includes(o.code as number));
  if (other.length === 0 || random() < options.satisfied) {
    // Among positive answers the milder is commoner ("hài lòng" over "rất hài lòng").
    return (positive.length > 1 && random() < 0.4 ? positive[positive.length - 1] : positive[0])?.code ?? scale.options[0]!.code;
  }
  // Among the others, the one nearest the positive side is commonest ("bình thường" over "không hài lòng").
  const u = random();
  const index = u < 0.6 ? other.length - 1 : u < 0.9 ? Math.max(0, other.length - 2) : 0;
  return other[index]!.code;
}

const COMMENTS = [
  'Cán bộ nhiệt tình, hướng dẫn rõ ràng.',
  'Thời gian chờ còn lâu.',
  'Nên mở rộng dịch vụ công trực tuyến.',
  'Cần bố trí thêm chỗ ngồi chờ.',
  'Thủ tục đã đơn giản hơn trước.',
];

/**
 * Answers to a questionnaire version that pass its validator: items in order, skip rules followed,
 * every required item answered, satisfaction drawn around `satisfied` so a province's index lands
 * near it. Answers vary from item to item (no straight-lining).
 */
export function syntheticAnswers(form: CompiledForm, random: Random, options: SyntheticAnswerOptions): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const formItem of form.items) {
    const { item } = formItem;
    if (!isItemRelevant(formItem, answers)) continue;
    const fixed = options.fixed?.[item.id];
    if (fixed !== undefined) {
      answers[item.id] = fixed;
      continue;
    }
    switch (item.type) {
      case 'single':
        answers[item.id] = pick(random, formItem.codes);
        break;
      case 'multiple': {
        const min = Math.max(1, item.minSelected ?? 1);
        const max = Math.min(formItem.codes.length, item.maxSelected ?? 3);
        const count = min + Math.floor(random() * (max - min + 1));
        const pool = [...formItem.codes];
        const chosen: Array<string | number> = [];
        while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0] as string | number);
        answers[item.id] = chosen.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        break;
      }
      case 'scale':
        answers[item.id] = scaleAnswer(formItem, random, options);
        break;
      case 'text':
        if (item.required !== false || random() < 0.2) answers[item.id] = pick(random, COMMENTS).slice(0, item.maxLength ?? 2000);
        break;
      case 'integer': {
        const min = item.minimum ?? 0;
        const max = item.maximum ?? min + 100;
        answers[item.id] = min + Math.floor(random() * (max - min + 1));
        break;
      }
    }
  }
  return answers;
}

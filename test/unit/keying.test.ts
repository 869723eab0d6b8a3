import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { compareKeyings, countsOfPair, errorRatesOfCounts, isDoubleKeyed, keyingErrorRates, type KeyedPair, type KeyerCounts } from '../../survey-forms/keying';
import { surveyFormsDir } from '../../survey-forms/paths';
import { printPlan } from '../../survey-forms/print-plan';
import { serialFor } from '../../survey-forms/serial';

describe('double entry', () => {
  test('the share of forms keyed twice follows the round setting, decided by the serial alone', () => {
    const serials = Array.from({ length: 4000 }, (_, i) => serialFor('sipas-2024', `HN-${i}`));
    const chosen = (share: number) => serials.filter((s) => isDoubleKeyed(s, share)).length / serials.length;
    expect(chosen(0)).toBe(0);
    expect(chosen(100)).toBe(1);
    expect(chosen(10)).toBeGreaterThan(0.08);
    expect(chosen(10)).toBeLessThan(0.12);
    // Deterministic, and a larger share keeps every form a smaller one chose.
    expect(serials.filter((s) => isDoubleKeyed(s, 10))).toEqual(serials.filter((s) => isDoubleKeyed(s, 10)));
    expect(serials.filter((s) => isDoubleKeyed(s, 10)).every((s) => isDoubleKeyed(s, 20))).toBe(true);
  });

  test('keyings are compared item by item, in questionnaire order; blanks and order of choices are handled', () => {
    const result = compareKeyings(
      ['a', 'b', 'c', 'd', 'e', 'f'],
      { a: 1, b: 2, c: [1, 3], d: ' Hà  Nội ', f: 4 },
      { a: 1, b: 3, c: [3, 1], d: 'Hà Nội', e: 9 },
    );
    expect(result).toEqual({
      itemsCompared: 6,
      differences: [
        { itemId: 'b', first: 2, second: 3 },
        { itemId: 'e', first: undefined, second: 9 },
        { itemId: 'f', first: 4, second: undefined },
      ],
    });
    expect(compareKeyings(['a'], { a: 1 }, { a: 1 })).toEqual({ itemsCompared: 1, differences: [] });
  });

  test('the keying error rate counts a difference against both keyers of the form', () => {
    const rates = keyingErrorRates([
      { firstKeyer: 'an', secondKeyer: 'binh', itemsCompared: 50, differingItems: 2 },
      { firstKeyer: 'chi', secondKeyer: 'an', itemsCompared: 50, differingItems: 0 },
    ]);
    expect(rates).toEqual([
      { keyer: 'an', forms: 2, itemsKeyed: 100, differingItems: 2, rate: 0.02 },
      { keyer: 'binh', forms: 1, itemsKeyed: 50, differingItems: 2, rate: 0.04 },
      { keyer: 'chi', forms: 1, itemsKeyed: 50, differingItems: 0, rate: 0 },
    ]);
  });

  test('counts kept per keyer and province, added one form at a time, give the same rates as reading every form', () => {
    const keyers = ['an', 'binh', 'chi', 'dung'];
    const provinces = ['01', '79', '92'];
    const forms: Array<KeyedPair & { provinceCode: string }> = Array.from({ length: 300 }, (_, i) => {
      const first = keyers[i % 4] as string;
      return { provinceCode: provinces[i % 3] as string, firstKeyer: first, secondKeyer: keyers[(i * 7 + 1) % 4] === first ? (keyers[(i + 1) % 4] as string) : (keyers[(i * 7 + 1) % 4] as string), itemsCompared: 40 + (i % 9), differingItems: (i * 13) % 5 === 0 ? i % 3 : 0 };
    });
    const counters = new Map<string, KeyerCounts>();
    for (const form of forms) {
      for (const c of countsOfPair(form)) {
        const key = `${form.provinceCode}|${c.keyer}`;
        const row = counters.get(key) ?? { keyer: c.keyer, forms: 0, itemsKeyed: 0, differingItems: 0 };
        counters.set(key, { keyer: c.keyer, forms: row.forms + c.forms, itemsKeyed: row.itemsKeyed + c.itemsKeyed, differingItems: row.differingItems + c.differingItems });
      }
    }
    expect(counters.size).toBeLessThanOrEqual(keyers.length * provinces.length);
    expect(errorRatesOfCounts([...counters.values()])).toEqual(keyingErrorRates(forms));
    const in79 = [...counters.entries()].filter(([key]) => key.startsWith('79|')).map(([, c]) => c);
    expect(errorRatesOfCounts(in79)).toEqual(keyingErrorRates(forms.filter((f) => f.provinceCode === '79')));
  });
});

describe('the printed questionnaire’s numbers and skip instructions', () => {
  const form = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1.1')!;
  const plan = printPlan(form.definition.sections, (item) => {
    const compiled = form.itemById.get(item.id)!;
    return compiled.options ?? [...(compiled.scale?.options ?? [])];
  });

  test('questions are numbered in questionnaire order', () => {
    expect(plan.numberOf.get('respondent_type')).toBe(1);
    expect([...plan.numberOf.values()]).toEqual(Array.from({ length: form.items.length }, (_, i) => i + 1));
  });

  test('a question that routes the respondent says where to go, in words', () => {
    const next = form.items.findIndex((i) => i.item.id === 'overall_s') + 1;
    const skips = plan.skipsOf.get('gave_feedback');
    expect(skips).toEqual([{ codes: [2], goTo: next, vi: `Nếu chọn 2, chuyển sang câu ${next}.`, en: `If 2, go to question ${next}.` }]);
    expect(plan.skipsOf.has('c01_p')).toBe(false);
  });
});

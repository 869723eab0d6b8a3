import { quotaCellKey, quotaChanges, type QuotaTargetInput } from '../../survey-forms/quota-targets';

const row = (line: number, servingLevel: number, serviceField: number, target: number, respondentType: number | null = null): QuotaTargetInput => ({
  line,
  provinceCode: '01',
  servingLevel,
  serviceField,
  respondentType,
  target,
});

describe('what a quota upload would change', () => {
  test('when rows set new cells, change stored ones and repeat others, then only the new and changed cells are listed, old → new, in file order', () => {
    const stored = new Map([
      [quotaCellKey(row(0, 2, 1, 0)), 5],
      [quotaCellKey(row(0, 3, 2, 0)), 6],
    ]);
    const { changes, unchanged } = quotaChanges([row(4, 1, 1, 4), row(2, 2, 1, 8), row(3, 3, 2, 6)], stored);
    expect(unchanged).toBe(1);
    expect(changes).toEqual([
      { line: 2, provinceCode: '01', servingLevel: 2, serviceField: 1, respondentType: null, before: 5, after: 8 },
      { line: 4, provinceCode: '01', servingLevel: 1, serviceField: 1, respondentType: null, before: null, after: 4 },
    ]);
  });

  test('when a target covers one respondent type, then it is another cell than the one covering all types', () => {
    const stored = new Map([[quotaCellKey(row(0, 2, 1, 0)), 5]]);
    expect(quotaChanges([row(2, 2, 1, 5, 1)], stored).changes).toEqual([expect.objectContaining({ respondentType: 1, before: null, after: 5 })]);
    expect(quotaChanges([], stored)).toEqual({ changes: [], unchanged: 0 });
  });
});

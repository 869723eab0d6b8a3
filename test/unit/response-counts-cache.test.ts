import type { FieldScope } from '../../survey-forms/field-scope';
import { createResponseCountsCache, type CellCounts, type DailyCounts, type EnumeratorCounts } from '../../server/modules/quotas/response-counts-cache';

const DIMENSIONS = { servingLevel: 'l', serviceField: 'f', respondentType: 't' };

/** Stored responses as the statistics see them: one count per province, and a log of what was asked. */
function fakeStats(counts: Record<string, number>) {
  const changedAt = new Map<string, Date>();
  const asked: string[] = [];
  const inScope = (scope: FieldScope | undefined) => Object.keys(counts).filter((p) => scope?.provinces === undefined || scope.provinces.includes(p));
  return {
    asked,
    change(province: string, n: number, at: Date) {
      counts[province] = n;
      changedAt.set(province, at);
    },
    stats: {
      countByCell: (_r: string, _d: unknown, scope: FieldScope | undefined): Promise<CellCounts> => {
        asked.push(`cells:${inScope(scope).join(',')}`);
        return Promise.resolve(
          inScope(scope).map((p) => ({ provinceCode: p, postOffice: null, servingLevel: 1, serviceField: 1, respondentType: 1, reviewStatus: 'clear' as const, flagged: false, responses: counts[p] ?? 0 })),
        );
      },
      dailyByCell: (_r: string, _d: unknown, scope: FieldScope | undefined): Promise<DailyCounts> =>
        Promise.resolve(inScope(scope).map((p) => ({ provinceCode: p, postOffice: null, servingLevel: 1, serviceField: 1, day: '2024-09-01', responses: counts[p] ?? 0 }))),
      countByEnumerator: (_r: string, scope: FieldScope | undefined): Promise<EnumeratorCounts> => {
        asked.push(`enumerators:${inScope(scope).join(',')}`);
        return Promise.resolve(
          inScope(scope).map((p) => ({ username: `e${p}`, provinceCode: p, postOffice: null, responses: counts[p] ?? 0, flagged: 0, rejected: 0, activeDays: 1, lastDay: '2024-09-01' })),
        );
      },
      provincesChangedSince: (_r: string, scope: FieldScope | undefined, since: Date): Promise<string[]> => {
        asked.push('changes');
        return Promise.resolve(inScope(scope).filter((p) => (changedAt.get(p) ?? new Date(0)) > since));
      },
    },
  };
}

describe('the response counts kept between progress reads', () => {
  test('when nothing changed since the last read, then only the change question is asked and the counts are the same', async () => {
    const fake = fakeStats({ '01': 5, '79': 3 });
    let clock = new Date('2024-09-01T00:00:00Z');
    const cache = createResponseCountsCache(fake.stats, { now: () => clock });
    const first = await cache.read('r', DIMENSIONS, {}, undefined, false);
    clock = new Date('2024-09-01T00:00:05Z');
    fake.asked.length = 0;
    const second = await cache.read('r', DIMENSIONS, {}, undefined, false);
    expect(fake.asked).toEqual(['changes']);
    expect(second).toEqual(first);
  });

  test('when one province changed, then only that province is counted again and the others are kept', async () => {
    const fake = fakeStats({ '01': 5, '79': 3 });
    let clock = new Date('2024-09-01T00:00:00Z');
    const cache = createResponseCountsCache(fake.stats, { now: () => clock });
    await cache.read('r', DIMENSIONS, {}, undefined, true);
    fake.change('79', 4, new Date('2024-09-01T00:00:02Z'));
    clock = new Date('2024-09-01T00:00:05Z');
    fake.asked.length = 0;
    const counts = await cache.read('r', DIMENSIONS, {}, undefined, true);
    expect(fake.asked).toEqual(['changes', 'cells:79', 'enumerators:79']);
    expect(Object.fromEntries(counts.cells.map((c) => [c.provinceCode, c.responses]))).toEqual({ '01': 5, '79': 4 });
    expect(counts.enumerators?.map((e) => [e.username, e.responses])).toEqual([
      ['e01', 5],
      ['e79', 4],
    ]);
  });

  test('when the overview read without enumerators and a drill-down wants them, then they are counted then', async () => {
    const fake = fakeStats({ '01': 5 });
    const cache = createResponseCountsCache(fake.stats, { now: () => new Date('2024-09-01T00:00:00Z') });
    expect((await cache.read('r', DIMENSIONS, {}, undefined, false)).enumerators).toBeNull();
    expect((await cache.read('r', DIMENSIONS, {}, undefined, true)).enumerators).toHaveLength(1);
  });

  test('when two scopes read the same round, then each keeps its own counts', async () => {
    const fake = fakeStats({ '01': 5, '79': 3 });
    const cache = createResponseCountsCache(fake.stats, { now: () => new Date('2024-09-01T00:00:00Z') });
    const national = await cache.read('r', DIMENSIONS, {}, undefined, false);
    const hanoi = await cache.read('r', DIMENSIONS, { provinces: ['01'] }, undefined, false);
    expect(national.cells).toHaveLength(2);
    expect(hanoi.cells.map((c) => c.provinceCode)).toEqual(['01']);
  });
});

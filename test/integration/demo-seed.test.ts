import { seedDemoRound } from '../../scripts/demo-seed';
import { runQualityRules } from '../../survey-forms/quality-rules';
import { collection } from '../support/database';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

interface Row {
  group: string;
  n: number;
  value: number | null;
  changePoints?: number | null;
}

describeWithMongo('npm run demo:seed', () => {
  let system: TestSystem;
  let analyst: string;
  beforeAll(async () => {
    system = await startTestSystem();
    analyst = await system.userToken('analyst');
  });
  afterAll(() => system?.stop());

  const rowsOf = async (roundId: string, query: string): Promise<Row[]> => {
    const res = await system.http().get(`/api/v1/rounds/${roundId}/aggregates?${query}`).set('Authorization', `Bearer ${analyst}`).expect(200);
    return (res.body as { rows: Row[] }).rows;
  };

  test('when a small round is seeded on the 63 units, then every province has figures and the paradata would pass the checks', async () => {
    const result = await seedDemoRound({
      baseUrl: system.baseUrl,
      username: ADMIN.username,
      password: ADMIN.password,
      edition: 63,
      year: 2024,
      formId: 'sipas-2022',
      responses: 400,
      weighted: true,
    });
    expect(result).toMatchObject({ roundId: 'demo-2024', sent: 400, accepted: 400, duplicates: 0, jobId: expect.stringMatching(/^recompute-round\./) as string });
    const targets = Object.values(result.targets);
    expect(Math.min(...targets)).toBeGreaterThanOrEqual(0.75);
    expect(Math.max(...targets)).toBeLessThanOrEqual(0.96);

    const provinces = await rowsOf('demo-2024', 'by=province&estimate=pooled');
    expect(provinces).toHaveLength(63);
    expect(provinces.filter((r) => r.n === 0 || r.value === null)).toEqual([]);
    const weighted = await rowsOf('demo-2024', 'by=national&estimate=weighted&fields=group,n,value,effectiveN');
    expect(weighted[0]).toMatchObject({ n: 400, effectiveN: expect.any(Number) as number });

    // The quality rules find nothing: long enough, varied answers, no enumerator in two interviews at once.
    const form = system.web.deps.forms.get('sipas-2022', '1')!;
    const stored = (await collection(system, 'responses').find({ roundId: 'demo-2024' }).toArray()) as Array<{
      _id: string;
      answers: Record<string, unknown>;
      paradata: { startedAt: string; endedAt: string };
      submittedBy: string;
    }>;
    const interval = (r: (typeof stored)[number]) => ({ responseId: r._id, startedAt: new Date(r.paradata.startedAt), endedAt: new Date(r.paradata.endedAt) });
    const flags = stored.flatMap((r) => {
      const satisfactionAnswers = Object.fromEntries(
        form.items
          .filter((fi) => fi.scale?.kind === 'satisfaction' && typeof r.answers[fi.item.id] === 'number' && r.answers[fi.item.id] !== fi.scale.notApplicable?.code)
          .map((fi) => [fi.item.id, r.answers[fi.item.id] as number]),
      );
      return runQualityRules({
        ...interval(r),
        minDurationSeconds: form.definition.quality.minDurationSeconds,
        satisfactionAnswers,
        sameSampleUnit: [],
        samePhone: [],
        enumeratorInterviews: stored.filter((o) => o.submittedBy === r.submittedBy && o._id !== r._id).map(interval),
      }).map((flag) => `${r._id}: ${flag.message}`);
    });
    expect(flags).toEqual([]);
    // The worker's checks agree: every response is clear, and the quota grid has its targets.
    expect(await collection(system, 'responses').countDocuments({ roundId: 'demo-2024', reviewStatus: { $ne: 'clear' } })).toBe(0);
    expect((await system.web.deps.repos.quotas.list('demo-2024', undefined)).length).toBeGreaterThan(63);
    expect(new Set(stored.map((r) => r.submittedBy)).size).toBe(63);
    for (const { paradata } of stored) {
      const start = new Date(paradata.startedAt);
      // Working hours in Vietnam (UTC+7), during fieldwork.
      expect((start.getUTCHours() + 7) % 24).toBeGreaterThanOrEqual(7);
      expect((start.getUTCHours() + 7) % 24).toBeLessThan(17);
      expect(paradata.startedAt >= '2024-08-01' && paradata.startedAt < '2024-12-16').toBe(true);
    }
  });

  test('when the seeder runs again, then nothing is stored twice', async () => {
    const again = await seedDemoRound({
      baseUrl: system.baseUrl,
      username: ADMIN.username,
      password: ADMIN.password,
      edition: 63,
      year: 2024,
      formId: 'sipas-2022',
      responses: 400,
      weighted: true,
      recompute: false,
    });
    expect(again).toMatchObject({ accepted: 0, duplicates: 400 });
    expect(await system.web.deps.repos.responses.countByRound('demo-2024')).toBe(400);
  });

  test('when the next round is seeded on the 34 units after the 63-unit one, then changes compare both on the 34', async () => {
    const result = await seedDemoRound({
      baseUrl: system.baseUrl,
      username: ADMIN.username,
      password: ADMIN.password,
      edition: 34,
      responses: 200,
      seed: 7,
      previousRoundId: 'demo-2024',
    });
    expect(result).toMatchObject({ roundId: 'demo-2025', formId: 'sipas-2022', accepted: 200 });
    const rows = await rowsOf('demo-2025', 'by=province&fields=group,n,value,changePoints');
    expect(rows).toHaveLength(34);
    expect(rows.filter((r) => r.value === null || r.changePoints === null)).toEqual([]);
  });
});

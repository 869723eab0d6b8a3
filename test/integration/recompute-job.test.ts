import { DEFAULT_QUALITY_THRESHOLDS } from '../../survey-forms/quality-rules';
import { checkResponses } from '../../server/modules/quality/quality.service';
import { computeFigures, loadRoundMethod, recomputeProvinces, type AggregationDeps } from '../../server/modules/aggregates/aggregation.service';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

describeWithMongo('the recompute job', () => {
  let system: TestSystem;
  let deps: AggregationDeps;
  let roundId: string;

  beforeAll(async () => {
    system = await startTestSystem({ worker: false });
    const { repos, forms, definitions, provinces } = system.web.deps;
    deps = { rounds: repos.rounds, tallyFeed: repos.tallyFeed, tallies: repos.tallies, aggregates: repos.aggregates, forms, definitions, provinces };
    const admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const responses = [
      makeResponse(roundId, '01', makeAnswers(5)),
      makeResponse(roundId, '01', makeAnswers(3)),
      makeResponse(roundId, '46', makeAnswers(4)),
      makeResponse(roundId, '48', makeAnswers(2)),
    ];
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses }).expect(200);
    // No worker here: check the responses as its quality job would, so they count.
    const stored = await repos.rounds.findById(roundId);
    if (!stored) throw new Error('round not stored');
    const checked = await checkResponses(
      { responses: repos.responses, qualityChecks: repos.qualityChecks, sampleContacts: repos.sampleContacts, provinceAreas: repos.provinceAreas, forms, thresholds: DEFAULT_QUALITY_THRESHOLDS },
      stored,
      responses.map((r) => String(r.id)),
      'test-check',
    );
    expect(checked).toMatchObject({ checked: 4, flagged: 0 });
  });
  afterAll(() => system?.stop());

  const figures = async () => {
    const aggregate = await system.web.deps.repos.aggregates.findIndicatorFigures(roundId, 63, 'overall');
    const index = aggregate?.figures?.estimates.index.groupings;
    return {
      byProvince: index?.province,
      byUnitType: index?.['unit-type'].map(({ group, n, value, provinces }) => ({ group, n, value, provinces })),
      responses: aggregate?.responses,
    };
  };

  /** A re-tally job, then the figure computation it asks for. */
  const retallyAndCompute = async (payload: Parameters<typeof recomputeProvinces>[1]) => {
    await recomputeProvinces(deps, payload);
    await computeFigures(deps, await loadRoundMethod(deps, roundId));
  };

  test('when the same job runs twice, then the figures are the same after each run', async () => {
    const payload = { roundId, provinceCodes: ['01', '46', '48'], reason: 'manual' as const };
    await retallyAndCompute(payload);
    const first = await figures();
    await retallyAndCompute(payload);
    expect(await figures()).toEqual(first);
    expect(first.responses).toBe(4);
    // Huế (46) was a province in 2024: it joins the provinces' mean, Đà Nẵng (48) the other cities'.
    expect(first.byUnitType).toEqual([
      { group: 'special-class-city', n: 2, value: 50, provinces: 1 },
      { group: 'other-centrally-run-city', n: 1, value: 0, provinces: 1 },
      { group: 'province', n: 1, value: 100, provinces: 1 },
    ]);
  });

  test('when jobs for different provinces run at the same time, then the stored figures include all of them', async () => {
    const before = await figures();
    const jobs = ['01', '46', '48', '01', '46', '48'].map((code) => recomputeProvinces(deps, { roundId, provinceCodes: [code], reason: 'manual' }));
    await Promise.all(jobs);
    await Promise.all([0, 1].map(async () => computeFigures(deps, await loadRoundMethod(deps, roundId))));
    expect(await figures()).toEqual(before);
  });
});

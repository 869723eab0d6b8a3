import { figuresOf, loadRoundMethod } from '../../server/modules/aggregates/aggregation.service';
import { RESPONSE_MODES } from '../../survey-forms/modes';
import { serialFor } from '../../survey-forms/serial';
import { createTallier, type TalliedResponse } from '../../survey-forms/tally';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

interface Row {
  group: string;
  label: string;
  n: number;
  value: number | null;
  provinces: number | null;
}

describeWithMongo('figures by mode: interviews, keyed paper forms and online answers apart', () => {
  let system: TestSystem;
  let admin: string;
  let analyst: string;
  let enumerator: { username: string; token: string };
  let roundId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login('admin', 'admin-password-1');
    analyst = await system.userToken('analyst');
    enumerator = await system.createUser('enumerator', ['01', '79']);
    const round = makeRound({ year: 2026, fieldworkStart: '2026-08-01', fieldworkEnd: '2027-06-30', modes: ['capi', 'papi', 'cawi'] });
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const csv = [
      'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure',
      'HN-1,01,2,1,1,A,,,',
      'HN-2,01,2,1,1,B,,,',
      'HN-3,01,2,1,1,C,,,',
      'SG-1,79,2,1,1,D,,,',
      'SG-2,79,2,1,1,E,,,',
    ].join('\n');
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv }).expect(200);
    await system
      .http()
      .post(`/api/v1/rounds/${roundId}/assignments`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ enumerator: enumerator.username, unitIds: ['HN-1', 'HN-2', 'HN-3', 'SG-1', 'SG-2'] })
      .expect(200);
  });
  afterAll(() => system?.stop());

  const figures = async (query: string): Promise<{ by: string; responses: number; rows: Row[] }> =>
    (await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=mode&fields=group,label,n,value,provinces&${query}`).set('Authorization', `Bearer ${analyst}`).expect(200))
      .body as { by: string; responses: number; rows: Row[] };

  /** Per mode, the national row of figures recounted from that mode's counted responses alone, with no tally or figure stored. */
  const recountPerMode = async (estimate: 'index' | 'pooled'): Promise<Array<Omit<Row, 'label'>>> => {
    const deps = system.web.deps;
    const method = await loadRoundMethod({ rounds: deps.repos.rounds, forms: deps.forms, definitions: deps.definitions }, roundId);
    const counted: TalliedResponse[] = [];
    for (const { code } of deps.provinces.provinces(method.round.boundaryEdition)) {
      for await (const response of deps.repos.tallyFeed.streamForTally(roundId, code)) counted.push(response);
    }
    return RESPONSE_MODES.map((mode) => {
      const tallier = createTallier(method.form, method.definition);
      for (const response of counted) if ((response.mode ?? 'capi') === mode) tallier.add(response);
      const edition = figuresOf(deps, method, tallier.cells()).editions.find((e) => e.edition === method.round.boundaryEdition);
      const national = edition?.indicators.overall?.estimates[estimate].groupings.national[0];
      return { group: mode, n: national?.n ?? 0, value: national?.value ?? null, provinces: national?.provinces ?? null };
    });
  };

  test('when capi, papi and cawi responses are counted, then by=mode gives each mode the figures of a recount of its responses alone', async () => {
    // Interviews in two provinces, paper forms keyed in two, one unit answered online: different satisfaction per mode.
    const interviews = [makeResponse(roundId, '01', makeAnswers(5)), makeResponse(roundId, '79', makeAnswers(4)), makeResponse(roundId, '79', makeAnswers(5))];
    const keyed = (unitId: string, province: string, satisfaction: number) =>
      makeResponse(roundId, province, makeAnswers(satisfaction), { sampleUnitId: unitId, mode: 'papi', serial: serialFor(roundId, unitId) });
    const paper = [keyed('HN-1', '01', 2), keyed('SG-1', '79', 3), keyed('HN-2', '01', 4)];
    const results = await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator.token}`).send({ responses: [...interviews, ...paper] }).expect(200);
    expect((results.body as { results: Array<{ status: string }> }).results.map((r) => r.status)).toEqual(Array(6).fill('accepted'));

    const links = await system.http().get(`/api/v1/rounds/${roundId}/respondent-links`).set('Authorization', `Bearer ${admin}`).expect(200);
    const path = (links.body as { links: Array<{ unitId: string; path: string }> }).links.find((l) => l.unitId === 'HN-3')?.path ?? '';
    const { id, paradata } = makeResponse(roundId, '01') as { id: string; paradata: unknown };
    await system.http().post(`/api/v1/respond/${path.replace('/r/', '')}/submit`).send({ id, answers: makeAnswers(1), paradata }).expect(201);

    await system.drain();
    const stored = await collection(system, 'responses').find({ roundId }).toArray();
    expect(stored.map((d) => `${String(d.mode)} ${String(d.reviewStatus)}`).sort()).toEqual([...Array(3).fill('capi clear'), 'cawi clear', ...Array(3).fill('papi clear')]);

    const index = await figures('estimate=index');
    expect(index.responses).toBe(7);
    expect(index.rows.map((r) => [r.group, r.label])).toEqual([
      ['capi', 'Phỏng vấn trên thiết bị (CAPI)'],
      ['papi', 'Phiếu giấy được nhập liệu (PAPI)'],
      ['cawi', 'Tự trả lời trực tuyến (CAWI)'],
    ]);
    expect(index.rows.map(({ label: _label, ...row }) => row)).toEqual(await recountPerMode('index'));
    const pooled = await figures('estimate=pooled');
    expect(pooled.rows.map(({ label: _label, ...row }) => row)).toEqual(await recountPerMode('pooled'));
    // The modes differ, so the figures tell them apart: online (satisfaction 1) below paper, paper below interviews.
    const value = (rows: Row[], mode: string) => rows.find((r) => r.group === mode)?.value ?? NaN;
    expect(value(pooled.rows, 'cawi')).toBeLessThan(value(pooled.rows, 'papi'));
    expect(value(pooled.rows, 'papi')).toBeLessThan(value(pooled.rows, 'capi'));
    expect(pooled.rows.map((r) => r.n)).toEqual([3, 3, 1]);
  });

  test('when the round is recomputed in full, then by=mode is unchanged', async () => {
    const before = await figures('estimate=pooled');
    await system.http().post(`/api/v1/rounds/${roundId}/recompute`).set('Authorization', `Bearer ${admin}`).expect(202);
    await system.drain();
    expect(await figures('estimate=pooled')).toEqual({ ...before, computedAt: expect.any(String) });
  });

  test('when a by=mode table is downloaded as CSV, then each mode is a row with its label', async () => {
    const res = await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=mode&format=csv&fields=group,label,n`).set('Authorization', `Bearer ${analyst}`).expect(200);
    expect(res.text.replace(/^\uFEFF/, '').trim().split('\r\n')).toEqual(['group,label,n', 'capi,Phỏng vấn trên thiết bị (CAPI),3', 'papi,Phiếu giấy được nhập liệu (PAPI),3', 'cawi,Tự trả lời trực tuyến (CAWI),1']);
  });
});

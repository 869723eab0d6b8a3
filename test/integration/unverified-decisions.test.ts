import { makeAnswers } from '../factories';
import { collection } from '../support/database';
import { recountedFigures, storedFigures } from '../support/recount';
import { startDoubleEntryRound, type DoubleEntryRound } from '../support/double-entry-round';
import { describeWithMongo, type TestSystem } from '../support/system';

interface Table {
  responses: number;
  review: { awaitingVerification: number; awaitingSecondKeying: number };
}

describeWithMongo('review decisions on keyed forms still in double entry', () => {
  let system: TestSystem;
  let analyst: string;
  let supervisor: string;
  let keyerA: { username: string; token: string };
  let keyerB: { username: string; token: string };
  let roundId: string;
  let round: DoubleEntryRound;

  beforeAll(async () => {
    round = await startDoubleEntryRound(['HN-1', 'HN-2']);
    ({ system, analyst, supervisor, keyerA, keyerB, roundId } = round);
  });
  afterAll(() => system?.stop());

  const submit = async (token: string, response: Record<string, unknown>): Promise<string> =>
    ((await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${token}`).send({ responses: [response] }).expect(200)).body as { results: Array<{ status: string }> }).results[0]!.status;
  // Straight-lined answers: the quality checks flag the form, so a supervisor decides on it.
  const keyed = (unitId: string, answers: Record<string, unknown>) => round.keyed(unitId, answers);
  const table = async (): Promise<Table> => {
    await system.drain();
    return (await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=province`).set('Authorization', `Bearer ${analyst}`).expect(200)).body as Table;
  };
  const decide = (id: string, decision: 'approved' | 'rejected', expectedStatus: string) =>
    system.http().post(`/api/v1/rounds/${roundId}/responses/${id}/review`).set('Authorization', `Bearer ${supervisor}`).send({ decision, reason: 'Đã đối chiếu phiếu giấy', expectedStatus }).expect(200);
  const stored = (id: string) => collection(system, 'responses').findOne({ _id: id }) as Promise<{ reviewStatus: string; verification: string | null } | null>;
  /** The stored figures equal a recount from the responses that count: what a full re-tally would give. */
  const expectFiguresEqualRecount = async (): Promise<void> => {
    await system.drain();
    expect(await storedFigures(system.web.deps, roundId)).toEqual(await recountedFigures(system.web.deps, roundId));
  };

  const first = { hn1: {} as Record<string, unknown>, hn2: {} as Record<string, unknown> };

  test('when a flagged form awaiting its second keying is approved, then it still does not count until keyed again', async () => {
    first.hn1 = keyed('HN-1', makeAnswers(5, {}, { straightLine: true }));
    expect(await submit(keyerA.token, first.hn1)).toBe('accepted');
    await system.drain();
    expect(await stored(String(first.hn1.id))).toMatchObject({ reviewStatus: 'flagged', verification: 'awaiting-second-keying' });
    expect(await table()).toMatchObject({ responses: 0, review: { awaitingSecondKeying: 1 } });

    await decide(String(first.hn1.id), 'approved', 'flagged');
    expect(await table()).toMatchObject({ responses: 0, review: { awaitingSecondKeying: 1 } });
    await expectFiguresEqualRecount();

    // Keyed again, identically: the province is re-tallied and the approved form counts, once.
    expect(await submit(keyerB.token, keyed('HN-1', first.hn1.answers as Record<string, unknown>))).toBe('accepted');
    expect(await stored(String(first.hn1.id))).toMatchObject({ reviewStatus: 'approved', verification: 'agreed' });
    expect(await table()).toMatchObject({ responses: 1, review: { awaitingSecondKeying: 0 } });
    await expectFiguresEqualRecount();
  });

  test('when a flagged form whose keyings differ is approved, then it waits for verification out of the figures; verified, it counts once', async () => {
    first.hn2 = keyed('HN-2', makeAnswers(2, {}, { straightLine: true }));
    expect(await submit(keyerA.token, first.hn2)).toBe('accepted');
    expect(await submit(keyerB.token, keyed('HN-2', { ...(first.hn2.answers as Record<string, unknown>), c01_s: 3 }))).toBe('accepted');
    await system.drain();
    expect(await stored(String(first.hn2.id))).toMatchObject({ reviewStatus: 'flagged', verification: 'awaiting-verification' });

    await decide(String(first.hn2.id), 'approved', 'flagged');
    expect(await table()).toMatchObject({ responses: 1, review: { awaitingVerification: 1 } });
    await expectFiguresEqualRecount();

    await system.http().post(`/api/v1/rounds/${roundId}/verification/${String(first.hn2.id)}`).set('Authorization', `Bearer ${supervisor}`).send({ values: { c01_s: 2 } }).expect(200);
    expect(await table()).toMatchObject({ responses: 2, review: { awaitingVerification: 0 } });
    await expectFiguresEqualRecount();
  });

  test('when a verified form is rejected, then it leaves the figures (a decision on a form done with double entry counts as always)', async () => {
    await decide(String(first.hn2.id), 'rejected', 'approved');
    expect(await table()).toMatchObject({ responses: 1 });
    await expectFiguresEqualRecount();
  });
});

import { serialFor } from '../../survey-forms/serial';
import { makeAnswers } from '../factories';
import { collection } from '../support/database';
import { startDoubleEntryRound, type DoubleEntryRound } from '../support/double-entry-round';
import { describeWithMongo, type TestSystem } from '../support/system';

interface Result {
  id: string | null;
  status: string;
  errors?: Array<{ path: string; code: string }>;
}
interface Table {
  responses: number;
  review: { awaitingVerification: number; awaitingSecondKeying: number };
}

describeWithMongo('double entry of paper forms', () => {
  let system: TestSystem;
  let analyst: string;
  let supervisor: string;
  let keyerA: { username: string; token: string };
  let keyerB: { username: string; token: string };
  let roundId: string;
  let round: DoubleEntryRound;

  beforeAll(async () => {
    round = await startDoubleEntryRound(['HN-1', 'HN-2', 'HN-3']);
    ({ system, analyst, supervisor, keyerA, keyerB, roundId } = round);
  });
  afterAll(() => system?.stop());

  const submit = async (token: string, responses: unknown[]): Promise<Result[]> =>
    ((await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${token}`).send({ responses }).expect(200)).body as { results: Result[] }).results;
  const keyed = (unitId: string, answers = makeAnswers(4)) => round.keyed(unitId, answers);
  const table = async (): Promise<Table> => {
    await system.drain();
    return (await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=province`).set('Authorization', `Bearer ${analyst}`).expect(200)).body as Table;
  };
  const verification = (id: string) => collection(system, 'responses').findOne({ _id: id }).then((d) => (d as { verification?: string } | null)?.verification);

  // Made once the round exists (its id is in the serial).
  let first1: Record<string, unknown>;
  let first2: Record<string, unknown>;
  test('when a form chosen for double entry is keyed once, then it is stored but does not count, and the aggregates say it awaits a second keying', async () => {
    first1 = keyed('HN-1');
    // Other answers than HN-1's: identical answers on two keyed forms are flagged by the keying check.
    first2 = keyed('HN-2', makeAnswers(5));
    expect(await submit(keyerA.token, [first1])).toEqual([{ id: first1.id, status: 'accepted' }]);
    expect(await verification(String(first1.id))).toBe('awaiting-second-keying');
    expect(await table()).toMatchObject({ responses: 0, review: { awaitingSecondKeying: 1, awaitingVerification: 0 } });
  });

  test('when the same user keys the form again, then it is refused with same_keyer', async () => {
    const [result] = await submit(keyerA.token, [keyed('HN-1')]);
    expect(result).toMatchObject({ status: 'invalid', errors: [{ path: '/serial', code: 'same_keyer' }] });
  });

  test('when another user keys it identically, then the form counts once; the second keying resent is a duplicate', async () => {
    const second = keyed('HN-1', first1.answers as Record<string, unknown>);
    expect(await submit(keyerB.token, [second])).toEqual([{ id: second.id, status: 'accepted' }]);
    expect(await verification(String(first1.id))).toBe('agreed');
    expect(await table()).toMatchObject({ responses: 1, review: { awaitingSecondKeying: 0, awaitingVerification: 0 } });
    expect(await submit(keyerB.token, [second])).toEqual([{ id: second.id, status: 'duplicate' }]);
    expect(await submit(keyerA.token, [first1])).toEqual([{ id: first1.id, status: 'duplicate' }]);
    const third = keyed('HN-1');
    expect((await submit(keyerA.token, [third]))[0]).toMatchObject({ status: 'invalid', errors: [{ code: 'already_completed' }] });
    expect(await collection(system, 'responses').countDocuments({ roundId })).toBe(1);
  });

  test('when the keyings differ, then the form waits in the verification queue with both values beside the question, and does not count', async () => {
    const answers = { ...(first2.answers as Record<string, unknown>), c01_s: 1, c02_p: 2 };
    await submit(keyerA.token, [first2]);
    expect((await submit(keyerB.token, [keyed('HN-2', answers)]))[0]!.status).toBe('accepted');
    expect(await verification(String(first2.id))).toBe('awaiting-verification');
    expect(await table()).toMatchObject({ responses: 1, review: { awaitingVerification: 1 } });
    const queue = (await system.http().get(`/api/v1/rounds/${roundId}/verification`).set('Authorization', `Bearer ${supervisor}`).expect(200)).body as {
      total: number;
      items: Array<{ responseId: string; serial: string; firstKeyer: string; secondKeyer: string; differences: Array<{ itemId: string; label: { vi: string }; first: unknown; second: unknown }> }>;
    };
    expect(queue.total).toBe(1);
    expect(queue.items[0]).toMatchObject({ responseId: first2.id, serial: serialFor(roundId, 'HN-2'), firstKeyer: keyerA.username, secondKeyer: keyerB.username });
    expect(queue.items[0]!.differences.map((d) => [d.itemId, d.first, d.second])).toEqual([
      ['c01_s', 5, 1],
      ['c02_p', 5, 2],
    ]);
    expect(queue.items[0]!.differences[0]!.label.vi.length).toBeGreaterThan(5);
  });

  test('when a supervisor verifies, then the chosen values are stored, the decision is audited, and the form counts once', async () => {
    const path = `/api/v1/rounds/${roundId}/verification/${String(first2.id)}`;
    const missing = await system.http().post(path).set('Authorization', `Bearer ${supervisor}`).send({ values: { c01_s: 5 } }).expect(400);
    expect((missing.body as { error: { details: Array<{ path: string; code: string }> } }).error.details).toEqual([expect.objectContaining({ path: '/body/values/c02_p', code: 'required' })]);
    const outOfScale = await system.http().post(path).set('Authorization', `Bearer ${supervisor}`).send({ values: { c01_s: 7, c02_p: 2 } }).expect(400);
    expect((outOfScale.body as { error: { details: Array<{ path: string }> } }).error.details[0]!.path).toBe('/body/values/c01_s');
    const decided = await system.http().post(path).set('Authorization', `Bearer ${supervisor}`).send({ values: { c01_s: 5, c02_p: 2 } }).expect(200);
    expect(decided.body).toMatchObject({ responseId: first2.id, verification: 'verified', values: { c01_s: 5, c02_p: 2 } });
    const stored = (await collection(system, 'responses').findOne({ _id: String(first2.id) })) as { answers: Record<string, unknown>; verification: string } | null;
    expect(stored).toMatchObject({ verification: 'verified', answers: { c01_s: 5, c02_p: 2, c03_p: 5 } });
    expect(await table()).toMatchObject({ responses: 2, review: { awaitingVerification: 0 } });
    await system.http().post(path).set('Authorization', `Bearer ${supervisor}`).send({ values: { c01_s: 5, c02_p: 2 } }).expect(409);
    const audit = await collection(system, 'audit_log').find({ roundId, action: 'response.verified' }).toArray();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subject: `response/${String(first2.id)}`, after: { values: { c01_s: 5, c02_p: 2 } } });
  });

  test('when keying errors are asked, then each keyer has differing items ÷ items keyed', async () => {
    const reply = (await system.http().get(`/api/v1/rounds/${roundId}/keying-errors`).set('Authorization', `Bearer ${supervisor}`).expect(200)).body as {
      keyers: Array<{ keyer: string; forms: number; itemsKeyed: number; differingItems: number; rate: number }>;
    };
    const a = reply.keyers.find((k) => k.keyer === keyerA.username)!;
    // Counted once per second keying (HN-1's was sent twice): read from one counter per keyer and province.
    expect(a).toMatchObject({ forms: 2, differingItems: 2 });
    const counters = await collection(system, 'keyer_counts').find({ roundId }).toArray();
    expect(counters.map((c) => [c.keyer, c.provinceCode, c.forms, c.itemsKeyed, c.differingItems]).sort()).toEqual(
      [keyerA.username, keyerB.username].sort().map((keyer) => [keyer, '01', 2, a.itemsKeyed, 2]),
    );
    expect(a.rate).toBeCloseTo(2 / a.itemsKeyed, 10);
    expect(reply.keyers.find((k) => k.keyer === keyerB.username)).toEqual(a && { ...a, keyer: keyerB.username });
  });

  test('when a keyer opens a form by serial, then its unit and needed keying come back; a wrong check digit is a 400', async () => {
    const open = (serial: string, token = keyerB.token) => system.http().get(`/api/v1/keyed-forms?serial=${encodeURIComponent(serial)}`).set('Authorization', `Bearer ${token}`);
    expect((await open(serialFor(roundId, 'HN-3')).expect(200)).body).toMatchObject({ unitId: 'HN-3', provinceCode: '01', doubleKeyed: true, keying: 'first', keyedByYou: false });
    expect((await open(serialFor(roundId, 'HN-1')).expect(200)).body).toMatchObject({ keying: 'done', keyedByYou: true });
    const serial = serialFor(roundId, 'HN-3');
    const wrong = `${serial.slice(0, -2)}${serial.endsWith('00') ? '01' : '00'}`;
    const res = await open(wrong).expect(400);
    expect((res.body as { error: { details: Array<{ code: string }> } }).error.details[0]!.code).toBe('wrong_check_digit');
  });
});

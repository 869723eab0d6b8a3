import { Writable } from 'node:stream';
import pino from 'pino';
import { tokenHash } from '../../server/modules/respondent-links/respondent-token';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

const SAMPLE = [
  'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure',
  'HN-1,01,2,3,1,Nguyễn Văn An,0912 345 678,"12 Phố Huế, Hai Bà Trưng",Đổi giấy phép lái xe',
  'HN-2,01,3,11,1,Trần Thị Bình,0912 000 002,"Thôn Đoài, xã Kim Chung",Cấp phiếu lý lịch tư pháp',
  'HN-3,01,1,13,2,Công ty TNHH Ánh Dương,024 3826 0003,"5 Tràng Thi, Hoàn Kiếm",Đăng ký doanh nghiệp',
  'HN-4,01,2,5,1,Phạm Thu Dung,0912 000 005,"8 Lê Lợi, Hà Đông",Cấp giấy phép xây dựng',
].join('\n');
const PERSONAL = ['Nguyễn Văn An', '0912 345 678', 'Phố Huế', 'Trần Thị Bình', 'Ánh Dương', 'Tràng Thi', 'Đổi giấy phép', 'Phạm Thu Dung'];
const containsPersonalData = (text: string): string[] => PERSONAL.filter((p) => text.includes(p));

interface LinkView {
  unitId: string;
  path: string;
  state: string;
}

describeWithMongo('respondent links: one-time self-completion (cawi) per sample unit', () => {
  let system: TestSystem;
  let admin: string;
  let supervisor: string;
  let enumerator: { username: string; token: string };
  let roundId: string;
  const links = new Map<string, string>();
  const logLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    system = await startTestSystem({
      logger: pino({ level: 'info' }, sink),
      env: { RESPONDENT_RATE_PER_TOKEN: '12', RESPONDENT_GUESSES_PER_ADDRESS: '4' },
    });
    admin = await system.login('admin', 'admin-password-1');
    supervisor = await system.userToken('supervisor', ['01']);
    enumerator = await system.createUser('enumerator', ['01']);
    const round = makeRound({ year: 2026, fieldworkStart: '2026-08-01', fieldworkEnd: '2027-06-30', modes: ['capi', 'papi', 'cawi'] });
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv: SAMPLE }).expect(200);
    await system
      .http()
      .post(`/api/v1/rounds/${roundId}/assignments`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ enumerator: enumerator.username, unitIds: ['HN-1', 'HN-2', 'HN-3', 'HN-4'] })
      .expect(200);
  });
  afterAll(() => system?.stop());

  const tokenOf = (unitId: string): string => (links.get(unitId) ?? '').replace('/r/', '');
  const respond = (unitId: string, suffix = '') => `/api/v1/respond/${tokenOf(unitId)}${suffix}`;
  const submission = (answers = makeAnswers(4)) => {
    const { id, paradata } = makeResponse(roundId, '01') as { id: string; paradata: Record<string, unknown> };
    return { id, answers, paradata };
  };

  test('when the supervisor lists the links, then each unit has an unguessable link, only its hash is stored, and no contact is shown', async () => {
    const res = await system.http().get(`/api/v1/rounds/${roundId}/respondent-links`).set('Authorization', `Bearer ${supervisor}`).expect(200);
    const body = res.body as { total: number; expiresAt: string; links: LinkView[] };
    expect(body.total).toBe(4);
    expect(body.expiresAt).toBe('2027-06-30T17:00:00.000Z');
    for (const link of body.links) {
      expect(link.path).toMatch(/^\/r\/[A-Za-z0-9_-]{43}$/);
      expect(link.state).toBe('open');
      links.set(link.unitId, link.path);
    }
    expect(new Set(links.values()).size).toBe(4);
    expect(containsPersonalData(res.text)).toEqual([]);
    // Listed again, the same links: the server makes them again from its key, it keeps no token.
    const again = await system.http().get(`/api/v1/rounds/${roundId}/respondent-links?province=01&format=csv`).set('Authorization', `Bearer ${supervisor}`).expect(200);
    expect(again.text).toContain(`${roundId},HN-1,01,${links.get('HN-1') ?? ''},open`);
    const stored = await collection(system, 'respondent_links').find({ roundId }).toArray();
    expect(stored.map((d) => d._id).sort()).toEqual([...links.keys()].map((unitId) => tokenHash(tokenOf(unitId))).sort());
    expect(JSON.stringify(stored)).not.toContain(tokenOf('HN-1'));
    const one = await system.http().get(`/api/v1/rounds/${roundId}/respondent-links/HN-2`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(one.body).toMatchObject({ unitId: 'HN-2', path: links.get('HN-2'), state: 'open', roundId });
    const other = await system.userToken('supervisor', ['79']);
    await system.http().get(`/api/v1/rounds/${roundId}/respondent-links/HN-2`).set('Authorization', `Bearer ${other}`).expect(403);
  });

  test('when a round does not take cawi, then it has no respondent links', async () => {
    const round = makeRound();
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const res = await system.http().get(`/api/v1/rounds/${String(round.id)}/respondent-links`).set('Authorization', `Bearer ${admin}`).expect(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: '/params/roundId', code: 'cawi_not_allowed' })]);
    await system.http().get(`/api/v1/rounds/${String(round.id)}/respondent-links/HN-1`).set('Authorization', `Bearer ${admin}`).expect(404);
  });

  test('when the respondent opens the link, then they get the questionnaire, the consent and what the sample knows, and no personal data', async () => {
    const page = await system.http().get(links.get('HN-1') ?? '').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    const res = await system.http().get(respond('HN-1')).expect(200);
    expect(res.body).toMatchObject({ roundId, formId: 'sipas-2017', formVersion: '1', prefill: { respondent_type: 1, serving_level: 2, service_field: 3 }, draft: null });
    expect(res.body.consent.vi).toContain('tự nguyện');
    expect(containsPersonalData(res.text)).toEqual([]);
    await system.http().put(respond('HN-1', '/draft')).send({ answers: { respondent_type: 1, c01_p: 4 } }).expect(200);
    expect((await system.http().get(respond('HN-1')).expect(200)).body.draft.answers).toEqual({ respondent_type: 1, c01_p: 4 });
  });

  test('when the supervisor lists the links again, then each says how far its respondent got', async () => {
    const res = await system.http().get(`/api/v1/rounds/${roundId}/respondent-links`).set('Authorization', `Bearer ${supervisor}`).expect(200);
    const byUnit = new Map((res.body.links as Array<LinkView & { status: string; openedAt: string | null; generation: number; assignedTo: string | null }>).map((l) => [l.unitId, l]));
    expect(byUnit.get('HN-1')).toMatchObject({ status: 'draft_saved', openedAt: expect.any(String), generation: 1, assignedTo: enumerator.username });
    expect(byUnit.get('HN-2')).toMatchObject({ status: 'not_opened', openedAt: null });
    const csv = await system.http().get(`/api/v1/rounds/${roundId}/respondent-links?format=csv`).set('Authorization', `Bearer ${supervisor}`).expect(200);
    expect(csv.text.split('\n')[0]).toContain('status');
    expect(csv.text).toMatch(/HN-1,01,\/r\/[^,]+,open,,[^,]+,draft_saved,/);
  });

  test('when the answers break the questionnaire’s rules, then nothing is stored and each problem is named', async () => {
    const res = await system.http().post(respond('HN-1', '/submit')).send(submission(makeAnswers(4, { c05_s: 7, sex: undefined }))).expect(400);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/body/answers/c05_s' }), expect.objectContaining({ path: '/body/answers/sex', code: 'required' })]));
    expect(await collection(system, 'responses').countDocuments({ roundId })).toBe(0);
  });

  test('when the respondent submits, then one cawi response completes the unit, the link is used once, and a re-send is answered as received', async () => {
    const first = submission();
    const res = await system.http().post(respond('HN-1', '/submit')).send(first).expect(201);
    expect(res.body).toMatchObject({ status: 'accepted' });
    const [stored] = await collection(system, 'responses').find({ roundId }).toArray();
    expect(stored).toMatchObject({ _id: first.id, mode: 'cawi', sampleUnitId: 'HN-1', provinceCode: '01', submittedBy: 'respondent-link', formVersion: '1' });
    expect(containsPersonalData(JSON.stringify(stored))).toEqual([]);
    expect((await system.web.deps.repos.sampleUnits.findUnit(roundId, 'HN-1'))?.status).toBe('completed');

    // The same response again (a lost reply): received, nothing twice.
    expect((await system.http().post(respond('HN-1', '/submit')).send(first).expect(200)).body).toMatchObject({ status: 'duplicate' });
    // Another response through the same link: refused with a clear code; the link now says the answers were received.
    const second = await system.http().post(respond('HN-1', '/submit')).send(submission(makeAnswers(2))).expect(410);
    expect(second.body.error.code).toBe('link_used');
    expect((await system.http().get(respond('HN-1')).expect(410)).body.error.code).toBe('link_used');
    const page = await system.http().get(links.get('HN-1') ?? '').expect(410);
    expect(page.text).toContain('Câu trả lời đã được nhận');
    expect(page.text).not.toMatch(/at \w+ \(|Error:/);
    expect(await collection(system, 'responses').countDocuments({ roundId })).toBe(1);
  });

  test('when a unit was answered online, then the enumerator’s list says so and a paper form keyed for it is invalid (already_completed)', async () => {
    const mine = await system.http().get('/api/v1/me/assignments').set('Authorization', `Bearer ${enumerator.token}`).expect(200);
    const units = mine.body.assignments as Array<{ unitId: string; status: string; answeredOnline: boolean }>;
    expect(units.find((u) => u.unitId === 'HN-1')).toMatchObject({ status: 'completed', answeredOnline: true });
    expect(units.find((u) => u.unitId === 'HN-2')).toMatchObject({ answeredOnline: false });
    const paper = makeResponse(roundId, '01', makeAnswers(3), { sampleUnitId: 'HN-1' });
    const result = await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator.token}`).send({ responses: [paper] }).expect(200);
    expect(result.body.results[0]).toMatchObject({ status: 'invalid', errors: [expect.objectContaining({ code: 'already_completed' })] });
    const listed = await system.http().get(`/api/v1/rounds/${roundId}/respondent-links`).set('Authorization', `Bearer ${supervisor}`).expect(200);
    expect((listed.body.links as Array<LinkView & { status: string }>).find((l) => l.unitId === 'HN-1')).toMatchObject({ state: 'used', status: 'submitted' });
  });

  test('when the cawi response is checked, then it counts in the figures like any other', async () => {
    await system.drain();
    const [stored] = await collection(system, 'responses').find({ roundId }).toArray();
    expect(stored?.reviewStatus).toBe('clear');
    const analyst = await system.userToken('analyst');
    const figures = await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=province&fields=group,n`).set('Authorization', `Bearer ${analyst}`).expect(200);
    expect(figures.body.rows).toContainEqual({ group: '01', n: 1 });
  });

  test('when a supervisor withdraws a link and issues a new one, then the old token opens nothing, the new one opens the questionnaire, and both are audited', async () => {
    const unitUrl = (unitId: string, action: string) => `/api/v1/rounds/${roundId}/respondent-links/${unitId}/${action}`;
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const old = links.get('HN-2') ?? '';
    // Out of scope, not a supervisor, no such unit, a bad reason: refused with clear 4xx.
    const other = await system.userToken('supervisor', ['79']);
    await system.http().post(unitUrl('HN-2', 'withdraw')).set(as(other)).send({}).expect(403);
    await system.http().post(unitUrl('HN-2', 'reissue')).set(as(enumerator.token)).send({}).expect(403);
    await system.http().post(unitUrl('NOPE-9', 'withdraw')).set(as(supervisor)).send({}).expect(404);
    const bad = await system.http().post(unitUrl('HN-2', 'withdraw')).set(as(supervisor)).send({ reason: '' }).expect(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: '/body/reason' });

    const withdrawn = await system.http().post(unitUrl('HN-2', 'withdraw')).set(as(supervisor)).send({ reason: 'the household lost the paper form' }).expect(200);
    expect(withdrawn.body).toMatchObject({ unitId: 'HN-2', path: old, status: 'withdrawn', state: 'closed', generation: 1, withdrawnAt: expect.any(String) });
    expect((await system.http().get(respond('HN-2')).expect(410)).body.error.code).toBe('link_withdrawn');
    expect((await system.http().post(respond('HN-2', '/submit')).send(submission()).expect(410)).body.error.code).toBe('link_withdrawn');
    expect((await system.http().get(old).expect(410)).text).toContain('Đường dẫn đã bị thu hồi');
    // Withdrawn again: nothing changes.
    expect((await system.http().post(unitUrl('HN-2', 'withdraw')).set(as(supervisor)).send({}).expect(200)).body).toMatchObject({ status: 'withdrawn', generation: 1 });

    const reissued = await system.http().post(unitUrl('HN-2', 'reissue')).set(as(supervisor)).send({ reason: 'a new paper form' }).expect(201);
    expect(reissued.body).toMatchObject({ unitId: 'HN-2', status: 'not_opened', state: 'open', generation: 2, roundId });
    const second = reissued.body.path as string;
    expect(second).toMatch(/^\/r\/[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(old);
    await system.http().get(second).expect(200);
    await system.http().get(old).expect(410);
    // The list and the CSV give the new link from now on.
    const listed = await system.http().get(`/api/v1/rounds/${roundId}/respondent-links`).set(as(supervisor)).expect(200);
    expect((listed.body.links as LinkView[]).find((l) => l.unitId === 'HN-2')?.path).toBe(second);

    // Reissued without withdrawing first: the link it had is withdrawn with it.
    const third = await system.http().post(unitUrl('HN-2', 'reissue')).set(as(admin)).send({}).expect(201);
    expect(third.body.generation).toBe(3);
    expect((await system.http().get(`/api/v1/respond/${second.replace('/r/', '')}`).expect(410)).body.error.code).toBe('link_withdrawn');
    links.set('HN-2', third.body.path as string);
    await system.http().get(respond('HN-2')).expect(200);

    // A completed unit's link can be neither withdrawn nor replaced.
    expect((await system.http().post(unitUrl('HN-1', 'withdraw')).set(as(supervisor)).send({}).expect(409)).body.error.code).toBe('already_completed');
    expect((await system.http().post(unitUrl('HN-1', 'reissue')).set(as(supervisor)).send({}).expect(409)).body.error.code).toBe('already_completed');

    const audit = await collection(system, 'audit_log').find({ roundId, subject: `respondent-link/${roundId}/HN-2` }).sort({ at: 1 }).toArray();
    expect(audit.map((e) => [e.action, e.actor, e.reason, (e.before as { generation: number }).generation, (e.after as { generation: number }).generation])).toEqual([
      ['respondent-link.withdrawn', expect.any(String), 'the household lost the paper form', 1, 1],
      ['respondent-link.reissued', expect.any(String), 'a new paper form', 1, 2],
      ['respondent-link.reissued', 'admin', null, 2, 3],
    ]);
    expect(JSON.stringify(audit)).not.toContain(old.replace('/r/', ''));
  });

  test('when fieldwork is over, or the round no longer takes cawi, then the link has expired (410) with a page, never a stack trace', async () => {
    await system.http().patch(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).send({ fieldworkEnd: '2026-09-30' }).expect(200);
    expect((await system.http().get(respond('HN-2')).expect(410)).body.error.code).toBe('link_expired');
    expect((await system.http().post(respond('HN-2', '/submit')).send(submission()).expect(410)).body.error.code).toBe('link_expired');
    const page = await system.http().get(links.get('HN-2') ?? '').expect(410);
    expect(page.text).toContain('Đường dẫn đã hết hạn');
    await system.http().patch(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).send({ fieldworkEnd: '2027-06-30', modes: ['capi', 'papi'] }).expect(200);
    expect((await system.http().get(respond('HN-2')).expect(410)).body.error.code).toBe('link_expired');
    await system.http().patch(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).send({ modes: ['capi', 'papi', 'cawi'] }).expect(200);
    await system.http().get(respond('HN-2')).expect(200);
  });

  test('when one link is asked too often, then it gets 429 too_many_requests with Retry-After', async () => {
    let last = 200;
    for (let i = 0; i < 14 && last !== 429; i += 1) last = (await system.http().get(respond('HN-3')).set('X-Forwarded-For', '10.1.1.1')).status;
    expect(last).toBe(429);
    const res = await system.http().get(respond('HN-3')).set('X-Forwarded-For', '10.1.1.2').expect(429);
    expect(res.body.error.code).toBe('too_many_requests');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Other links are not held up.
    await system.http().get(respond('HN-4')).set('X-Forwarded-For', '10.1.1.2').expect(200);
  });

  test('when an address guesses tokens, then each guess is a 404, logged without the token and answered more slowly, and then the address is refused', async () => {
    const guess = 'A'.repeat(43);
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 4; i += 1) statuses.push((await system.http().get(`/api/v1/respond/${guess.slice(0, 42)}${i}`).set('X-Forwarded-For', '10.6.6.6')).status);
    const slow = Date.now() - started;
    expect(statuses).toEqual([404, 404, 404, 404]);
    // 100 + 200 + 300 + 400 ms held back.
    expect(slow).toBeGreaterThanOrEqual(1000);
    const page = await system.http().get(`/r/${guess}`).set('X-Forwarded-For', '10.6.6.6').expect(429);
    expect(page.text).toContain('Quá nhiều yêu cầu');
    // Even a real link, from that address: refused for a while. From another address it opens.
    await system.http().get(respond('HN-4')).set('X-Forwarded-For', '10.6.6.6').expect(429);
    await system.http().get(respond('HN-4')).set('X-Forwarded-For', '10.7.7.7').expect(200);
    await system.http().get('/r/not-a-token').set('X-Forwarded-For', '10.8.8.8').expect(404);

    const logs = logLines.join('');
    expect(logs).toContain('unknown respondent token');
    for (const unitId of ['HN-1', 'HN-2', 'HN-3', 'HN-4']) expect(logs).not.toContain(tokenOf(unitId));
    expect(logs).toContain(`sha256:${tokenHash(tokenOf('HN-4')).slice(0, 12)}`);
  });
});

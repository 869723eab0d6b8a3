import ExcelJS from 'exceljs';
import { makeRound } from '../factories';
import { collection } from '../support/database';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

interface Problem {
  path: string;
  code: string;
}
interface ImportReply {
  imported: number;
  valid: number;
  skipped: number;
  dryRun: boolean;
  problems: Array<{ line: number; field: string; code: string }>;
  credentials: Array<{ username: string; password: string }>;
}

const SAMPLE_HEADER = 'unit_id,province_code,serving_level,service_field,respondent_type,name,phone';

async function workbook(rows: Array<Array<string | number>>): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Danh sách');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
}

describeWithMongo('the console API: users, uploads, spreading assignments, round overview', () => {
  let system: TestSystem;
  let admin: string;
  let roundId: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    system = await startTestSystem({ worker: false });
    admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set(auth(admin)).send(round).expect(201);
  });
  afterAll(() => system?.stop());

  test('when a user is deactivated, then their existing tokens get 401 at once, they cannot log in, and their units stay assigned', async () => {
    const enumerator = await system.createUser('enumerator', ['01']);
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set(auth(admin)).send({ csv: `${SAMPLE_HEADER}\nDX-1,01,2,1,1,An,0912000001\n` }).expect(200);
    await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set(auth(admin)).send({ enumerator: enumerator.username, unitIds: ['DX-1'] }).expect(200);
    await system.http().get('/api/v1/me/assignments').set(auth(enumerator.token)).expect(200);

    const res = await system.http().patch(`/api/v1/users/${enumerator.username}`).set(auth(admin)).send({ active: false }).expect(200);
    expect(res.body).toMatchObject({ username: enumerator.username, active: false });
    const refused = await system.http().get('/api/v1/me/assignments').set(auth(enumerator.token)).expect(401);
    expect((refused.body as { error: { code: string } }).error.code).toBe('unauthenticated');
    await system.http().post('/api/v1/auth/login').send({ username: enumerator.username, password: enumerator.password }).expect(401);
    expect(await collection(system, 'sessions').countDocuments({ username: enumerator.username })).toBe(0);

    const units = await system.http().get(`/api/v1/rounds/${roundId}/sample?assignedTo=${enumerator.username}`).set(auth(admin)).expect(200);
    expect((units.body as { units: Array<{ unitId: string }> }).units.map((u) => u.unitId)).toEqual(['DX-1']);
    const inactive = await system.http().get('/api/v1/users?active=false').set(auth(admin)).expect(200);
    expect((inactive.body as { users: Array<{ username: string }> }).users.map((u) => u.username)).toEqual([enumerator.username]);
    // Nobody gives new work to a deactivated account.
    const given = await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set(auth(admin)).send({ enumerator: enumerator.username, unitIds: ['DX-1'] }).expect(400);
    expect((given.body as { error: { details: Problem[] } }).error.details).toEqual([expect.objectContaining({ path: '/body/enumerator', code: 'user_inactive' })]);

    await system.http().patch(`/api/v1/users/${enumerator.username}`).set(auth(admin)).send({ active: true }).expect(200);
    await system.login(enumerator.username, enumerator.password);
    // An administrator cannot lock themselves out.
    await system.http().patch(`/api/v1/users/${ADMIN.username}`).set(auth(admin)).send({ active: false }).expect(400);
  });

  test('when a password is reset, then the new one works once shown, the old one and the old tokens do not', async () => {
    const supervisor = await system.createUser('supervisor', ['01']);
    const res = await system.http().post(`/api/v1/users/${supervisor.username}/password-reset`).set(auth(admin)).expect(200);
    const { password } = res.body as { password: string };
    expect(password).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect(res.headers['cache-control']).toBe('no-store');
    await system.http().get('/api/v1/me').set(auth(supervisor.token)).expect(401);
    await system.http().post('/api/v1/auth/login').send({ username: supervisor.username, password: supervisor.password }).expect(401);
    await system.login(supervisor.username, password);
    await system.http().post('/api/v1/users/nobody-here/password-reset').set(auth(admin)).expect(404);
  });

  test('when enumerators are imported from CSV, then every bad row is reported, nothing is stored on a refusal, and the same list twice creates nobody twice', async () => {
    const csv = [
      'username,display_name,provinces',
      'dtv-hn-01,Nguyễn Văn An,01',
      'Bad Name,Trần Thị Bình,01',
      'dtv-hn-02,,01',
      'dtv-hn-01,Lê Văn Cường,01',
      'dtv-x-03,Phạm Dũng,01 99',
      'dtv-hue-01,Hoàng Thị Em,46;01',
    ].join('\n');
    const refused = await system.http().post('/api/v1/users/import').set(auth(admin)).send({ csv }).expect(400);
    const details = (refused.body as { error: { details: Problem[] } }).error.details;
    expect(details.map((d) => [d.path, d.code])).toEqual([
      ['/line/3/username', 'wrong_format'],
      ['/line/4/displayName', 'required'],
      ['/line/5/username', 'repeated'],
      ['/line/6/provinces', 'unknown_province'],
    ]);
    expect(await collection(system, 'users').countDocuments({ _id: /^dtv-/ })).toBe(0);

    const preview = (await system.http().post('/api/v1/users/import?dryRun=true').set(auth(admin)).send({ csv }).expect(200)).body as ImportReply;
    expect(preview).toMatchObject({ dryRun: true, imported: 0, valid: 2, skipped: 4, credentials: [] });
    expect(await collection(system, 'users').countDocuments({ _id: /^dtv-/ })).toBe(0);

    const first = (await system.http().post('/api/v1/users/import?skipInvalid=true').set(auth(admin)).send({ csv }).expect(200)).body as ImportReply;
    expect(first).toMatchObject({ imported: 2, skipped: 4 });
    expect(first.credentials.map((c) => c.username)).toEqual(['dtv-hn-01', 'dtv-hue-01']);
    const hue = first.credentials.find((c) => c.username === 'dtv-hue-01')!;
    const token = await system.login(hue.username, hue.password);
    expect((await system.http().get('/api/v1/me').set(auth(token)).expect(200)).body).toMatchObject({ role: 'enumerator', provinces: ['01', '46'], displayName: 'Hoàng Thị Em' });

    const again = (await system.http().post('/api/v1/users/import?skipInvalid=true').set(auth(admin)).send({ csv }).expect(200)).body as ImportReply;
    expect(again.imported).toBe(0);
    expect(again.problems.filter((p) => p.code === 'already_exists').map((p) => p.line)).toEqual([2, 7]);
    expect(await collection(system, 'users').countDocuments({ _id: /^dtv-/ })).toBe(2);
  });

  test('when enumerators and a sample list come as XLSX, then problems name the sheet rows, and a preview stores nothing', async () => {
    const users = await workbook([['username', 'display_name', 'provinces'], ['dtv-xlsx-1', 'Võ Văn Phúc', '79'], [], ['dtv-xlsx-2', 'Đỗ Thị Giang', '00']]);
    const reply = (await system.http().post('/api/v1/users/import?dryRun=true').set(auth(admin)).send({ xlsx: users }).expect(200)).body as ImportReply;
    expect(reply.problems).toEqual([expect.objectContaining({ line: 4, field: 'provinces', code: 'unknown_province' })]);

    const sample = await workbook([SAMPLE_HEADER.split(','), ['XL-1', '01', 2, 1, 1, 'Ngô Văn Hải', '0912000011'], ['XL-2', '01', 9, 1, 1, 'Bùi Thị Lan', '0912000012']]);
    const preview = (await system.http().post(`/api/v1/rounds/${roundId}/sample?dryRun=true`).set(auth(admin)).send({ xlsx: sample }).expect(200)).body as ImportReply;
    expect(preview).toMatchObject({ dryRun: true, imported: 0, valid: 1, problems: [expect.objectContaining({ line: 3, field: 'servingLevel', code: 'not_in_options' })] });
    expect(await collection(system, 'sample_units').countDocuments({ roundId, unitId: /^XL-/ })).toBe(0);
    const stored = (await system.http().post(`/api/v1/rounds/${roundId}/sample?skipInvalid=true`).set(auth(admin)).send({ xlsx: sample }).expect(200)).body as ImportReply;
    expect(stored).toMatchObject({ imported: 1, valid: 1, dryRun: false });

    const garbage = await system.http().post('/api/v1/users/import').set(auth(admin)).send({ xlsx: Buffer.from('not a workbook').toString('base64') }).expect(400);
    expect((garbage.body as { error: { details: Problem[] } }).error.details).toEqual([expect.objectContaining({ path: '/body/xlsx', code: 'invalid_xlsx' })]);
    const quotas = await workbook([['province_code', 'serving_level', 'service_field', 'target'], ['01', 2, 1, 12]]);
    expect((await system.http().post(`/api/v1/rounds/${roundId}/quotas`).set(auth(admin)).send({ xlsx: quotas }).expect(200)).body).toMatchObject({ imported: 1 });
  });

  test('when quota targets are previewed, then each cell that would change is listed old → new with every problem by line, and nothing is stored', async () => {
    const url = `/api/v1/rounds/${roundId}/quotas`;
    await system.http().post(url).set(auth(admin)).send({ csv: 'province_code,serving_level,service_field,target\n79,2,1,5\n79,3,2,6\n' }).expect(200);
    const file = 'province_code,serving_level,service_field,target\n79,2,1,8\n79,3,2,6\n79,1,1,4\n79,9,1,3\n';
    const preview = (await system.http().post(`${url}?dryRun=true`).set(auth(admin)).send({ csv: file }).expect(200)).body as Record<string, unknown>;
    const cell = { provinceCode: '79', respondentType: null };
    expect(preview).toMatchObject({ dryRun: true, imported: 0, valid: 3, unchanged: 1, skipped: 1 });
    expect(preview.changes).toEqual([
      { ...cell, line: 2, servingLevel: 2, serviceField: 1, before: 5, after: 8 },
      { ...cell, line: 4, servingLevel: 1, serviceField: 1, before: null, after: 4 },
    ]);
    expect(preview.problems).toEqual([expect.objectContaining({ line: 5, field: 'servingLevel', code: 'not_in_options' })]);
    const stored = async () => (await system.web.deps.repos.quotas.list(roundId, ['79'])).map((q) => `${String(q.servingLevel)}/${String(q.serviceField)}=${q.target}`);
    expect(await stored()).toEqual(['2/1=5', '3/2=6']);
    // The same file as JSON objects previews the same; an unreadable file is a 400 even on a preview.
    const json = (await system.http().post(`${url}?dryRun=true`).set(auth(admin)).send({ targets: [{ provinceCode: '79', servingLevel: 2, serviceField: 1, target: 5 }] }).expect(200)).body as Record<string, unknown>;
    expect(json).toMatchObject({ dryRun: true, valid: 1, unchanged: 1, changes: [] });
    await system.http().post(`${url}?dryRun=true`).set(auth(admin)).send({ csv: 'nothing,useful\n1,2\n' }).expect(400);
    await system.http().post(`${url}?dryRun=maybe`).set(auth(admin)).send({ csv: file }).expect(400);

    // Then applied: the reply names the cells changed, and a second preview finds nothing left to change.
    const applied = (await system.http().post(`${url}?skipInvalid=true`).set(auth(admin)).send({ csv: file }).expect(200)).body as Record<string, unknown>;
    expect(applied).toMatchObject({ dryRun: false, imported: 3, unchanged: 1, changes: preview.changes });
    expect(await stored()).toEqual(['1/1=4', '2/1=8', '3/2=6']);
    expect((await system.http().post(`${url}?dryRun=true`).set(auth(admin)).send({ csv: file }).expect(200)).body).toMatchObject({ changes: [], unchanged: 3 });
  });

  test('when units selected by a filter are spread over three enumerators, then the shares are exact and differ by at most one', async () => {
    const rows = Array.from({ length: 11 }, (_, i) => `SP-${String(i + 1).padStart(2, '0')},79,${i < 8 ? 2 : 3},1,1,Người ${i + 1},09120001${String(i).padStart(2, '0')}`);
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set(auth(admin)).send({ csv: `${SAMPLE_HEADER}\n${rows.join('\n')}\n` }).expect(200);
    const team = await Promise.all([1, 2, 3].map(() => system.createUser('enumerator', ['79'])));
    const outsider = await system.createUser('enumerator', ['01']);

    // One enumerator who does not work in the province: nothing moves.
    const refused = await system
      .http()
      .post(`/api/v1/rounds/${roundId}/assignments/spread`)
      .set(auth(admin))
      .send({ enumerators: [team[0]!.username, outsider.username], filter: { province: '79', unassigned: true } })
      .expect(400);
    expect((refused.body as { error: { details: Problem[] } }).error.details).toEqual([expect.objectContaining({ path: '/body/enumerators/1', code: 'not_allowed' })]);
    expect(await collection(system, 'sample_units').countDocuments({ roundId, provinceCode: '79', assignedTo: { $ne: null } })).toBe(0);

    const spread = await system
      .http()
      .post(`/api/v1/rounds/${roundId}/assignments/spread`)
      .set(auth(admin))
      .send({ enumerators: team.map((e) => e.username), filter: { province: '79', servingLevel: 2, unassigned: true } })
      .expect(200);
    expect(spread.body).toEqual({ roundId, assigned: 8, shares: team.map((e, i) => ({ enumerator: e.username, units: [3, 3, 2][i] })) });
    for (const [i, member] of team.entries()) {
      const mine = (await system.http().get('/api/v1/me/assignments').set(auth(member.token)).expect(200)).body as { assignments: Array<{ unitId: string }> };
      expect(mine.assignments.map((u) => u.unitId)).toEqual([['SP-01', 'SP-02', 'SP-03'], ['SP-04', 'SP-05', 'SP-06'], ['SP-07', 'SP-08']][i]);
    }
    // The rest (level 3) to one enumerator; then the filter selects nothing left.
    const rest = await system.http().post(`/api/v1/rounds/${roundId}/assignments/spread`).set(auth(admin)).send({ enumerators: [team[2]!.username], filter: { province: '79', unassigned: true } }).expect(200);
    expect(rest.body).toMatchObject({ assigned: 3 });
    await system.http().post(`/api/v1/rounds/${roundId}/assignments/spread`).set(auth(admin)).send({ enumerators: [team[2]!.username], filter: { province: '79', unassigned: true } }).expect(400);
    const listed = await system.http().get(`/api/v1/rounds/${roundId}/sample?province=79&servingLevel=3&assignedTo=${team[2]!.username}`).set(auth(admin)).expect(200);
    expect((listed.body as { total: number }).total).toBe(3);
  });

  test('when a refused unit is reassigned to another enumerator, then it starts again for them', async () => {
    const [first, second] = await Promise.all([system.createUser('enumerator', ['46']), system.createUser('enumerator', ['46'])]);
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set(auth(admin)).send({ csv: `${SAMPLE_HEADER}\nRF-1,46,2,1,1,Cao Văn Khoa,0912000201\n` }).expect(200);
    await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set(auth(admin)).send({ enumerator: first.username, unitIds: ['RF-1'] }).expect(200);
    await system.http().put(`/api/v1/me/assignments/${roundId}/RF-1/status`).set(auth(first.token)).send({ status: 'refused', note: 'từ chối', at: new Date().toISOString() }).expect(200);
    await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set(auth(admin)).send({ enumerator: second.username, unitIds: ['RF-1'] }).expect(200);
    const unit = (await system.http().get(`/api/v1/me/assignments/${roundId}/RF-1`).set(auth(second.token)).expect(200)).body as { status: string; assignedTo: string };
    expect(unit).toMatchObject({ status: 'not-started', assignedTo: second.username });
    await system.http().get(`/api/v1/me/assignments/${roundId}/RF-1`).set(auth(first.token)).expect(404);
  });

  test('when users are searched, then filters combine and pages add up to the total', async () => {
    const all = (await system.http().get('/api/v1/users?role=enumerator&province=79').set(auth(admin)).expect(200)).body as { total: number; users: Array<{ username: string }> };
    expect(all.total).toBe(all.users.length);
    expect(all.total).toBeGreaterThanOrEqual(3);
    const page = (await system.http().get('/api/v1/users?role=enumerator&province=79&limit=2&offset=1').set(auth(admin)).expect(200)).body as { total: number; users: Array<{ username: string }> };
    expect(page).toEqual({ total: all.total, users: all.users.slice(1, 3) });
    const search = (await system.http().get('/api/v1/users?q=HOÀNG').set(auth(admin)).expect(200)).body as { users: Array<{ username: string }> };
    expect(search.users.map((u) => u.username)).toEqual(['dtv-hue-01']);
    const odd = (await system.http().get(`/api/v1/users?q=${encodeURIComponent('.*(')}`).set(auth(admin)).expect(200)).body as { total: number };
    expect(odd.total).toBe(0);
  });

  test('when the round overview is read, then it counts units by status and assignment and responses by review status', async () => {
    const overview = (await system.http().get(`/api/v1/rounds/${roundId}/overview`).set(auth(admin)).expect(200)).body as {
      units: { total: number; assigned: number; unassigned: number; byStatus: Record<string, number> };
      responses: { total: number; byReviewStatus: Record<string, number> };
      figuresComputedAt: string | null;
    };
    const stored = await collection(system, 'sample_units').countDocuments({ roundId });
    const assigned = await collection(system, 'sample_units').countDocuments({ roundId, assignedTo: { $ne: null } });
    expect(overview.units).toMatchObject({ total: stored, assigned, unassigned: stored - assigned });
    expect(overview.units.byStatus).toMatchObject({ 'not-started': stored, completed: 0 });
    expect(overview.responses).toEqual({ total: 0, byReviewStatus: { unchecked: 0, clear: 0, flagged: 0, approved: 0, rejected: 0, returned: 0 } });
    expect(overview.figuresComputedAt).toBeNull();
    const supervisor = await system.userToken('supervisor', ['01']);
    await system.http().get(`/api/v1/rounds/${roundId}/overview`).set(auth(supervisor)).expect(403);
  });
});

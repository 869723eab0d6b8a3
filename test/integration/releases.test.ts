import { createHash } from 'node:crypto';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { pdfText } from '../support/pdf-text';
import { describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

interface Row {
  group: string;
  value: number | null;
  rank: number | null;
  n: number;
  [field: string]: unknown;
}
interface Table {
  rows: Row[];
  notice: { vi: string } | null;
}
interface Change {
  table: string;
  group: string;
  field: string;
  before: unknown;
  after: unknown;
  cause?: { kind: string };
}

const sha = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
const binary = (res: { on: (e: string, cb: (c?: Buffer) => void) => void; setEncoding?: unknown }, callback: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c as Buffer));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

describeWithMongo('releases: freeze, sign-off, embargo, corrections, reproducibility, public reads', () => {
  let system: TestSystem;
  let admin: string;
  let otherAdmin: string;
  let analyst: string;
  let enumerator: string;
  let previousId: string;
  let roundId: string;
  const ids: string[] = [];
  let rejectedId: string;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  async function submit(responses: Array<Record<string, unknown>>): Promise<void> {
    const res = await system.http().post('/api/v1/responses').set(auth(enumerator)).send({ responses }).expect(200);
    expect((res.body as { results: Array<{ status: string }> }).results.every((r) => r.status === 'accepted')).toBe(true);
  }
  async function prepare(round: string, token: string, body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return (await system.http().post(`/api/v1/rounds/${round}/releases`).set(auth(token)).send(body).expect(201)).body as Record<string, unknown>;
  }
  const approve = (releaseId: string, token: string, embargoUntil: string) => system.http().post(`/api/v1/releases/${releaseId}/approve`).set(auth(token)).send({ embargoUntil });
  const staffTable = async (releaseId: string, query = ''): Promise<Table> => (await system.http().get(`/api/v1/releases/${releaseId}/tables?${query}`).set(auth(analyst)).expect(200)).body as Table;

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login('admin', 'admin-password-1');
    otherAdmin = await system.userToken('admin');
    analyst = await system.userToken('analyst');
    enumerator = await system.userToken('enumerator', ['01', '31', '79']);
    const previous = makeRound({ year: 2023, fieldworkStart: '2023-08-01', fieldworkEnd: '2023-12-15' });
    previousId = String(previous.id);
    await system.http().post('/api/v1/rounds').set(auth(admin)).send(previous).expect(201);
    const round = makeRound({ previousRoundId: previousId });
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set(auth(admin)).send(round).expect(201);
    await submit([makeResponse(previousId, '01', makeAnswers(5)), makeResponse(previousId, '79', makeAnswers(2)), makeResponse(previousId, '31', makeAnswers(4))]);
    const now = [
      makeResponse(roundId, '01', makeAnswers(5)),
      makeResponse(roundId, '01', makeAnswers(2)),
      makeResponse(roundId, '79', makeAnswers(4)),
      makeResponse(roundId, '31', makeAnswers(3)),
    ];
    ids.push(...now.map((r) => String(r.id)));
    rejectedId = ids[1] as string;
    await submit(now);
    await system.drain();
    // Last year's figures are out: this year's changes are measured against them.
    const last = await prepare(previousId, analyst);
    expect(last.releaseId).toBe('2023.1');
    await approve('2023.1', admin, '2024-04-17T03:00:00Z').expect(200);
  });
  afterAll(() => system?.stop());

  test('when an analyst prepares a release, then every table is frozen with its provenance and a number of its year', async () => {
    const release = await prepare(roundId, analyst, { notes: 'SIPAS 2024' });
    expect(release).toMatchObject({
      releaseId: '2024.1',
      status: 'prepared',
      public: false,
      notice: { vi: 'chưa công bố' },
      provenance: {
        responses: 4,
        responseIdsDigest: sha([...ids].sort().join('\n')),
        responsesByProvince: { '01': 2, '31': 1, '79': 1 },
        form: { formId: 'sipas-2017', version: '1' },
        indexDefinition: { definitionId: 'sipas-2017', version: '1' },
        boundaryEdition: 63,
        editions: [63, 34],
        comparedWith: { releaseId: '2023.1', roundId: previousId },
        software: { name: 'sipas-platform' },
      },
    });
    expect((release.provenance as { form: { sha256: string } }).form.sha256).toMatch(/^[0-9a-f]{64}$/);
    const table = await staffTable('2024.1');
    expect(table.notice).toEqual({ vi: 'chưa công bố', en: 'not yet published' });
    // Hà Nội 50 now (100 last year, rank 1): changes against the 2023 release.
    expect(table.rows.find((r) => r.group === '01')).toMatchObject({ value: 50, previousValue: 100, changePoints: -50 });
  });

  test('when the preparer tries to approve, then it is refused; another administrator approves, and both acts are audited', async () => {
    const own = await prepare(roundId, admin);
    const refused = await approve(String(own.releaseId), admin, '2030-01-01T00:00:00Z').expect(403);
    expect(refused.body.error.code).toBe('same_person');
    await approve('2024.1', analyst, '2030-01-01T00:00:00Z').expect(403);
    const approved = await approve('2024.1', otherAdmin, '2030-01-01T00:00:00Z').expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', public: false, embargoUntil: '2030-01-01T00:00:00.000Z' });
    expect((await approve('2024.1', admin, '2030-01-01T00:00:00Z').expect(409)).body.error.code).toBe('release_approved');
    const log = await system.http().get(`/api/v1/rounds/${roundId}/audit-log`).set(auth(admin)).expect(200);
    const actions = (log.body.entries as Array<{ action: string; subject: string; actor: string }>).filter((e) => e.subject === 'release/2024.1').map((e) => e.action);
    expect(actions.sort()).toEqual(['release.approved', 'release.prepared']);
  });

  test('when a release is under embargo, then every public URL is a 404 and staff files say "chưa công bố"', async () => {
    for (const url of ['/api/v1/public/releases/2024.1', '/api/v1/public/releases/2024.1/tables', '/api/v1/public/releases/2024.1/provinces/01', '/api/v1/public/releases/2024.1/provinces/01/report-card', '/api/v1/public/releases/2024.2', '/ket-qua/2024.1/']) {
      const res = await system.http().get(url);
      expect([url, res.status]).toEqual([url, 404]);
    }
    // The latest public one is last year's.
    expect((await system.http().get('/api/v1/public/releases/latest').expect(200)).body.releaseId).toBe('2023.1');
    const csv = await system.http().get('/api/v1/releases/2024.1/tables?format=csv').set(auth(analyst)).expect(200);
    expect(csv.headers['content-disposition']).toContain('chua-cong-bo');
    expect(csv.text).toContain('chưa công bố');
  });

  test('when a response is rejected after the release, then the working figures move and the release does not', async () => {
    const before = await staffTable('2024.1');
    await system.http().post(`/api/v1/rounds/${roundId}/responses/${rejectedId}/review`).set(auth(admin)).send({ decision: 'rejected', reason: 'phỏng vấn giả', expectedStatus: 'clear' }).expect(200);
    await system.drain();
    const working = await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=province`).set(auth(analyst)).expect(200);
    expect((working.body.rows as Row[]).find((r) => r.group === '01')?.value).toBe(100);
    expect(await staffTable('2024.1')).toEqual(before);
    expect((await system.http().post('/api/v1/releases/2024.1/check').set(auth(analyst)).expect(200)).body).toMatchObject({ identical: true, differencesTotal: 0, missingResponses: 0 });
  });

  test('when a correction is prepared, then its change log lists exactly the figures that moved, old → new, and why', async () => {
    expect((await system.http().post(`/api/v1/rounds/${roundId}/releases`).set(auth(analyst)).send({ corrects: '2024.1' }).expect(400)).body.error.details[0].path).toBe('/body/reason');
    const correction = await prepare(roundId, analyst, { corrects: '2024.1', reason: 'Một phiếu của Hà Nội bị loại sau khi kiểm tra.' });
    expect(correction).toMatchObject({ corrects: '2024.1', changeSummary: { responsesAdded: 0, responsesRemoved: 1, byProvince: { '01': { added: 0, removed: 1 } } } });
    const id = String(correction.releaseId);
    const log = (await system.http().get(`/api/v1/releases/${id}/changes?limit=5000`).set(auth(analyst)).expect(200)).body as { total: number; changes: Change[] };
    expect(log.changes.length).toBe(Math.min(log.total, 5000));
    expect(log.total).toBe((correction.changeSummary as { changes: number }).changes);
    // Table by table, a figure is listed exactly when it differs between the two releases.
    for (const query of ['by=province', 'by=national', 'by=unit-type&indicator=e1', 'by=province&edition=34&estimate=pooled']) {
      const [old, now] = [await staffTable('2024.1', query), await staffTable(id, query)];
      const table = `${query.includes('edition=34') ? 34 : 63}/${/indicator=(\w+)/.exec(query)?.[1] ?? 'overall'}/${query.includes('pooled') ? 'pooled' : 'index'}/${/by=([\w-]+)/.exec(query)?.[1]}`;
      const expected: Change[] = [];
      for (const row of now.rows) {
        const was = old.rows.find((r) => r.group === row.group) as Row;
        for (const field of ['n', 'value', 'low', 'high', 'effectiveN', 'provinces', 'rank', 'reliable', 'previousValue', 'previousRank', 'changePoints', 'changePlaces']) {
          if (was[field] !== row[field]) expected.push({ table, group: row.group, field, before: was[field], after: row[field] });
        }
      }
      const ofTable = (await system.http().get(`/api/v1/releases/${id}/changes?table=${encodeURIComponent(table)}`).set(auth(analyst)).expect(200)).body as { changes: Change[] };
      const listed = ofTable.changes.filter((c) => c.group !== 'summary').map(({ cause: _cause, ...c }) => c);
      expect(listed).toEqual(expected);
    }
    expect(log.changes.find((c) => c.table === '63/overall/index/province' && c.group === '01' && c.field === 'value')).toEqual({
      table: '63/overall/index/province',
      group: '01',
      field: 'value',
      before: 50,
      after: 100,
      cause: { kind: 'responses', added: 0, removed: 1 },
    });
  });

  test('when a stored figure is tampered with, then the reproducibility check reports it, stored → recomputed', async () => {
    const tables = collection(system, 'release_tables');
    const doc = (await tables.findOne({ _id: '2024.1|63|overall' })) as unknown as { tables: Array<{ estimate: string; grouping: string; rows: Row[] }> };
    const province = doc.tables.find((t) => t.estimate === 'index' && t.grouping === 'province') as { rows: Row[] };
    const hcm = province.rows.find((r) => r.group === '79') as Row;
    const original = hcm.value;
    hcm.value = 12.34;
    await tables.updateOne({ _id: '2024.1|63|overall' }, { $set: { tables: doc.tables } });
    const report = (await system.http().post('/api/v1/releases/2024.1/check').set(auth(analyst)).expect(200)).body as { identical: boolean; differences: Change[]; differencesTotal: number };
    expect(report.identical).toBe(false);
    expect(report.differences).toEqual([{ table: '63/overall/index/province', group: '79', field: 'value', before: 12.34, after: original }]);
  });

  test('when the embargo passes, then the public reads the release without login: tables, files with their SHA-256, provinces and report cards', async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const correction = '2024.3';
    await approve(correction, otherAdmin, soon).expect(200);
    expect((await system.http().get(`/api/v1/public/releases/${correction}`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, Date.parse(soon) - Date.now() + 50));
    const latest = await system.http().get('/api/v1/public/releases/latest').expect(200);
    expect(latest.body).toMatchObject({ releaseId: correction, corrects: '2024.1' });
    expect(latest.body.preparedBy).toBeUndefined();
    expect(latest.headers['cache-control']).toContain('public');

    const table = await system.http().get(`/api/v1/public/releases/${correction}/tables?by=province&unitType=special-class-city`).expect(200);
    expect((table.body.rows as Row[]).map((r) => [r.group, r.value])).toEqual([['01', 100], ['79', 100]]);
    const etag = table.headers.etag as string;
    await system.http().get(`/api/v1/public/releases/${correction}/tables?by=province&unitType=special-class-city`).set('If-None-Match', etag).expect(304);

    const downloads = (await system.http().get(`/api/v1/public/releases/${correction}/downloads?by=province`).expect(200)).body as { files: Array<{ format: string; url: string; sha256: string; bytes: number }> };
    expect(downloads.files.map((f) => f.format)).toEqual(['csv', 'xlsx', 'json']);
    for (const file of downloads.files) {
      const res = await system.http().get(file.url).buffer(true).parse(binary).expect(200);
      expect([file.format, sha(res.body as Buffer)]).toEqual([file.format, file.sha256]);
      expect((res.body as Buffer).length).toBe(file.bytes);
    }

    const province = (await system.http().get(`/api/v1/public/releases/${correction}/provinces/01`).expect(200)).body as { parts: unknown[]; trend: Array<{ year: number }>; notes: unknown[] };
    expect(province).toMatchObject({ province: { code: '01', name: 'Thành phố Hà Nội' }, overall: { value: 100, n: 1, reliable: false } });
    expect(province.parts).toHaveLength(5);
    expect(province.trend.map((t) => t.year)).toEqual([2023, 2024]);
    expect(province.notes.length).toBeGreaterThan(0);

    const pdf = await system.http().get(`/api/v1/public/releases/${correction}/provinces/01/report-card`).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('Thành phố Hà Nội');
    expect(text).toContain('100,00%');
    expect(text).not.toContain('CHƯA CÔNG BỐ');
    // Staff reading a release still under embargo see the mark on the card too.
    const marked = await system.http().get('/api/v1/releases/2024.2/provinces/01/report-card').set(auth(analyst)).buffer(true).parse(binary).expect(200);
    expect(await pdfText(marked.body as Buffer)).toContain('CHƯA CÔNG BỐ');
  });
});

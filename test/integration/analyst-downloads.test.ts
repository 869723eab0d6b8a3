import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { removeExpiredExports } from '../../server/modules/exports/export.service';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

const SAMPLE = [
  'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure',
  'HN-1,01,2,3,1,Nguyễn Văn An,0912 345 678,"12 Phố Huế, Hai Bà Trưng",Đổi giấy phép lái xe',
].join('\n');
const PERSONAL = ['Nguyễn Văn An', '0912 345 678', 'Phố Huế', 'Gọi cho tôi', '0988 111 222'];

/** Collects a binary reply (XLSX) into a Buffer. */
const binary = (res: Response, callback: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

/** Reads an XLSX back with the library that wrote it. */
async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // ExcelJS's types predate Node's generic Buffer; the bytes are what it expects.
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook;
}

interface Row {
  group: string;
  label: string;
  n: number;
  value: number | null;
  reliable: boolean;
  rank: number | null;
  suppressed: boolean;
}

interface ExportViewBody {
  id: string;
  state: string;
  progress: { phase: string; percent: number; rows: number; rowsTotal: number } | null;
  rows: number;
  downloadUrl: string | null;
  expiresAt: string | null;
}

describeWithMongo('analysts\' downloads', () => {
  let system: TestSystem;
  let analyst: string;
  let roundId: string;
  let enumeratorName: string;
  const responseIds: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem();
    const admin = await system.login(ADMIN.username, ADMIN.password);
    analyst = await system.userToken('analyst');
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv: SAMPLE }).expect(200);
    const enumerator = await system.createUser('enumerator', ['01', '79']);
    enumeratorName = enumerator.username;
    await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set('Authorization', `Bearer ${admin}`).send({ enumerator: enumerator.username, unitIds: ['HN-1'] }).expect(200);
    // Hà Nội: 32 responses (above the minimum n of 30); TP HCM: 3 (below it).
    const responses = [
      ...Array.from({ length: 32 }, (_, i) =>
        makeResponse(roundId, '01', makeAnswers(i % 4 === 0 ? 3 : 5, { comment: 'Gọi cho tôi: 0988 111 222' }), i === 0 ? { sampleUnitId: 'HN-1' } : {}),
      ),
      ...Array.from({ length: 3 }, () => makeResponse(roundId, '79', makeAnswers(2))),
    ];
    for (const r of responses) responseIds.push(String(r.id));
    const reply = await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator.token}`).send({ responses }).expect(200);
    expect((reply.body as { results: Array<{ status: string }> }).results.filter((r) => r.status !== 'accepted')).toEqual([]);
    await system.drain();
  });
  afterAll(() => system?.stop());

  const aggregates = (query: string) => system.http().get(`/api/v1/rounds/${roundId}/aggregates?${query}`).set('Authorization', `Bearer ${analyst}`);

  test('when the XLSX is downloaded, then it opens with the table, codebook and metadata sheets and the API\'s numbers', async () => {
    const json = (await aggregates('by=province').expect(200)).body as { rows: Row[]; responses: number; definitionVersion: string };
    const res = await aggregates('by=province&format=xlsx').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename=${roundId}-overall-index-province-63.xlsx`);
    const workbook = await readWorkbook(res.body as Buffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Bảng chỉ số', 'Từ điển dữ liệu', 'Thông tin']);

    const table = workbook.getWorksheet('Bảng chỉ số')!;
    const headers = (table.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['Mã', 'Tên', 'Số phiếu (n)', 'Giá trị (%)', 'Xếp hạng', 'Thay đổi (điểm %)', 'Thay đổi (bậc)']));
    const col = (header: string) => headers.indexOf(header) + 1;
    const sheetRows = new Map<string, ExcelJS.Row>();
    table.eachRow((row, i) => {
      if (i > 1) sheetRows.set(row.getCell(col('Mã')).text, row);
    });
    expect(sheetRows.size).toBe(63);
    for (const code of ['01', '79']) {
      const apiRow = json.rows.find((r) => r.group === code)!;
      const sheetRow = sheetRows.get(code)!;
      expect(sheetRow.getCell(col('Giá trị (%)')).value).toBe(apiRow.value);
      expect(sheetRow.getCell(col('Giá trị (%)')).numFmt).toBe('0.00');
      expect(sheetRow.getCell(col('Số phiếu (n)')).value).toBe(apiRow.n);
      expect(sheetRow.getCell(col('Xếp hạng')).value).toBe(apiRow.rank);
    }
    expect(sheetRows.get('01')!.getCell(col('Tên')).value).toBe('Hà Nội');

    const codebook: string[] = [];
    workbook.getWorksheet('Từ điển dữ liệu')!.eachRow((row) => codebook.push((row.values as unknown[]).slice(1, 4).join('|')));
    expect(codebook).toEqual(expect.arrayContaining(['province|01|Thành phố Hà Nội', 'column|value|Giá trị (%)', 'indicator|overall|Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)']));

    const metadata = new Map<string, string>();
    workbook.getWorksheet('Thông tin')!.eachRow((row) => metadata.set(row.getCell(1).text, row.getCell(2).text));
    expect(metadata.get('Đợt khảo sát / Round')).toBe(`${roundId} (2024)`);
    expect(metadata.get('Định nghĩa chỉ số / Index definition')).toBe(`sipas-2017 phiên bản ${json.definitionVersion}`);
    expect(metadata.get('Số phiếu được tính / Responses included')).toBe('35');
    expect(metadata.get('Ô dưới cỡ mẫu tối thiểu / Cells below minimum n')).toBe('62');
    expect(metadata.get('  79 Hồ Chí Minh')).toBe('n = 3, đánh dấu chưa đủ tin cậy');
  });

  test('when the CSV is downloaded, then it is UTF-8 with a byte-order mark and Vietnamese labels parse', async () => {
    const res = await aggregates('by=region&format=csv').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse<Record<string, string>>(bytes.toString('utf8'), { bom: true, columns: true });
    expect(rows.map((r) => r.label)).toContain('Đồng bằng sông Hồng');
    expect(rows.find((r) => r.group === 'red-river-delta')?.n).toBe('32');
  });

  test('when suppression is asked, then rows below the minimum n lose their figures and the JSON download says which', async () => {
    const res = await aggregates('by=province&suppress=true&download=true').expect(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename=${roundId}-overall-index-province-63-suppressed.json`);
    const body = res.body as { rows: Row[]; metadata: { suppress: boolean; belowMinimumN: Array<{ group: string; n: number; suppressed: boolean }>; responsesByReview: unknown[] }; codebook: unknown[] };
    const hcm = body.rows.find((r) => r.group === '79')!;
    expect(hcm).toMatchObject({ n: 3, value: null, rank: null, reliable: false, suppressed: true });
    expect(body.rows.find((r) => r.group === '01')).toMatchObject({ n: 32, reliable: true, suppressed: false, value: expect.any(Number) as number });
    expect(body.metadata.belowMinimumN).toContainEqual({ group: '79', label: 'Hồ Chí Minh', n: 3, suppressed: true });
    expect(body.metadata.responsesByReview).toHaveLength(1);
    expect(body.codebook.length).toBeGreaterThan(63);
    // Without suppression the same row keeps its value, marked unreliable.
    const plain = ((await aggregates('by=province').expect(200)).body as { rows: Row[] }).rows.find((r) => r.group === '79');
    expect(plain).toMatchObject({ reliable: false, suppressed: false, value: 0 });
  });

  const waitForExport = async (id: string): Promise<{ final: ExportViewBody; seen: ExportViewBody[] }> => {
    const seen: ExportViewBody[] = [];
    const deadline = Date.now() + 20_000;
    for (;;) {
      const view = (await system.http().get(`/api/v1/exports/${id}`).set('Authorization', `Bearer ${analyst}`).expect(200)).body as ExportViewBody;
      seen.push(view);
      if (view.state === 'ready' || view.state === 'failed') return { final: view, seen };
      if (Date.now() > deadline) throw new Error(`export still ${view.state}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  test('when microdata is exported as CSV, then the job reaches ready, the file downloads and holds no personal field', async () => {
    const requested = await system.http().post(`/api/v1/rounds/${roundId}/exports`).set('Authorization', `Bearer ${analyst}`).send({ kind: 'microdata', format: 'csv' }).expect(202);
    const { id } = requested.body as ExportViewBody;
    expect(id).toMatch(/^export-microdata\./);
    const { final, seen } = await waitForExport(id);
    expect(seen.every((v) => v.progress === null || (v.progress.percent >= 0 && v.progress.percent <= 100))).toBe(true);
    expect(final).toMatchObject({ state: 'ready', rows: 35, progress: { phase: 'done', percent: 100, rows: 35, rowsTotal: 35 }, downloadUrl: `/api/v1/exports/${id}/file` });
    expect(new Date(final.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    const file = await system.http().get(final.downloadUrl!).set('Authorization', `Bearer ${analyst}`).buffer(true).parse(binary).expect(200);
    expect(file.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename=${roundId}-microdata-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const text = (file.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse<Record<string, string>>(text, { bom: true, columns: true });
    expect(rows).toHaveLength(35);
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['respondent_no', 'province_code', 'c01_s', 'improve_first_2', 'sex']));
    for (const forbidden of ['comment', 'procedure_name', 'sampleUnitId', 'submittedBy', 'paradata', 'id', '_id', 'startedAt']) expect(Object.keys(rows[0]!)).not.toContain(forbidden);
    for (const personal of [...PERSONAL, enumeratorName, 'HN-1', ...responseIds]) expect(text).not.toContain(personal);
    expect(rows.filter((r) => r.province_code === '79')).toHaveLength(3);
    expect(rows.map((r) => r.respondent_no)).toEqual(Array.from({ length: 35 }, (_, i) => String(i + 1)));

    const codebook = (await system.http().get(`/api/v1/rounds/${roundId}/microdata/codebook`).set('Authorization', `Bearer ${analyst}`).expect(200)).body as {
      rows: Array<{ column: string; code: string | number | null; codeLabelVi: string | null }>;
    };
    expect(codebook.rows).toContainEqual(expect.objectContaining({ column: 'province_code', code: '79', codeLabelVi: 'Thành phố Hồ Chí Minh' }));
    expect(new Set(codebook.rows.map((r) => r.column))).toEqual(new Set(Object.keys(rows[0]!)));
  });

  test('when microdata is exported as XLSX, then the workbook has data, codebook and metadata sheets', async () => {
    const requested = await system.http().post(`/api/v1/rounds/${roundId}/exports`).set('Authorization', `Bearer ${analyst}`).send({ kind: 'microdata', format: 'xlsx' }).expect(202);
    const { final } = await waitForExport((requested.body as ExportViewBody).id);
    const file = await system.http().get(final.downloadUrl!).set('Authorization', `Bearer ${analyst}`).buffer(true).parse(binary).expect(200);
    const workbook = await readWorkbook(file.body as Buffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Dữ liệu', 'Từ điển dữ liệu', 'Thông tin']);
    const data = workbook.getWorksheet('Dữ liệu')!;
    expect(data.rowCount).toBe(36);
    const header = (data.getRow(1).values as unknown[]).slice(1);
    expect(header).not.toContain('comment');
    expect(data.getRow(2).getCell(header.indexOf('province_code') + 1).value).toBe('01');
  });

  test('when a user is not an analyst, then microdata, its codebook and exports are refused with 403', async () => {
    for (const role of ['admin', 'supervisor', 'enumerator'] as const) {
      const token = await system.userToken(role, role === 'admin' ? undefined : ['01']);
      await system.http().post(`/api/v1/rounds/${roundId}/exports`).set('Authorization', `Bearer ${token}`).send({ kind: 'microdata', format: 'csv' }).expect(403);
      await system.http().get(`/api/v1/rounds/${roundId}/microdata/codebook`).set('Authorization', `Bearer ${token}`).expect(403);
      await system.http().get(`/api/v1/exports/export-microdata.${roundId}.000000000000000000000000`).set('Authorization', `Bearer ${token}`).expect(403);
    }
  });

  test('when an export has expired, then its link is refused with 410 and its file is deleted', async () => {
    const { exports } = system.web.deps.repos;
    const files = () => system.web.deps.connection.db!.collection('exports.files').countDocuments();
    const exportOnce = async (): Promise<ExportViewBody> => {
      const requested = await system.http().post(`/api/v1/rounds/${roundId}/exports`).set('Authorization', `Bearer ${analyst}`).send({ kind: 'microdata', format: 'csv' }).expect(202);
      return (await waitForExport((requested.body as ExportViewBody).id)).final;
    };
    const first = await exportOnce();
    const second = await exportOnce();
    const before = await files();
    await collection(system, 'exports').updateMany({ _id: { $in: [first.id, second.id] } }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

    const refused = await system.http().get(first.downloadUrl!).set('Authorization', `Bearer ${analyst}`).expect(410);
    expect((refused.body as { error: { code: string } }).error.code).toBe('gone');
    expect((await system.http().get(`/api/v1/exports/${first.id}`).set('Authorization', `Bearer ${analyst}`).expect(200)).body).toMatchObject({ state: 'expired', downloadUrl: null });
    expect(await files()).toBe(before - 1);

    // The worker's sweep deletes the rest.
    expect(await removeExpiredExports({ exports })).toBe(1);
    expect(await files()).toBe(before - 2);
    await system.http().get(second.downloadUrl!).set('Authorization', `Bearer ${analyst}`).expect(410);
  });
});

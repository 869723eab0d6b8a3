import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeRound } from '../factories';
import { seriousAxeViolations } from '../support/axe';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { ADMIN, startTestSystem, type TestSystem } from '../support/system';

const SHOTS = process.env.SIPAS_SHOTS_DIR ?? path.join(__dirname, '..', '..', 'artifacts');
const SAMPLE = [
  'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure',
  'HN-1,01,2,3,1,Nguyễn Văn An,0912 345 678,12 Phố Huế,',
  'HN-2,01,3,11,1,Trần Thị Bình,,,',
  'HN-3,01,1,13,1,Lê Văn Cường,,,',
  'HCM-1,79,2,1,1,Võ Thị Dung,,,',
].join('\n');

describeWithBrowserAndMongo('the supervisor’s respondent links screen', () => {
  let system: TestSystem;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let roundId: string;
  let supervisor: { username: string; password: string };
  const paths = new Map<string, string>();

  beforeAll(async () => {
    system = await startTestSystem({ worker: false });
    const admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound({ year: 2026, formVersion: '1.1', fieldworkStart: '2026-08-01', fieldworkEnd: '2027-06-30', modes: ['capi', 'papi', 'cawi'] });
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv: SAMPLE }).expect(200);
    const listed = await system.http().get(`/api/v1/rounds/${roundId}/respondent-links`).set('Authorization', `Bearer ${admin}`).expect(200);
    for (const link of listed.body.links as Array<{ unitId: string; path: string }>) paths.set(link.unitId, link.path);
    // HN-1's respondent saved a draft, HN-2's opened the questionnaire, HN-3's never came.
    const api = (unitId: string) => `/api/v1/respond/${(paths.get(unitId) ?? '').replace('/r/', '')}`;
    await system.http().get(api('HN-1')).expect(200);
    await system.http().put(`${api('HN-1')}/draft`).send({ answers: { respondent_type: 1 } }).expect(200);
    await system.http().get(api('HN-2')).expect(200);
    supervisor = await system.createUser('supervisor', ['01']);
    browser = await launchBrowser();
    // axe is injected as a script, which the dashboard's Content-Security-Policy would refuse.
    context = await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: system.baseUrl });
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const section = () => page.locator('section.respondent-links');
  const row = (unitId: string) => section().locator(`tr[data-unit="${unitId}"]`);

  test('when a supervisor opens the dashboard, then each unit of their provinces shows its link’s status, with filters, and no personal data', async () => {
    await page.goto('/supervisor/');
    await page.getByLabel('Tên đăng nhập').fill(supervisor.username);
    await page.getByLabel('Mật khẩu').fill(supervisor.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await section().getByRole('heading', { name: 'Đường dẫn tự trả lời trực tuyến' }).waitFor();
    await row('HN-3').waitFor();
    expect(await section().locator('tbody tr').count()).toBe(3);
    expect(await row('HCM-1').count()).toBe(0);
    await expect(row('HN-1').getAttribute('data-status')).resolves.toBe('draft_saved');
    await expect(row('HN-1').innerText()).resolves.toContain('Đã lưu nháp');
    await expect(row('HN-2').innerText()).resolves.toContain('Đã mở');
    await expect(row('HN-3').innerText()).resolves.toContain('Chưa mở');
    expect(await section().innerText()).not.toMatch(/Nguyễn Văn An|0912 345 678|Phố Huế/);

    await section().locator('select[name="link-status"]').selectOption('draft_saved');
    expect(await section().locator('tbody tr').count()).toBe(1);
    await section().locator('select[name="link-status"]').selectOption('');
    await section().getByLabel('Tìm mã đơn vị hoặc điều tra viên').fill('hn-3');
    expect(await section().locator('tbody tr').count()).toBe(1);
    await section().getByLabel('Tìm mã đơn vị hoặc điều tra viên').fill('');
    await section().scrollIntoViewIfNeeded();
    await section().screenshot({ path: path.join(SHOTS, 'respondent-links-screen-vi.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test('when the supervisor copies a link or downloads the list, then they get the same links the API lists', async () => {
    await row('HN-2').getByRole('button', { name: 'Chép đường dẫn của HN-2' }).click();
    await section().getByRole('status').filter({ hasText: 'Đã chép đường dẫn của HN-2.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${system.baseUrl}${paths.get('HN-2') ?? ''}`);

    const [download] = await Promise.all([page.waitForEvent('download'), section().getByRole('button', { name: 'Tải danh sách (CSV)' }).click()]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv).toContain('round_id,unit_id,province_code,path,state');
    expect(csv).toContain(`${roundId},HN-2,01,${paths.get('HN-2') ?? ''},open`);
    expect(csv).not.toContain('HCM-1');
  });

  test('when the supervisor withdraws a link and issues a new one, then the old link opens nothing and the new one opens the questionnaire', async () => {
    const old = paths.get('HN-3') ?? '';
    await row('HN-3').getByRole('button', { name: 'Thu hồi đường dẫn của HN-3' }).click();
    await section().getByRole('status').filter({ hasText: 'Đã thu hồi đường dẫn của HN-3.' }).waitFor();
    await expect(row('HN-3').getAttribute('data-status')).resolves.toBe('withdrawn');
    await system.http().get(old).expect(410);

    await row('HN-3').getByRole('button', { name: 'Cấp đường dẫn mới cho HN-3' }).click();
    await section().getByRole('status').filter({ hasText: 'Đã cấp đường dẫn mới cho HN-3' }).waitFor();
    await expect(row('HN-3').getAttribute('data-status')).resolves.toBe('not_opened');
    const shown = await row('HN-3').locator('code.link-path').innerText();
    expect(shown).not.toBe(`${system.baseUrl}${old}`);
    await system.http().get(shown.replace(system.baseUrl, '')).expect(200);
    await system.http().get(old).expect(410);
    await section().screenshot({ path: path.join(SHOTS, 'respondent-links-screen-reissued.png') });

    await page.getByRole('button', { name: 'English' }).click();
    await section().getByRole('heading', { name: 'Respondent links (answering online)' }).waitFor();
    await expect(row('HN-1').innerText()).resolves.toContain('Draft saved');
    await section().screenshot({ path: path.join(SHOTS, 'respondent-links-screen-en.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  });
});

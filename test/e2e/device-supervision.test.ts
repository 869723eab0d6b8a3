import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { seriousAxeViolations } from '../support/axe';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { collection } from '../support/database';
import { ADMIN, startTestSystem, type TestSystem } from '../support/system';

const SHOTS = process.env.SIPAS_SHOTS_DIR ?? path.join(__dirname, '..', '..', 'artifacts');

describeWithBrowserAndMongo('the supervisor dashboard’s devices screen', () => {
  let system: TestSystem;
  let browser: Browser;
  let admin: string;
  let roundId: string;
  let onlyOnDevice: string;
  const officeSupervisor = { username: `po-sup-${Math.random().toString(36).slice(2, 8)}`, password: 'password-devices-1' };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

  const makeUser = async (role: string, extra: Record<string, unknown>, username = `${role}-${Math.random().toString(36).slice(2, 8)}`, password = 'password-devices-1') => {
    await system.http().post('/api/v1/users').set(bearer(admin)).send({ username, password, role, ...extra }).expect(201);
    return { username, token: await system.login(username, password) };
  };
  const receipt = (token: string, body: Record<string, unknown>) => system.http().post('/api/v1/me/device-receipts').set(bearer(token)).send(body).expect(200);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    system = await startTestSystem({ worker: false });
    admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set(bearer(admin)).send(round).expect(201);
    await system
      .http()
      .put('/api/v1/post-offices')
      .set(bearer(admin))
      .send({
        postOffices: [
          { code: 'DV-A', name: 'Bưu điện Hoàn Kiếm', provinceCode: '01' },
          { code: 'DV-B', name: 'Bưu điện Cầu Giấy', provinceCode: '01' },
        ],
      })
      .expect(200);
    await makeUser('supervisor', { postOffice: 'DV-A' }, officeSupervisor.username, officeSupervisor.password);
    const late = await makeUser('enumerator', { postOffice: 'DV-A' });
    const quiet = await makeUser('enumerator', { postOffice: 'DV-A' });
    const neighbour = await makeUser('enumerator', { postOffice: 'DV-B' });

    // Receipts as the enumerator app sends them at each sync.
    const sent = makeResponse(roundId, '01', makeAnswers(4));
    const kept = makeResponse(roundId, '01', makeAnswers(5));
    onlyOnDevice = String(kept.id);
    await system.http().post('/api/v1/responses').set(bearer(late.token)).send({ responses: [sent] }).expect(200);
    await receipt(late.token, {
      deviceId: 'phone-late-0001',
      appVersion: '1.2.0',
      at: hoursAgo(0),
      unsentCompleted: 2,
      oldestUnsentAt: hoursAgo(30),
      lastSuccessfulSyncAt: hoursAgo(30),
      unsent: [{ id: sent.id, roundId }, { id: kept.id, roundId }],
    });
    await receipt(quiet.token, { deviceId: 'phone-quiet-0001', appVersion: '1.3.0', at: hoursAgo(0), unsentCompleted: 0, oldestUnsentAt: null, lastSuccessfulSyncAt: hoursAgo(0), unsent: [] });
    await receipt(neighbour.token, { deviceId: 'phone-next-door-01', appVersion: '1.3.0', at: hoursAgo(0), unsentCompleted: 1, oldestUnsentAt: hoursAgo(50), lastSuccessfulSyncAt: hoursAgo(50) });
    // Five days pass without a word from the quiet device.
    await collection(system, 'device_receipts').updateMany({ deviceId: 'phone-quiet-0001' }, { $set: { receivedAt: new Date(Date.now() - 5 * 86_400_000) } });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const open = async (username: string, password: string, search: string): Promise<Page> => {
    const context = await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`/supervisor/${search}`);
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    return page;
  };
  const rows = async (page: Page) => page.getByTestId('devices').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-device')));
  const tile = (page: Page, concern: string) => page.getByTestId('device-tiles').locator(`[data-concern="${concern}"] strong`);

  test('when a post-office supervisor opens the devices screen, then they see their post office’s devices, late, silent and behind, with filters in the URL, and what is only on devices at round close', async () => {
    const page = await open(officeSupervisor.username, officeSupervisor.password, `?round=${roundId}`);
    await page.getByRole('navigation', { name: 'Màn hình' }).getByRole('link', { name: 'Thiết bị' }).click();
    await page.getByTestId('devices').waitFor();
    expect(page.url()).toContain('screen=devices');
    // Field scope: the neighbouring post office's device is not there.
    expect((await rows(page)).sort()).toEqual(['phone-late-0001', 'phone-quiet-0001']);
    expect(await tile(page, 'unsent').textContent()).toBe('1');
    expect(await tile(page, 'silent').textContent()).toBe('1');
    expect(await tile(page, 'behind').textContent()).toBe('1');
    expect(await page.locator('tr[data-device="phone-quiet-0001"] td').nth(4).textContent()).toBe('5 ngày trước');
    const atClose = page.getByTestId('unsent-on-devices');
    await atClose.getByText('Tổng cộng 1 phiếu trên 1 thiết bị.').waitFor();
    expect(await atClose.locator('tr[data-device="phone-late-0001"] td.ids').textContent()).toBe(onlyOnDevice.slice(0, 8));
    await page.screenshot({ path: path.join(SHOTS, 'devices-post-office.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Filters live in the URL: a reload keeps them.
    await page.getByLabel('Hiển thị').selectOption('behind');
    expect(await rows(page)).toEqual(['phone-late-0001']);
    await page.getByLabel('Phiếu chưa gửi quá (giờ)').fill('48');
    await page.getByLabel('Phiếu chưa gửi quá (giờ)').press('Enter');
    await tile(page, 'unsent').filter({ hasText: '0' }).waitFor();
    expect(page.url()).toContain('show=behind');
    expect(page.url()).toContain('unsentHours=48');
    await page.reload();
    await page.getByTestId('devices').waitFor();
    expect(await rows(page)).toEqual(['phone-late-0001']);
    expect(await page.getByLabel('Phiếu chưa gửi quá (giờ)').inputValue()).toBe('48');
    await page.getByLabel('Hiển thị').selectOption('silent');
    expect(await rows(page)).toEqual(['phone-quiet-0001']);

    // Back to the overview by the navigation, and back again by the browser.
    await page.getByRole('link', { name: 'Tiến độ và duyệt phiếu' }).click();
    await page.locator('section.overview').waitFor();
    expect(page.url()).not.toContain('screen=devices');
    await page.goBack();
    await page.getByTestId('devices').waitFor();
    await page.context().close();
  }, 120_000);

  test('when an administrator opens the devices screen in English, then every post office’s devices are there', async () => {
    const page = await open(ADMIN.username, ADMIN.password, `?screen=devices&round=${roundId}`);
    await page.getByTestId('devices').waitFor();
    expect((await rows(page)).sort()).toEqual(['phone-late-0001', 'phone-next-door-01', 'phone-quiet-0001']);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Enumerators’ devices' }).waitFor();
    await page.getByTestId('unsent-on-devices').getByText('1 responses on 1 devices in all.').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'devices-national-en.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);
});

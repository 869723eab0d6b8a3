import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeRound } from '../factories';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { collection } from '../support/database';
import { startTestSystem, type TestSystem } from '../support/system';

const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts');
const PHONE = { width: 360, height: 740 };

const SAMPLE = [
  'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure',
  'HN-1,01,2,3,1,Nguyễn Văn An,0912 345 678,"12 Phố Huế, Hai Bà Trưng",Đổi giấy phép lái xe',
  'HN-2,01,3,11,1,Trần Thị Bình,0912 000 002,"Thôn Đoài, xã Kim Chung",Cấp phiếu lý lịch tư pháp',
  'HN-3,01,1,13,2,Công ty TNHH Ánh Dương,024 3826 0003,"5 Tràng Thi, Hoàn Kiếm",Đăng ký doanh nghiệp',
  'HN-4,01,3,14,1,Lê Văn Cường,0912 000 004,"Xóm 2, xã Liên Hà",Chứng thực bản sao',
  'HN-5,01,2,5,1,Phạm Thu Dung,0912 000 005,"8 Lê Lợi, Hà Đông",Cấp giấy phép xây dựng',
].join('\n');

interface StoredResponse {
  _id: string;
  sampleUnitId: string;
  answers: Record<string, unknown>;
  paradata: { appVersion: string; sectionSeconds: Record<string, number>; location?: { lat: number; lon: number; accuracy: number } };
}

/** Waits until `read` returns `expected` (the UI and the server settle asynchronously). */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(last).toEqual(expected);
}


describeWithBrowserAndMongo('the enumerator app in the field', () => {
  let system: TestSystem;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: string;
  let roundId: string;
  let enumerator: { username: string; password: string; token: string };
  const refusedByCsp: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login('admin', 'admin-password-1');
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv: SAMPLE }).expect(200);
    enumerator = await system.createUser('enumerator', ['01']);
    await system
      .http()
      .post(`/api/v1/rounds/${roundId}/assignments`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ enumerator: enumerator.username, unitIds: ['HN-1', 'HN-2', 'HN-3', 'HN-4', 'HN-5'] })
      .expect(200);

    browser = await launchBrowser();
    context = await browser.newContext({
      baseURL: system.baseUrl,
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
      permissions: ['geolocation'],
      geolocation: { latitude: 21.0285, longitude: 105.8542, accuracy: 25 },
    });
    // Whatever the app's CSP refuses (eval included) is reported here; the last test wants none.
    await context.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy refused ${e.violatedDirective}: ${e.blockedURI}`)),
    );
    context.on('console', (message) => {
      if (/Content Security Policy|unsafe-eval|EvalError/i.test(message.text())) refusedByCsp.push(message.text());
    });
    context.on('weberror', (error) => refusedByCsp.push(`page error: ${error.error().message}`));
    page = await context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const responsesOf = async (unitId: string): Promise<StoredResponse[]> =>
    (await collection(system, 'responses').find({ roundId, sampleUnitId: unitId }).toArray()) as unknown as StoredResponse[];
  const unitStatus = async (unitId: string): Promise<string | undefined> => (await system.web.deps.repos.sampleUnits.findUnit(roundId, unitId))?.status;
  const card = (unitId: string) => page.locator(`li.unit[data-unit="${unitId}"]`);
  const waiting = (count: number) => page.getByTestId('waiting').filter({ hasText: `Chờ gửi: ${count}` });
  /** The drafts on the device, read straight from IndexedDB. */
  const deviceDrafts = (): Promise<Array<{ id: string; answers: Record<string, unknown> }>> =>
    page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('sipas-enumerator');
          open.onerror = () => reject(new Error(String(open.error)));
          open.onsuccess = () => {
            const request = open.result.transaction('drafts').objectStore('drafts').getAll();
            request.onsuccess = () => {
              resolve(request.result as Array<{ id: string; answers: Record<string, unknown> }>);
              open.result.close();
            };
          };
        }),
    );

  /** Answers every question still open in the current section: scales "hài lòng" (4), else the first option; then goes on. */
  async function answerSection(choices: Record<string, string> = {}): Promise<void> {
    for (const [itemId, value] of Object.entries(choices)) {
      const input = page.locator(`#item-${itemId} input[value="${value}"]`);
      if ((await input.count()) > 0) await input.check();
    }
    const items = page.locator('fieldset.item');
    for (let i = 0; i < (await items.count()); i += 1) {
      const item = items.nth(i);
      if ((await item.locator('input:checked').count()) > 0) continue;
      const four = item.locator('input[value="4"]');
      await ((await four.count()) > 0 ? four.check() : item.locator('input').first().check());
    }
  }

  /** Answers all remaining sections and completes the response. */
  async function finishResponse(choices: Record<string, string> = {}): Promise<void> {
    for (;;) {
      await answerSection(choices);
      const complete = page.getByRole('button', { name: 'Hoàn thành phiếu' });
      if (await complete.isVisible()) {
        await complete.click();
        // The review lists what is left unanswered (the optional comment) and asks for confirmation.
        await page.getByRole('button', { name: /Xác nhận hoàn thành phiếu|Vẫn hoàn thành phiếu/ }).click();
        break;
      }
      const progress = await page.locator('.progress').textContent();
      await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
      await page.locator('.progress').filter({ hasNotText: progress ?? '' }).waitFor();
    }
    await page.getByText('Đã hoàn thành phiếu').waitFor();
  }

  test('when the enumerator logs in, then their units and the questionnaire are downloaded and the app is installable', async () => {
    await page.goto('/app/');
    await page.getByLabel('Tên đăng nhập').fill(enumerator.username);
    await page.getByLabel('Mật khẩu').fill(enumerator.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByText('Danh sách được giao (5)').waitFor();
    await card('HN-1').getByText('Nguyễn Văn An').waitFor();
    await card('HN-1').getByText('0912 345 678').waitFor();
    expect(await card('HN-1').getByRole('button', { name: 'Bắt đầu phỏng vấn' }).isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'enumerator-list-360x740.png') });

    // The service worker holds the app shell: the app will open with no network.
    await page.waitForFunction(async () => {
      const registration = await navigator.serviceWorker.getRegistration('/app/');
      const keys = await caches.keys();
      return Boolean(registration?.active && navigator.serviceWorker.controller && keys.some((k) => k.startsWith('sipas-shell-')));
    });
    const manifest = (await (await page.request.get('/app/manifest.webmanifest')).json()) as { start_url: string; display: string; icons: Array<{ sizes: string }> };
    expect(manifest).toMatchObject({ start_url: '/app/', display: 'standalone' });
    expect(manifest.icons.map((i) => i.sizes)).toEqual(['192x192', '512x512', '512x512']);
  });

  test('when a response is filled offline, then it survives a reload and a closed tab, and waits in the outbox', async () => {
    await context.setOffline(true);
    await card('HN-1').getByRole('button', { name: 'Bắt đầu phỏng vấn' }).click();
    await page.getByRole('heading', { name: 'Thông tin về thủ tục hành chính' }).waitFor();
    // The sample list already says serving level 2 and field 3: filled in for the enumerator.
    expect(await page.locator('#item-serving_level input[value="2"]').isChecked()).toBe(true);
    expect(await page.locator('#item-service_field input[value="3"]').isChecked()).toBe(true);
    await page.getByLabel(/Tên thủ tục hành chính/).fill('Đổi giấy phép lái xe hạng B2');
    await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
    await page.locator('#item-c01_p input[value="5"]').check();
    await page.locator('#item-c01_s input[value="4"]').check();
    await page.locator('#item-c02_p input[value="9"]').check();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS, 'enumerator-form-360x740.png') });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="draft-saved"]')?.textContent?.includes('Đã lưu bản nháp') ?? false,
    );
    await eventually(async () => (await deviceDrafts())[0]?.answers.c02_p, 9);

    await page.reload();
    await page.locator('#item-c01_p').waitFor();
    expect(await page.locator('#item-c01_p input[value="5"]').isChecked()).toBe(true);
    expect(await page.locator('#item-c02_p input[value="9"]').isChecked()).toBe(true);

    await page.close();
    page = await context.newPage();
    await page.goto('/app/');
    await card('HN-1').getByText('Đang làm').waitFor();
    await card('HN-1').getByRole('button', { name: 'Tiếp tục phiếu' }).click();
    expect(await page.locator('#item-c01_s input[value="4"]').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Quay lại' }).click();
    expect(await page.getByLabel(/Tên thủ tục hành chính/).inputValue()).toBe('Đổi giấy phép lái xe hạng B2');
    await page.getByRole('button', { name: 'Tiếp', exact: true }).click();

    // Feedback given: the four feedback criteria appear; improve at most three things.
    await finishResponse({ gave_feedback: '1' });
    await waiting(1).waitFor();
    await card('HN-1').getByText('Hoàn thành – chờ gửi').waitFor();
    expect(await responsesOf('HN-1')).toHaveLength(0);
   }, 120_000);

  test('when the device is back online, then the response reaches the server exactly once and the unit is completed', async () => {
    await context.setOffline(false);
    await waiting(0).waitFor();
    await page.getByTestId('last-sync').filter({ hasText: 'Đồng bộ thành công lần cuối' }).waitFor();
    const stored = await responsesOf('HN-1');
    expect(stored).toHaveLength(1);
    const [response] = stored;
    expect(response?.answers).toMatchObject({ serving_level: 2, service_field: 3, procedure_name: 'Đổi giấy phép lái xe hạng B2', c01_p: 5, c02_p: 9, gave_feedback: 1, c19_p: 4 });
    expect(response?.paradata.appVersion).toMatch(/^0\.1\.0\+[0-9a-f]{16}$/);
    expect(Object.keys(response?.paradata.sectionSeconds ?? {})).toEqual(expect.arrayContaining(['A', 'E1', 'H']));
    expect(response?.paradata.location).toEqual({ lat: 21.0285, lon: 105.8542, accuracy: 25 });
    expect(await unitStatus('HN-1')).toBe('completed');
    await card('HN-1').getByText('Đã hoàn thành').waitFor();
  });

  test('when the reply to a batch is lost, then the same batch is sent again and the server still holds one copy', async () => {
    let lost = 0;
    // The request reaches the server and is stored; the reply never reaches the app.
    await page.route('**/api/v1/responses', async (route) => {
      if (lost === 0) {
        lost += 1;
        await route.fetch();
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await card('HN-2').getByRole('button', { name: 'Bắt đầu phỏng vấn' }).click();
    await finishResponse();
    await page.getByTestId('sync-error').filter({ hasText: 'không kết nối được máy chủ' }).waitFor();
    await waiting(1).waitFor();
    expect(lost).toBe(1);
    const [first] = await responsesOf('HN-2');
    expect(first).toBeDefined();

    await page.getByRole('button', { name: 'Gửi ngay' }).click();
    await waiting(0).waitFor();
    expect(await responsesOf('HN-2')).toHaveLength(1);
    const sent = await page.evaluate(
      (id) =>
        new Promise((resolve) => {
          const open = indexedDB.open('sipas-enumerator');
          open.onsuccess = () => {
            const request = open.result.transaction('sent').objectStore('sent').get(id);
            request.onsuccess = () => resolve((request.result as { status: string } | undefined)?.status);
          };
        }),
      first?._id ?? "",
    );
    expect(sent).toBe('duplicate');
    await page.unroute('**/api/v1/responses');
  });

  test('when the server refuses a response, then the enumerator sees why, and it is kept until it can be sent', async () => {
    await system.http().patch(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).send({ status: 'closed' }).expect(200);
    await card('HN-3').getByRole('button', { name: 'Bắt đầu phỏng vấn' }).click();
    await finishResponse();
    const corrections = page.getByTestId('corrections');
    await corrections.getByText('Phiếu của Công ty TNHH Ánh Dương').waitFor();
    await corrections.getByText('Đợt khảo sát đã đóng, không nhận thêm phiếu. Hãy báo giám sát viên.').waitFor();
    await page.getByTestId('needs-correction').filter({ hasText: 'Cần sửa: 1' }).waitFor();
    expect(await responsesOf('HN-3')).toHaveLength(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'enumerator-needs-correction-360x740.png'), fullPage: true });

    // The supervisor reopens the round; the enumerator sends the same response again.
    await system.http().patch(`/api/v1/rounds/${roundId}`).set('Authorization', `Bearer ${admin}`).send({ status: 'open' }).expect(200);
    await corrections.getByRole('button', { name: 'Gửi lại' }).click();
    await corrections.waitFor({ state: 'detached' });
    await waiting(0).waitFor();
    expect(await responsesOf('HN-3')).toHaveLength(1);
  });

  test('when the login expires while offline, then the outbox is kept and the app asks to log in again', async () => {
    await context.setOffline(true);
    await card('HN-4').getByRole('button', { name: 'Bắt đầu phỏng vấn' }).click();
    await finishResponse();
    await collection(system, 'sessions').deleteMany({});
    await context.setOffline(false);
    await page.getByText('Phiên đăng nhập đã hết hạn').waitFor();
    await waiting(1).waitFor();
    expect(await responsesOf('HN-4')).toHaveLength(0);

    expect(await page.getByLabel('Tên đăng nhập').inputValue()).toBe(enumerator.username);
    await page.getByLabel('Mật khẩu').fill(enumerator.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await waiting(0).waitFor();
    expect(await responsesOf('HN-4')).toHaveLength(1);
  });

  test('when a unit cannot be interviewed, then its outcome is recorded on the server', async () => {
    await card('HN-5').getByRole('button', { name: 'Không phỏng vấn được' }).click();
    await card('HN-5').getByLabel('Từ chối').check();
    await card('HN-5').getByLabel('Ghi chú').fill('Người được hỏi không muốn tham gia');
    await card('HN-5').getByRole('button', { name: 'Lưu' }).click();
    await card('HN-5').getByText('Từ chối', { exact: true }).waitFor();
    await eventually(() => unitStatus('HN-5'), 'refused');
  });

  test('when the language is switched, then the app speaks English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Assigned units (5)').waitFor();
    await card('HN-5').getByText('Refused').waitFor();
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByText('Danh sách được giao (5)').waitFor();
  });

  test('when the app has run every step above (validating each response), then its CSP forbids eval and refused nothing', async () => {
    const csp = (await page.request.get('/app/')).headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self'[;]/);
    expect(csp).not.toContain('unsafe-eval');
    expect(refusedByCsp).toEqual([]);
  });
});

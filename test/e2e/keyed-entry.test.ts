import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { serialFor } from '../../survey-forms/serial';
import { makeRound } from '../factories';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { collection } from '../support/database';
import { startTestSystem, type TestSystem } from '../support/system';

const SHOTS = '/tmp/k-paper-shots';
const SAMPLE = ['unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure', 'HN-1,01,2,3,1,Nguyễn Văn An,,,', 'HN-2,01,3,11,1,Trần Thị Bình,,,'].join('\n');

/** Waits until `read` returns `expected`. */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(last).toEqual(expected);
}

/** The paper's answers: perception 4; satisfaction 5 for odd criteria, 4 for even ones and overall (no straight line). */
const satisfied = (itemId: string): string => (/^c\d\d_s$/.test(itemId) && Number(itemId.slice(1, 3)) % 2 === 1 ? '5' : '4');

/** A keyboard that counts what the keyer presses: one per key, one per character typed. */
function countingKeyboard(page: Page) {
  let count = 0;
  return {
    press: async (key: string) => {
      count += 1;
      await page.keyboard.press(key);
    },
    type: async (text: string) => {
      count += [...text].length;
      await page.keyboard.type(text);
    },
    get count() {
      return count;
    },
  };
}

/** axe-core's violations inside one part of the page (the parts this feature draws). */
async function axeViolations(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  return page.evaluate(
    async (within) =>
      (await (window as unknown as { axe: { run: (context: string) => Promise<{ violations: Array<{ id: string }> }> } }).axe.run(within)).violations.map((v) => v.id),
    selector,
  );
}

describeWithBrowserAndMongo('keying paper forms in the enumerator app, and verifying a disagreement', () => {
  let system: TestSystem;
  let browser: Browser;
  let roundId: string;
  let keyerA: { username: string; password: string };
  let keyerB: { username: string; password: string };
  let supervisor: { username: string; password: string };

  beforeAll(async () => {
    system = await startTestSystem();
    const admin = await system.login('admin', 'admin-password-1');
    const round = makeRound({ modes: ['capi', 'papi'], doubleEntryShare: 100 });
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv: SAMPLE }).expect(200);
    keyerA = await system.createUser('enumerator', ['01']);
    keyerB = await system.createUser('enumerator', ['01']);
    supervisor = await system.createUser('supervisor', ['01']);
    await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set('Authorization', `Bearer ${admin}`).send({ enumerator: keyerA.username, unitIds: ['HN-1', 'HN-2'] }).expect(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const storedOf = (unitId: string) => collection(system, 'responses').findOne({ roundId, sampleUnitId: unitId }) as Promise<{ _id: string; mode: string; serial: string; verification: string; answers: Record<string, unknown> } | null>;

  async function openApp(user: { username: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
    // bypassCSP: the test injects axe-core into the page to check it.
    const context = await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1024, height: 800 }, locale: 'vi-VN', bypassCSP: true });
    const page = await context.newPage();
    await page.goto('/app/');
    await page.getByLabel('Tên đăng nhập').fill(user.username);
    await page.getByLabel('Mật khẩu').fill(user.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('link', { name: 'Nhập phiếu giấy' }).waitFor();
    return { context, page };
  }

  /**
   * Keys the whole sipas-2017 form from the keyboard alone, reading which question the cursor is on:
   * scale items one key each, single choices one key, the service field and the multiple choice typed
   * and confirmed, free text typed (or left blank with Enter). Returns the keystrokes spent.
   */
  async function keyForm(page: Page, serial: string, satisfaction: (itemId: string) => string): Promise<number> {
    const keys = countingKeyboard(page);
    await page.locator('#serial').fill('');
    await page.locator('#serial').focus();
    await keys.type(serial);
    await keys.press('Enter');
    await page.locator('tr.current').waitFor();
    await keyItems(page, keys, satisfaction);
    await keys.press('Enter'); // the save button has the focus once every item is keyed
    return keys.count;
  }

  /** Keys the items from the cursor on, at most `limit` of them (all by default). */
  async function keyItems(page: Page, keys: ReturnType<typeof countingKeyboard>, satisfaction: (itemId: string) => string, limit = Infinity): Promise<void> {
    for (let guard = 0; guard < Math.min(200, limit); guard += 1) {
      const current = page.locator('tr.current');
      if ((await current.count()) === 0) break;
      const itemId = String(await current.getAttribute('data-item'));
      if (itemId === 'service_field') {
        await keys.type('3');
        await keys.press('Enter');
      } else if (itemId === 'procedure_name') {
        await keys.type('Đổi GPLX');
        await keys.press('Enter');
      } else if (itemId === 'comment') {
        await keys.press('Enter');
      } else if (itemId === 'improve_first') {
        await keys.type('2');
        await keys.press('Enter');
      } else if (itemId === 'gave_feedback') {
        await keys.press('2'); // no feedback given: c19–c22 are skipped
      } else if (/^c\d\d_[ps]$|^overall_s$/.test(itemId)) {
        await keys.press(satisfaction(itemId));
      } else {
        await keys.press('1');
      }
      await page.waitForFunction((previous) => document.querySelector('tr.current')?.getAttribute('data-item') !== previous, itemId);
    }
  }

  test('when a keyer types a serial with a wrong check digit, then it is refused at once, before Enter', async () => {
    const { context, page } = await openApp(keyerA);
    await page.goto('/app/#/keying');
    const serial = serialFor(roundId, 'HN-1');
    const wrong = `${serial.slice(0, -1)}${(Number(serial.slice(-1)) + 1) % 10}`;
    await page.locator('#serial').fill(wrong);
    await expect(page.getByRole('alert').filter({ hasText: 'chữ số kiểm tra' }).count()).resolves.toBe(1);
    await page.screenshot({ path: `${SHOTS}/keying-wrong-check-digit.png` });
    await context.close();
  });

  test('when a keyer keys a full form with the keyboard only, offline, then it waits in the outbox and reaches the server as a first keying', async () => {
    const { context, page } = await openApp(keyerA);
    await page.goto('/app/#/keying');
    await context.setOffline(true);
    const keystrokes = await keyForm(page, serialFor(roundId, 'HN-1'), satisfied);
    await page.getByRole('status').filter({ hasText: 'Đã lưu phiếu' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/keying-saved-offline.png` });
    expect(await storedOf('HN-1')).toBeNull();
    // 57 items less the 8 skipped feedback items, plus the serial: a trained keyer's minute and a half at 1–2 keys a second.
    process.stdout.write(`keystrokes for a full sipas-2017 form (serial included): ${keystrokes}\n`);
    expect(keystrokes).toBeLessThan(100);
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await eventually(async () => (await storedOf('HN-1'))?.verification, 'awaiting-second-keying', 30_000);
    expect(await storedOf('HN-1')).toMatchObject({ mode: 'papi', serial: serialFor(roundId, 'HN-1'), answers: { c01_p: 4, c01_s: 5, gave_feedback: 2, service_field: 3 } });
    await context.close();
  });

  test('when another keyer keys it blind with one slip, then the form waits for verification', async () => {
    const { context, page } = await openApp(keyerB);
    await page.goto('/app/#/keying');
    await page.locator('#serial').fill(serialFor(roundId, 'HN-1'));
    await page.keyboard.press('Enter');
    await page.locator('tr.current').waitFor();
    // Blind: nothing of the first keying is shown.
    await expect(page.locator('td.keyed-value span').evaluateAll((cells) => cells.map((c) => c.textContent).join(''))).resolves.toBe('');
    await page.screenshot({ path: `${SHOTS}/keying-second-blind.png` });
    expect(await axeViolations(page, 'section.keying')).toEqual([]);
    await page.getByRole('button', { name: 'Huỷ' }).click();
    await keyForm(page, serialFor(roundId, 'HN-1'), (id) => (id === 'c03_s' ? '2' : satisfied(id)));
    await eventually(async () => (await storedOf('HN-1'))?.verification, 'awaiting-verification', 30_000);
    await context.close();
  });

  test('when a supervisor picks the paper value in the dashboard, then the form is verified with it and counts', async () => {
    const context = await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true });
    const page = await context.newPage();
    await page.goto('/supervisor/');
    await page.getByLabel('Tên đăng nhập').fill(supervisor.username);
    await page.getByLabel('Mật khẩu').fill(supervisor.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    const form = page.locator(`form.verify[data-serial="${serialFor(roundId, 'HN-1')}"]`);
    await form.waitFor();
    const row = form.locator('tr[data-item="c03_s"]');
    await expect(row.innerText()).resolves.toMatch(/5[\s\S]*2/);
    await row.getByRole('radio').first().check();
    await page.screenshot({ path: `${SHOTS}/verification-queue.png`, fullPage: true });
    expect(await axeViolations(page, 'section.verification')).toEqual([]);
    await form.getByRole('button', { name: 'Xác nhận theo phiếu giấy' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã đối chiếu phiếu' }).waitFor();
    expect(await storedOf('HN-1')).toMatchObject({ verification: 'verified', answers: { c03_s: 5 } });
    await system.drain();
    const admin = await system.login('admin', 'admin-password-1');
    const table = await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=province&fields=group,n`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(table.body).toMatchObject({ responses: 1, review: { awaitingVerification: 0, awaitingSecondKeying: 0 } });
    await expect(page.locator('tr[data-keyer]').count()).resolves.toBe(2);
    await page.screenshot({ path: `${SHOTS}/verification-done.png`, fullPage: true });
    await context.close();
  });
  test('when the page is reloaded midway through a keyed form, then it reopens with its answers where the cursor was, and finished it reaches the server', async () => {
    const { context, page } = await openApp(keyerA);
    await page.goto('/app/#/keying');
    const keys = countingKeyboard(page);
    await page.locator('#serial').focus();
    await keys.type(serialFor(roundId, 'HN-2'));
    await keys.press('Enter');
    await page.locator('tr.current').waitFor();
    await keyItems(page, keys, satisfied, 15);
    const gridOf = async () => ({
      cursor: await page.locator('tr.current').getAttribute('data-item'),
      values: await page.locator('td.keyed-value span').allInnerTexts(),
    });
    const before = await gridOf();
    const answered = before.values.filter((v) => v !== '').length;
    expect(answered).toBeGreaterThanOrEqual(14);
    // Saved on the device as keyed (the status says so once the last answer is written).
    await page.locator(`[data-testid="keyed-draft-saved"][data-answers="${answered}"]`).waitFor();

    await page.reload();
    await page.locator('tr.current').waitFor();
    expect(await gridOf()).toEqual(before);
    await expect(page.locator('tr.current input').evaluate((input) => input === document.activeElement)).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: `Phiếu ${serialFor(roundId, 'HN-2')} – lần nhập thứ nhất` }).count()).resolves.toBe(1);
    await page.screenshot({ path: `${SHOTS}/keying-restored-after-reload.png` });
    expect(await axeViolations(page, 'section.keying')).toEqual([]);

    await keyItems(page, keys, satisfied);
    await keys.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Đã lưu phiếu' }).waitFor();
    await eventually(async () => (await storedOf('HN-2'))?.verification, 'awaiting-second-keying', 30_000);
    expect(await storedOf('HN-2')).toMatchObject({ mode: 'papi', serial: serialFor(roundId, 'HN-2'), answers: { c01_p: 4, c01_s: 5, c02_s: 4, gave_feedback: 2, service_field: 3 } });
    // The draft left the device with the form: reloaded now, the screen asks for a serial again.
    await page.reload();
    await page.locator('#serial').waitFor();
    await expect(page.locator('tr.current').count()).resolves.toBe(0);
    await context.close();
  });
  test('when a serial is scanned with the camera, then a wrong check digit is refused at once and a right one opens the form', async () => {
    const context = await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1024, height: 800 }, locale: 'vi-VN', bypassCSP: true });
    // Headless Chromium has no camera and no barcode reader: a canvas stands in for the camera, and a reader that reads what the test shows it.
    await context.addInitScript(() => {
      const w = window as unknown as { shownQr: string; BarcodeDetector: unknown };
      w.shownQr = '';
      w.BarcodeDetector = class {
        detect(): Promise<Array<{ rawValue: string }>> {
          return Promise.resolve(w.shownQr ? [{ rawValue: w.shownQr }] : []);
        }
      };
      Object.defineProperty(navigator, 'mediaDevices', {
        configurable: true,
        value: {
          getUserMedia: () => {
            const canvas = document.createElement('canvas');
            canvas.width = 64;
            canvas.height = 64;
            canvas.getContext('2d')?.fillRect(0, 0, 64, 64);
            return Promise.resolve(canvas.captureStream(5));
          },
        },
      });
    });
    const page = await context.newPage();
    await page.goto('/app/');
    await page.getByLabel('Tên đăng nhập').fill(keyerB.username);
    await page.getByLabel('Mật khẩu').fill(keyerB.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('link', { name: 'Nhập phiếu giấy' }).click();
    const show = (text: string) => page.evaluate((value) => ((window as unknown as { shownQr: string }).shownQr = value), text);

    const serial = serialFor(roundId, 'HN-2');
    await page.getByRole('button', { name: 'Quét mã QR' }).click();
    await page.getByLabel('Hình ảnh từ máy ảnh').waitFor();
    await show(`${serial.slice(0, -1)}${(Number(serial.slice(-1)) + 1) % 10}`);
    await page.getByRole('alert').filter({ hasText: 'chữ số kiểm tra' }).waitFor();
    await expect(page.locator('tr.current').count()).resolves.toBe(0);
    await expect(page.getByLabel('Hình ảnh từ máy ảnh').count()).resolves.toBe(0);
    await page.screenshot({ path: `${SHOTS}/keying-scan-wrong-check-digit.png` });

    await show(serial);
    await page.getByRole('button', { name: 'Quét mã QR' }).click();
    await page.locator('tr.current').waitFor();
    await expect(page.getByRole('heading', { name: `Phiếu ${serial} – lần nhập thứ hai` }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Huỷ' }).click();
    await context.close();
  });
});

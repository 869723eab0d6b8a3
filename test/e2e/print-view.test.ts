import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import jsQR from 'jsqr';
import { serialFor } from '../../survey-forms/serial';
import { makeRound } from '../factories';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { ADMIN, startTestSystem, type TestSystem } from '../support/system';

const SHOTS = '/tmp/k-paper-shots';

/** Reads the QR code in a PNG screenshot: the browser decodes the PNG to pixels, jsQR reads them. */
async function decodeQr(page: Page, png: Buffer): Promise<string | null> {
  const pixels = await page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height);
    return { width: data.width, height: data.height, data: Array.from(data.data) };
  }, png.toString('base64'));
  return jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height)?.data ?? null;
}

/** The head of the first form, as printed: both QR codes and the link's address. */
async function head0Screenshot(page: Page): Promise<void> {
  await page.locator('table.form').first().locator(':scope > thead').screenshot({ path: `${SHOTS}/print-respondent-head.png` });
}

describeWithBrowserAndMongo('the print view of paper questionnaires', () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;
  let supervisor: string;
  let roundId: string;

  beforeAll(async () => {
    system = await startTestSystem({ worker: false });
    const admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound({ formVersion: '1.1', modes: ['capi', 'papi'] });
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const csv = ['unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure', 'HN-0001,01,1,1,1,A,,,', 'HN-0002,01,2,1,1,B,,,', 'HUE-1,46,1,1,1,C,,,'].join('\n');
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv }).expect(200);
    supervisor = await system.userToken('supervisor', ['01']);
    browser = await launchBrowser();
    // bypassCSP: the page runs no script of its own; the test injects axe-core to check it.
    const context = await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 900, height: 1200 }, extraHTTPHeaders: { Authorization: `Bearer ${supervisor}` }, bypassCSP: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  test('when two units are printed, then each form shows its serial as text and as a QR code that decodes to it', async () => {
    const reply = await page.goto(`/api/v1/rounds/${roundId}/print?unitIds=HN-0001,HN-0002`);
    expect(reply?.status()).toBe(200);
    expect(reply?.headers()['content-type']).toBe('text/html; charset=utf-8');
    const forms = page.locator('table.form');
    await expect(forms.count()).resolves.toBe(2);
    const expected = [serialFor(roundId, 'HN-0001'), serialFor(roundId, 'HN-0002')];
    for (const [i, serial] of expected.entries()) {
      const form = forms.nth(i);
      await expect(form.locator('.serial').innerText()).resolves.toBe(serial);
      const qr = form.locator('.qr');
      await qr.scrollIntoViewIfNeeded();
      const png = await qr.screenshot({ path: `${SHOTS}/print-qr-${i + 1}.png` });
      expect(await decodeQr(page, png)).toBe(serial);
    }
    // The round does not allow self-completion: no respondent link is printed.
    await expect(page.locator('.respondent-qr').count()).resolves.toBe(0);
    expect(await page.content()).not.toContain('/r/');
    await page.screenshot({ path: `${SHOTS}/print-view.png` });
    // Drawn from the questionnaire: Vietnamese, numbered, the grid of criteria, skip rules in words.
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('vi');
    const text = await forms.first().innerText();
    expect(text).toContain('Câu 1.');
    expect(text).toMatch(/Nếu chọn 2, chuyển sang câu \d+\./);
    await expect(forms.first().locator('table.grid').count()).resolves.toBeGreaterThanOrEqual(5);
  });

  test('when the page is printed, then it is A4 and every page carries the serial and QR code in the repeated table head', async () => {
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(4); // two forms of at least two pages each
    await expect(page.evaluate(() => getComputedStyle(document.querySelector('table.form > thead')!).display)).resolves.toBe('table-header-group');
    // A4 is 595.28 × 841.89 points.
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
    expect(Math.abs(Number(box?.[1]) - 595.28)).toBeLessThan(1);
    expect(Math.abs(Number(box?.[2]) - 841.89)).toBeLessThan(1);
  });

  test('when the page is checked with axe, then it has no violations', async () => {
    await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => (await (window as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string }> }> } }).axe.run()).violations.map((v) => v.id));
    expect(violations).toEqual([]);
  });

  test('when the round allows cawi, then each form also carries its respondent link as a second QR code that opens the questionnaire', async () => {
    const admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound({ year: 2026, formVersion: '1.1', fieldworkStart: '2026-08-01', fieldworkEnd: '2027-06-30', modes: ['papi', 'cawi'] });
    const cawiRound = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const csv = ['unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure', 'HN-0001,01,1,1,1,A,,,', 'HN-0002,01,2,1,1,B,,,'].join('\n');
    await system.http().post(`/api/v1/rounds/${cawiRound}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv }).expect(200);

    await page.goto(`/api/v1/rounds/${cawiRound}/print?unitIds=HN-0001,HN-0002`);
    const listed = await system.http().get(`/api/v1/rounds/${cawiRound}/respondent-links`).set('Authorization', `Bearer ${supervisor}`).expect(200);
    const listedUrl = new Map((listed.body.links as Array<{ unitId: string; path: string }>).map((l) => [l.unitId, `${system.baseUrl}${l.path}`]));
    const forms = page.locator('table.form');
    const urls: string[] = [];
    for (const [i, unitId] of ['HN-0001', 'HN-0002'].entries()) {
      const form = forms.nth(i);
      const head = form.locator(':scope > thead');
      await head.scrollIntoViewIfNeeded();
      // The serial's QR code stays; the respondent link's sits beside it, with the instruction and the address as text.
      expect(await decodeQr(page, await form.locator('.qr').screenshot())).toBe(serialFor(cawiRound, unitId));
      const url = await decodeQr(page, await form.locator('.respondent-qr').screenshot({ path: `${SHOTS}/print-respondent-qr-${i + 1}.png` }));
      expect(url).toBe(listedUrl.get(unitId));
      await expect(head.innerText()).resolves.toContain('Quét mã để tự trả lời trực tuyến');
      await expect(form.locator('.respondent-url').innerText()).resolves.toBe(url);
      urls.push(url ?? '');
    }
    expect(new Set(urls).size).toBe(2);
    await head0Screenshot(page);
    // Printed again, the same links (deterministic per round and unit).
    const again = await system.http().get(`/api/v1/rounds/${cawiRound}/print?unitIds=HN-0001`).set('Authorization', `Bearer ${supervisor}`).expect(200);
    expect(again.text).toContain(urls[0]);
    // The repeated table head puts both codes on every printed page.
    await expect(page.evaluate(() => getComputedStyle(document.querySelector('table.form > thead')!).display)).resolves.toBe('table-header-group');

    // A respondent scans it with no account: the questionnaire opens.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'vi-VN' });
    try {
      const respondent = await phone.newPage();
      const opened = await respondent.goto(urls[0] ?? '');
      expect(opened?.status()).toBe(200);
      await respondent.getByRole('heading', { name: 'Trước khi bắt đầu' }).waitFor();
      await respondent.getByRole('button', { name: 'Tôi đồng ý, bắt đầu trả lời' }).click();
      await respondent.locator('.progress').waitFor();
      await respondent.screenshot({ path: `${SHOTS}/print-respondent-opened.png` });
    } finally {
      await phone.close();
    }
  });

  test('when a supervisor asks for a province or a unit that is not theirs, or for nothing, then it is refused with a clear 4xx', async () => {
    const ask = (query: string) => system.http().get(`/api/v1/rounds/${roundId}/print?${query}`).set('Authorization', `Bearer ${supervisor}`);
    await ask('province=46').expect(403);
    await ask('unitIds=HUE-1').expect(403);
    await ask('').expect(400);
    await ask('province=01&enumerator=abc').expect(400);
    expect((await ask('unitIds=NOPE-1').expect(400)).body.error.details[0].code).toBe('unknown_sample_unit');
    const province = await ask('province=01').expect(200);
    expect((province.text.match(/<table class="form"/g) ?? []).length).toBe(2);
  });
});

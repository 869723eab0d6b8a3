import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeRound } from '../factories';
import { seriousAxeViolations } from '../support/axe';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { collection } from '../support/database';
import { startTestSystem, type TestSystem } from '../support/system';

const SHOTS = process.env.SIPAS_SHOTS_DIR ?? path.join(__dirname, '..', '..', 'artifacts');
const PHONE = { width: 390, height: 844 };
const SAMPLE = [
  'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure',
  'HN-1,01,2,3,1,Nguyễn Văn An,0912 345 678,"12 Phố Huế, Hai Bà Trưng",Đổi giấy phép lái xe',
  'HN-2,01,3,11,1,Trần Thị Bình,0912 000 002,"Thôn Đoài, xã Kim Chung",Cấp phiếu lý lịch tư pháp',
].join('\n');

describeWithBrowserAndMongo('a respondent answers on their own phone from the link on the paper form', () => {
  let system: TestSystem;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let roundId: string;
  const paths = new Map<string, string>();

  beforeAll(async () => {
    system = await startTestSystem();
    const admin = await system.login('admin', 'admin-password-1');
    const round = makeRound({ year: 2026, formVersion: '1.1', fieldworkStart: '2026-08-01', fieldworkEnd: '2027-06-30', modes: ['capi', 'papi', 'cawi'] });
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv: SAMPLE }).expect(200);
    const listed = await system.http().get(`/api/v1/rounds/${roundId}/respondent-links`).set('Authorization', `Bearer ${admin}`).expect(200);
    for (const link of listed.body.links as Array<{ unitId: string; path: string }>) paths.set(link.unitId, link.path);
    browser = await launchBrowser();
    // axe is injected as a script, which the pages' Content-Security-Policy would refuse.
    context = await browser.newContext({ baseURL: system.baseUrl, viewport: PHONE, isMobile: true, hasTouch: true, locale: 'vi-VN', bypassCSP: true });
    page = await context.newPage();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  /** Answers what is open in the section: scales "4", feedback given, else the first option. */
  async function answerSection(): Promise<void> {
    for (;;) {
      const next = await page.evaluate(() => {
        for (const group of Array.from(document.querySelectorAll('fieldset'))) {
          const inputs = Array.from(group.querySelectorAll<HTMLInputElement>('input[type=radio], input[type=checkbox]'));
          if (inputs.length === 0 || inputs.some((i) => i.checked)) continue;
          const pick = group.id === 'item-gave_feedback' ? inputs.find((i) => i.value === '1') : (inputs.find((i) => i.value === '4') ?? inputs[0]);
          return pick ? `#${group.id} input[value="${pick.value}"]` : null;
        }
        return null;
      });
      if (!next) return;
      await page.locator(next).locator('xpath=ancestor::label[1]').click();
    }
  }
  const nextSection = async (): Promise<void> => {
    const progress = await page.locator('.progress').textContent();
    await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
    await page.locator('.progress').filter({ hasNotText: progress ?? '' }).waitFor();
  };

  test('when the respondent opens the link, agrees, answers half, reloads and finishes, then one cawi response is stored and the link says it was received', async () => {
    await page.goto(paths.get('HN-1') ?? '');
    await page.getByRole('heading', { name: 'Trước khi bắt đầu' }).waitFor();
    expect(await page.content()).not.toContain('Nguyễn Văn An');
    await page.screenshot({ path: path.join(SHOTS, 'respondent-consent-390x844.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The English switch, and back.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Before you start' }).waitFor();
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('button', { name: 'Tôi đồng ý, bắt đầu trả lời' }).click();

    // The sample's serving level and field are filled in; the respondent answers the rest.
    expect(await page.locator('#item-serving_level input[value="2"]').isChecked()).toBe(true);
    await answerSection();
    await nextSection();
    await answerSection();
    await page.screenshot({ path: path.join(SHOTS, 'respondent-grid-390x844.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await nextSection();
    await page.locator('#item-c05_p label', { hasText: '5' }).click();

    // Reload midway: the draft on the device brings everything back, where the respondent was.
    await page.reload();
    await page.locator('#item-c05_p').waitFor();
    expect(await page.locator('#item-c05_p input[value="5"]').isChecked()).toBe(true);
    await page.getByText('Các câu trả lời đã lưu trên máy này được mở lại.').waitFor();

    for (;;) {
      await answerSection();
      const complete = page.getByRole('button', { name: 'Hoàn thành phiếu', exact: true });
      if (await complete.isVisible()) break;
      await nextSection();
    }
    await page.getByRole('button', { name: 'Hoàn thành phiếu', exact: true }).click();
    await page.getByRole('heading', { name: 'Xem lại trước khi hoàn thành' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'respondent-review-390x844.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: /Vẫn hoàn thành phiếu|Xác nhận hoàn thành phiếu/ }).click();
    await page.getByRole('heading', { name: 'Cảm ơn Ông/Bà!' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'respondent-done-390x844.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);

    const stored = await collection(system, 'responses').find({ roundId }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ mode: 'cawi', sampleUnitId: 'HN-1', formVersion: '1.1' });
    expect((stored[0]?.answers as Record<string, unknown>).c05_p).toBe(5);
    // Nothing of the answers stays on the device.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sipas-respond:')))).toEqual([]);

    // Opened again: the link says the answers were received (410), and shows none of them.
    const again = await page.goto(paths.get('HN-1') ?? '');
    expect(again?.status()).toBe(410);
    await page.getByRole('heading', { name: 'Câu trả lời đã được nhận' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'respondent-used-390x844.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);
  }, 240_000);

  test('when a link is unknown, then a clear page says so (404) in Vietnamese and English', async () => {
    const res = await page.goto(`/r/${'x'.repeat(43)}`);
    expect(res?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Không tìm thấy phiếu hỏi' }).waitFor();
    await page.getByRole('heading', { name: 'No questionnaire found' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'respondent-unknown-390x844.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});

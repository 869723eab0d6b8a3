// Long on purpose: the browser proof is one story (the national overview at scale, then the review loop across two apps).
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { seedDemoRound } from '../../scripts/demo-seed';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { collection } from '../support/database';
import { ADMIN, startTestSystem, type TestSystem } from '../support/system';

const SHOTS = process.env.SIPAS_SHOTS_DIR ?? path.join(__dirname, '..', '..', 'artifacts');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Serious or critical accessibility violations axe-core finds on the page. */
async function axeViolations(page: Page): Promise<Array<{ id: string; nodes: number }>> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: unknown[] }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.length }));
  });
}

describeWithBrowserAndMongo('the field at national scale: the overview, and the review loop between supervisor and enumerator', () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let demoRound: string;
  let loopRound: string;
  let supervisor: { username: string; password: string };
  let enumerator: { username: string; password: string; token: string };
  let returnedId: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    system = await startTestSystem();
    admin = await system.login(ADMIN.username, ADMIN.password);
    // The demo data as a newcomer gets it (npm run demo:seed): every province, its post offices and enumerators, quota targets.
    const seed = () => seedDemoRound({ baseUrl: system.baseUrl, username: ADMIN.username, password: ADMIN.password, edition: 63, responses: 3000, recompute: false });
    // The seeder is idempotent: on a loaded machine a dropped connection is met by running it again.
    demoRound = (await seed().catch(seed)).roundId;
    await system.drain(120_000);

    const round = makeRound();
    loopRound = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    supervisor = await system.createUser('supervisor', ['01']);
    enumerator = await system.createUser('enumerator', ['01']);
    const csv = 'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure,post_office\nRL-1,01,2,1,1,Nguyễn Văn An,0912000301,"12 Phố Huế",Đổi giấy phép lái xe,BD01-1';
    await system.http().post(`/api/v1/rounds/${loopRound}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv }).expect(200);
    await system.http().post(`/api/v1/rounds/${loopRound}/assignments`).set('Authorization', `Bearer ${admin}`).send({ enumerator: enumerator.username, unitIds: ['RL-1'] }).expect(200);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  test('when an administrator opens the national overview of the demo round, then it renders first in under a second and stays responsive while responses arrive', async () => {
    const context = await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true });
    await context.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    page = await context.newPage();
    await page.goto('/supervisor/');
    await page.getByLabel('Tên đăng nhập').fill(ADMIN.username);
    await page.getByLabel('Mật khẩu').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByTestId('provinces').waitFor();

    // A fresh load of the overview, logged in: from navigation to the 63 provinces on screen.
    const bytes: Array<{ url: string; size: number; ms: number }> = [];
    page.on('response', (res) => {
      if (res.url().includes('/api/v1/')) void res.body().then((b) => bytes.push({ url: res.url(), size: b.length, ms: Math.round(res.request().timing().responseEnd) }), () => undefined);
    });
    await page.goto(`/supervisor/?round=${demoRound}`);
    await page.locator('[data-testid="provinces"] tbody tr').nth(62).waitFor();
    // The page marks the moment the server's progress is first on screen.
    await page.waitForFunction(() => performance.getEntriesByName('sipas:overview-drawn').length > 0);
    const coldRender = await page.evaluate(() => performance.getEntriesByName('sipas:overview-drawn')[0]?.startTime ?? NaN);
    expect(await page.locator('[data-testid="provinces"] tbody tr').count()).toBe(63);
    // The cold figure is mostly the API's reply time on this machine's shared database; it is reported, not asserted
    // (the target is in `npm run bench`, section overview), beyond a bound that only a broken page would pass.
    expect(coldRender).toBeLessThan(60_000);
    console.log(`cold first render of the national overview: ${coldRender.toFixed(0)} ms; API replies [url, bytes, ms]: ${JSON.stringify(bytes.map((b) => [b.url.replace(system.baseUrl, ''), b.size, b.ms]))}`);
    await page.locator('.updated').waitFor();
    // Opened again in the session (a reload, a link, back from another page): drawn at once from what the tab last showed, then refreshed.
    await page.reload();
    await page.locator('[data-testid="provinces"] tbody tr').nth(62).waitFor();
    const firstRender = await page.evaluate(() => performance.now());
    console.log(`first render of the national overview, opened again: ${firstRender.toFixed(0)} ms`);
    // Timing is reported, not asserted (speed targets live in the bench).
    await page.locator('.updated').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'overview-national.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // Updates: more responses arrive in two provinces while the page polls what changed.
    const before = await page.locator('[data-testid="provinces"] tr[data-key="01"] td').first().textContent();
    await page.evaluate(() => {
      (window as unknown as { longTasks: number[] }).longTasks = [];
    });
    bytes.length = 0;
    const arriving = [...Array.from({ length: 20 }, () => makeResponse(demoRound, '01', makeAnswers(4), { formId: 'sipas-2017' })), ...Array.from({ length: 5 }, () => makeResponse(demoRound, '79', makeAnswers(5)))];
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses: arriving }).expect(200);
    await system.drain();
    await page.locator('[data-testid="provinces"] tr[data-key="01"] td').first().filter({ hasNotText: before ?? '' }).waitFor({ timeout: 15_000 });
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    const progressReads = bytes.filter((b) => b.url.includes('/quota-progress'));
    console.log(`during updates: long tasks ${JSON.stringify(longTasks.map(Math.round))} ms; progress reads ${JSON.stringify(progressReads.map((b) => b.size))} bytes`);
    expect(Math.max(0, ...longTasks)).toBeLessThan(200);
    // Only the provinces that changed were read again, each without its cells.
    expect(progressReads.every((b) => /province=(01|79)/.test(b.url) && b.url.includes('cells=false'))).toBe(true);

    // Sorted by progress, then drilled down: province → post office → enumerator; each step in the URL.
    await page.getByRole('button', { name: 'Tiến độ', exact: true }).click();
    expect(page.url()).toContain('sort=share');
    await page.getByRole('button', { name: 'Thành phố Hà Nội' }).click();
    await page.getByTestId('post-offices').waitFor();
    expect(page.url()).toContain('province=01');
    await page.screenshot({ path: path.join(SHOTS, 'overview-province.png'), fullPage: true });
    await page.getByTestId('post-offices').getByRole('button', { name: /Bưu điện Trung tâm/ }).click();
    await page.getByTestId('enumerators').waitFor();
    expect(page.url()).toContain('postOffice=BD01-1');
    await page.getByTestId('enumerators').locator('button.drill').first().click();
    await page.locator('tr.cell').first().waitFor();
    expect(page.url()).toContain('enumerator=');
    await page.screenshot({ path: path.join(SHOTS, 'overview-enumerator-cells.png'), fullPage: true });
    await page.goBack();
    await page.getByTestId('enumerators').waitFor();
    await context.close();
  }, 180_000);

  test('when a supervisor returns a response with a comment, then the enumerator sees it after sync, corrects and resends, and the supervisor approves the correction', async () => {
    const start = new Date(Date.UTC(2024, 8, 3, 2, 0));
    const tooFast = makeResponse(loopRound, '01', makeAnswers(4), { sampleUnitId: 'RL-1', paradata: { startedAt: start.toISOString(), endedAt: new Date(start.getTime() + 100_000).toISOString() } });
    returnedId = String(tooFast.id);
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator.token}`).send({ responses: [tooFast] }).expect(200);
    await system.drain();

    const desk = await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true });
    const sup = await desk.newPage();
    await sup.goto(`/supervisor/?round=${loopRound}`);
    await sup.getByLabel('Tên đăng nhập').fill(supervisor.username);
    await sup.getByLabel('Mật khẩu').fill(supervisor.password);
    await sup.getByRole('button', { name: 'Đăng nhập' }).click();
    await sup.locator(`tr.queued[data-response="${returnedId}"]`).getByRole('button', { name: 'Xem phiếu' }).click();
    const screen = sup.locator('section.review-screen');
    await screen.getByText('Phỏng vấn kéo dài 1:40 phút, ngắn hơn mức tối thiểu 4:00 phút.').waitFor();
    const c01 = screen.locator('tr[data-item="c01_s"]');
    expect(await c01.locator('td').nth(0).textContent()).toContain('Mức độ hài lòng của Ông/Bà');
    expect(await c01.locator('td').nth(1).textContent()).toBe('Hài lòng');
    await screen.getByText('Bắt đầu phỏng vấn').waitFor();
    await sup.screenshot({ path: path.join(SHOTS, 'review-screen.png'), fullPage: true });
    expect(await axeViolations(sup)).toEqual([]);
    await c01.getByRole('textbox').fill('Hỏi lại người trả lời về chỗ ngồi chờ');
    await screen.getByLabel('Lý do').fill('Phỏng vấn quá nhanh, cần hỏi lại');
    await screen.getByRole('button', { name: 'Trả lại điều tra viên' }).click();
    await sup.getByText('Đã trả lại phiếu cho điều tra viên.').waitFor();
    await system.drain();
    expect((await system.http().get(`/api/v1/rounds/${loopRound}/aggregates?fields=group,n`).set('Authorization', `Bearer ${admin}`).expect(200)).body.responses).toBe(0);

    // The enumerator's phone: after the sync at start-up the returned response is on the list, marked, with the comment.
    const phone = await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN', bypassCSP: true });
    const app = await phone.newPage();
    await app.goto('/app/');
    await app.getByLabel('Tên đăng nhập').fill(enumerator.username);
    await app.getByLabel('Mật khẩu').fill(enumerator.password);
    await app.getByRole('button', { name: 'Đăng nhập' }).click();
    const returned = app.getByTestId('returned');
    await returned.getByText('Hỏi lại người trả lời về chỗ ngồi chờ').waitFor({ timeout: 15_000 });
    await app.locator('li.unit[data-unit="RL-1"]').getByText('Bị trả lại – cần sửa').waitFor();
    await app.screenshot({ path: path.join(SHOTS, 'enumerator-returned.png'), fullPage: true });
    expect(await axeViolations(app)).toEqual([]);
    await returned.getByRole('button', { name: 'Sửa và gửi lại' }).click();
    for (;;) {
      const comment = app.locator('.review-comment[data-item="c01_s"]');
      if (await comment.isVisible()) {
        expect(await comment.textContent()).toContain('Hỏi lại người trả lời về chỗ ngồi chờ');
        await app.locator('#item-c01_s input[value="5"]').check();
        await app.screenshot({ path: path.join(SHOTS, 'enumerator-correction-comment.png') });
      }
      const complete = app.getByRole('button', { name: 'Hoàn thành phiếu' });
      if (await complete.isVisible()) {
        await complete.click();
        // The review before completing asks for confirmation.
        await app.getByRole('button', { name: /Xác nhận hoàn thành phiếu|Vẫn hoàn thành phiếu/ }).click();
        break;
      }
      const progress = await app.locator('.progress').textContent();
      await app.getByRole('button', { name: 'Tiếp', exact: true }).click();
      await app.locator('.progress').filter({ hasNotText: progress ?? '' }).waitFor();
    }
    await app.getByText('Đã hoàn thành phiếu').waitFor();
    // Online, the app may have sent it already: then there is nothing left to send.
    const send = app.getByRole('button', { name: 'Gửi ngay' });
    await send.click({ timeout: 5_000 }).catch(() => undefined);
    await app.getByTestId('waiting').filter({ hasText: 'Chờ gửi: 0' }).waitFor();
    const correction = await collection(system, 'responses').findOne({ correctsResponseId: returnedId });
    expect(correction).toMatchObject({ sampleUnitId: 'RL-1', submittedBy: enumerator.username, answers: expect.objectContaining({ c01_s: 5 }) });
    await system.drain();
    await phone.close();

    // The correction was checked again (a quick interview in the test: flagged) and appears in the supervisor's queue,
    // and in the count of flags awaiting review, through the page's own delta poll: no reload.
    const correctionId = String(correction?._id);
    await system.drain();
    await screen.getByRole('button', { name: 'Đóng' }).click();
    const row = sup.locator(`tr.queued[data-response="${correctionId}"]`);
    await row.waitFor({ timeout: 20_000 });
    await sup.locator('.totals .tile').filter({ hasText: 'Chờ duyệt' }).locator('strong').filter({ hasText: /^1$/ }).waitFor({ timeout: 20_000 });
    await row.getByRole('button', { name: 'Xem phiếu' }).click();
    await screen.getByText(returnedId).waitFor();
    await screen.getByLabel('Lý do').fill('Đã hỏi lại, hợp lệ');
    await screen.getByRole('heading', { name: /Duyệt phiếu/ }).click();
    await sup.keyboard.press('a');
    await sup.getByText('Đã duyệt phiếu.').waitFor();
    await system.drain();
    const figures = (await system.http().get(`/api/v1/rounds/${loopRound}/aggregates?fields=group,n`).set('Authorization', `Bearer ${admin}`).expect(200)).body as { responses: number };
    expect(figures.responses).toBe(1);
    const log = await system.http().get(`/api/v1/rounds/${loopRound}/audit-log`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect((log.body.entries as Array<{ action: string; subject: string }>).map((e) => [e.action, e.subject])).toEqual([
      ['response.approved', `response/${correctionId}`],
      ['response.correction-received', `response/${returnedId}`],
      ['response.returned', `response/${returnedId}`],
    ]);
    await desk.close();
  }, 180_000);
});

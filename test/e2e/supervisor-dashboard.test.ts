import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { ADMIN, startTestSystem, type TestSystem } from '../support/system';

const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts');

describeWithBrowserAndMongo('the supervisor dashboard', () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let roundId: string;
  let supervisor: { username: string; password: string };
  let straightLined: Record<string, unknown>;

  beforeAll(async () => {
    system = await startTestSystem();
    admin = await system.login(ADMIN.username, ADMIN.password);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    await system
      .http()
      .post(`/api/v1/rounds/${roundId}/quotas`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ csv: 'province_code,serving_level,service_field,target\n01,2,1,10\n79,2,1,10\n' })
      .expect(200);
    supervisor = await system.createUser('supervisor', ['01']);
    straightLined = makeResponse(roundId, '01', makeAnswers(2, {}, { straightLine: true }));
    const responses = [
      makeResponse(roundId, '01', makeAnswers(4)),
      makeResponse(roundId, '01', makeAnswers(5)),
      straightLined,
      makeResponse(roundId, '79', makeAnswers(4)),
      makeResponse(roundId, '79', makeAnswers(4, {}, { straightLine: true })),
    ];
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses }).expect(200);
    await system.drain();
    browser = await launchBrowser();
    page = await (await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'vi-VN' })).newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const aggregates = async () =>
    (await system.http().get(`/api/v1/rounds/${roundId}/aggregates?fields=group,n`).set('Authorization', `Bearer ${admin}`).expect(200)).body as {
      responses: number;
      review: { awaitingReview: number; rejected: number };
    };
  const hanoiCell = () => page.locator('tr.cell[data-province="01"][data-level="2"][data-field="1"]');

  test('when a supervisor logs in, then they see only their provinces, in Vietnamese, and can switch to English', async () => {
    // The province's page (its cells) straight from the URL: filters live there.
    await page.goto('/supervisor/?province=01');
    await page.getByLabel('Tên đăng nhập').fill(supervisor.username);
    await page.getByLabel('Mật khẩu').fill(supervisor.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await hanoiCell().waitFor();
    expect(await page.locator('tr[data-province="79"]').count()).toBe(0);
    expect(await page.locator('tr.province-total').count()).toBe(1);
    expect(await hanoiCell().locator('td.accepted').textContent()).toBe('2');
    expect(await hanoiCell().locator('td.awaiting').textContent()).toBe('1');
    await page.getByRole('heading', { name: 'Phiếu chờ duyệt (1)' }).waitFor();
    expect(await page.locator('tr.queued').getAttribute('data-response')).toBe(String(straightLined.id));
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Review queue (1)' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'supervisor-dashboard-en.png'), fullPage: true });
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Phiếu chờ duyệt (1)' }).waitFor();
  });

  test('when the supervisor rejects a flagged response from the queue, then the grid and the aggregates change without a reload', async () => {
    expect((await aggregates()).review).toMatchObject({ awaitingReview: 2, rejected: 0 });
    const row = page.locator(`tr.queued[data-response="${String(straightLined.id)}"]`);
    await row.getByRole('button', { name: 'Xem phiếu' }).click();
    const screen = page.locator('section.review-screen');
    await screen.getByRole('button', { name: 'Loại' }).click();
    await screen.getByRole('status').filter({ hasText: 'Hãy ghi lý do' }).waitFor();
    await screen.getByLabel('Lý do').fill('Mọi câu trả lời giống nhau');
    await screen.getByRole('button', { name: 'Loại' }).click();
    await screen.getByRole('status').filter({ hasText: 'Đã loại phiếu.' }).waitFor();
    await screen.getByRole('button', { name: 'Đóng' }).click();
    await page.getByText('Không có phiếu nào chờ duyệt.').waitFor();
    await hanoiCell().locator('td.rejected', { hasText: '1' }).waitFor();
    expect(await hanoiCell().locator('td.awaiting').textContent()).toBe('0');
    await page.screenshot({ path: path.join(ARTIFACTS, 'supervisor-dashboard-after-reject.png'), fullPage: true });

    await system.drain();
    const after = await aggregates();
    expect(after.review).toMatchObject({ awaitingReview: 1, rejected: 1 });
    expect(after.responses).toBe(3);
    const audit = await system.http().get(`/api/v1/rounds/${roundId}/audit-log`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(audit.body.entries[0]).toMatchObject({ actor: supervisor.username, action: 'response.rejected', reason: 'Mọi câu trả lời giống nhau' });
  });

  test('when someone else decided while the page still shows a response as flagged, then approving it is refused, the page says so, and the other decision stands', async () => {
    const another = makeResponse(roundId, '01', makeAnswers(5, {}, { straightLine: true }));
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses: [another] }).expect(200);
    await system.drain();
    const row = page.locator(`tr.queued[data-response="${String(another.id)}"]`);
    await row.waitFor();
    // The page goes on showing the queue as it was: it is a page left open while an administrator decides.
    const token = await system.login(supervisor.username, supervisor.password);
    const stale = (await system.http().get(`/api/v1/rounds/${roundId}/review?status=flagged&limit=100`).set('Authorization', `Bearer ${token}`).expect(200)).body as unknown;
    const isQueue = (url: URL) => url.pathname.endsWith(`/rounds/${roundId}/review`);
    await page.route(isQueue, (route) => route.fulfill({ json: stale }));
    const decisions: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/review') && request.method() === 'POST') decisions.push(request.postData() ?? '');
    });

    await row.getByRole('button', { name: 'Xem phiếu' }).click();
    const screen = page.locator('section.review-screen');
    await screen.locator('[data-status="flagged"]').waitFor();
    await system
      .http()
      .post(`/api/v1/rounds/${roundId}/responses/${String(another.id)}/review`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ decision: 'rejected', reason: 'Trả lời một kiểu', expectedStatus: 'flagged' })
      .expect(200);
    await screen.getByLabel('Lý do').fill('Có vẻ ổn');
    await screen.getByRole('button', { name: 'Duyệt' }).click();
    await screen.getByRole('status').filter({ hasText: 'Phiếu vừa được người khác duyệt; hãy tải lại.' }).waitFor();
    expect(JSON.parse(decisions[0] ?? '{}')).toMatchObject({ decision: 'approved', expectedStatus: 'flagged' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'supervisor-dashboard-stale-decision.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'supervisor-dashboard-stale-decision-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.unroute(isQueue);
    await screen.getByRole('button', { name: 'Đóng' }).click();
    await row.waitFor({ state: 'detached' });
    const now = await system.http().get(`/api/v1/rounds/${roundId}/responses/${String(another.id)}`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(now.body).toMatchObject({ reviewStatus: 'rejected', review: { decision: 'rejected', by: 'admin' } });
  });
});

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { surveyFormsDir } from '../../survey-forms/paths';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { seriousAxeViolations } from '../support/axe';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { collection } from '../support/database';
import { ADMIN, startTestSystem, type TestSystem } from '../support/system';

const SHOTS = process.env.SIPAS_SHOTS_DIR ?? path.join(__dirname, '..', '..', 'artifacts');
const provinceCodes = (): string[] => loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces')).provinces(63).map((p) => p.code);
/** How long after approval a release comes out in these tests: long enough to see "chưa công bố", short enough to wait for. */
const EMBARGO_MS = 30_000;

interface Change {
  table: string;
  group: string;
  field: string;
  before: unknown;
  after: unknown;
  cause?: { kind: 'responses' | 'ranking' | 'provinces' | 'table'; added?: number; removed?: number; provinces?: string[] };
}

/** Waits until the round's first release row says what is expected of it. */
const statusOf = (page: Page, releaseId: string) => page.textContent(`[data-release="${releaseId}"] [data-field="status"]`);

async function logIn(context: BrowserContext, user: { username: string; password: string }): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/analyst/');
  await page.fill('input[name="username"]', user.username);
  await page.fill('input[name="password"]', user.password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="releases"] [data-testid="prepare-release"]');
  return page;
}

/** Fills the release's embargo field with a local time `ms` from now (the field is local time, to the second) and approves. */
async function approveIn(page: Page, releaseId: string, ms: number): Promise<number> {
  const at = Date.now() + ms;
  const local = await page.evaluate((time) => {
    const d = new Date(time);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, at);
  await page.fill(`[data-testid="embargo-${releaseId}"]`, local);
  await page.click(`[data-testid="approve-${releaseId}"]`);
  await page.waitForFunction((id) => document.querySelector(`[data-release="${id}"] [data-field="status"]`)?.textContent?.includes('đã phê duyệt'), releaseId);
  return Math.floor(at / 1000) * 1000;
}

describeWithBrowserAndMongo('the analyst dashboard\'s releases panel', () => {
  let system: TestSystem;
  let browser: Browser;
  let analystPage: Page;
  let adminPage: Page;
  let publicContext: BrowserContext;
  let analyst: { username: string; password: string; token: string };
  let roundId: string;
  let first: string;
  let correction: string;

  beforeAll(async () => {
    system = await startTestSystem();
    const admin = await system.login(ADMIN.username, ADMIN.password);
    analyst = await system.createUser('analyst');
    const approver = await system.createUser('admin');
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const responses = provinceCodes().flatMap((code, i) => [makeResponse(roundId, code, makeAnswers(2 + (i % 4))), makeResponse(roundId, code, makeAnswers(4))]);
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses }).expect(200);
    await system.drain(60_000);
    browser = await launchBrowser();
    const options = { baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', bypassCSP: true };
    analystPage = await logIn(await browser.newContext(options), analyst);
    adminPage = await logIn(await browser.newContext(options), approver);
    publicContext = await browser.newContext(options);
    mkdirSync(SHOTS, { recursive: true });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  test('when an analyst prepares a release in the panel, then it waits, "chưa công bố", for another administrator, and the analyst cannot approve it', async () => {
    await analystPage.click('[data-testid="prepare-release"]');
    await analystPage.waitForSelector('[data-testid="release-table"] tbody tr[data-release]');
    first = (await analystPage.getAttribute('[data-testid="release-table"] tbody tr[data-release]', 'data-release')) as string;
    expect(first).toMatch(/^\d{4}\.1$/);
    expect(await statusOf(analystPage, first)).toContain('chờ phê duyệt · chưa công bố');
    expect(await analystPage.textContent(`[data-release="${first}"] [data-field="approval"]`)).toBe('chờ một quản trị viên khác phê duyệt');
    expect(await analystPage.$(`[data-testid="approve-${first}"]`)).toBeNull();
    expect(await seriousAxeViolations(analystPage)).toEqual([]);
    await analystPage.locator('[data-testid="releases"]').screenshot({ path: path.join(SHOTS, 'release-panel-prepared.png') });
  });

  test('when another administrator approves it with an embargo time, then it says "chưa công bố" and the public site knows nothing of it until the embargo, then shows it', async () => {
    await adminPage.reload();
    await adminPage.waitForSelector(`[data-testid="embargo-${first}"]`);
    const embargo = await approveIn(adminPage, first, EMBARGO_MS);
    expect(await statusOf(adminPage, first)).toContain('đã phê duyệt · chưa công bố');
    // Before the embargo: nothing public, the same "no release" as if there were none.
    await system.http().get('/api/v1/public/releases/latest').expect(404);
    await system.http().get(`/api/v1/public/releases/${first}`).expect(404);
    const early = await publicContext.newPage();
    await early.goto('/ket-qua/');
    await early.waitForSelector('[role="alert"]');
    expect(await early.textContent('[role="alert"]')).toBe('Chưa có bản công bố nào.');

    const approved = (await system.http().get(`/api/v1/releases/${first}`).set('Authorization', `Bearer ${analyst.token}`).expect(200)).body as { embargoUntil: string; approvedBy: string };
    expect(new Date(approved.embargoUntil).getTime()).toBe(embargo);
    expect(await seriousAxeViolations(adminPage)).toEqual([]);
    await adminPage.locator('[data-testid="releases"]').screenshot({ path: path.join(SHOTS, 'release-panel-approved.png') });

    // After it: public, on the site and in the panel.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, embargo - Date.now() + 500)));
    await early.goto('/ket-qua/');
    await early.waitForSelector('[data-testid="release-line"]');
    expect(await early.textContent('[data-testid="release-line"]')).toContain(first);
    await adminPage.reload();
    await adminPage.waitForSelector(`[data-release="${first}"] a[href="/ket-qua/${first}/"]`);
    expect(await statusOf(adminPage, first)).toContain('đã phê duyệt · đã công bố');
  }, 120_000);

  test('when the reproducibility check is run, then it says byte-identical; after a stored figure is tampered with, it lists the difference', async () => {
    await analystPage.reload();
    await analystPage.click(`[data-testid="check-${first}"]`);
    await analystPage.waitForSelector(`[data-testid="check-result-${first}"]`, { timeout: 30_000 });
    expect(await analystPage.textContent(`[data-testid="check-result-${first}"]`)).toBe('Giống hệt từng byte');

    const tables = collection(system, 'release_tables');
    const id = `${first}|63|overall`;
    const doc = (await tables.findOne({ _id: id })) as unknown as { tables: Array<{ estimate: string; grouping: string; rows: Array<{ group: string; value: number | null }> }> };
    const row = doc.tables.find((t) => t.estimate === 'index' && t.grouping === 'province')?.rows.find((r) => r.group === '79') as { value: number | null };
    const original = row.value;
    row.value = 12.34;
    await tables.updateOne({ _id: id }, { $set: { tables: doc.tables } });
    await analystPage.click(`[data-testid="check-${first}"]`);
    await analystPage.waitForSelector(`[data-testid="differences-${first}"] tbody tr`, { timeout: 30_000 });
    expect(await analystPage.textContent(`[data-testid="check-result-${first}"]`)).toBe('1 số liệu khác');
    const shown = await analystPage.$$eval(`[data-testid="differences-${first}"] tbody tr`, (trs) =>
      trs.map((tr) => [tr.getAttribute('data-table'), tr.getAttribute('data-group'), tr.querySelector('[data-field="before"]')?.textContent, tr.querySelector('[data-field="after"]')?.textContent]),
    );
    expect(shown).toEqual([['63/overall/index/province', '79', '12,34', (original as number).toLocaleString('vi-VN', { maximumFractionDigits: 4, useGrouping: false })]]);
    expect(await seriousAxeViolations(analystPage)).toEqual([]);
    await analystPage.locator('[data-testid="releases"]').screenshot({ path: path.join(SHOTS, 'release-panel-check.png') });
    row.value = original;
    await tables.updateOne({ _id: id }, { $set: { tables: doc.tables } });
  }, 90_000);

  test('when late responses come in and the analyst prepares a correction with its reason, then the change log lists every moved figure old → new and why', async () => {
    const late = [makeResponse(roundId, '01', makeAnswers(1)), makeResponse(roundId, '01', makeAnswers(1)), makeResponse(roundId, '01', makeAnswers(1))];
    const admin = await system.login(ADMIN.username, ADMIN.password);
    await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses: late }).expect(200);
    await system.drain(60_000);

    await analystPage.reload();
    await analystPage.waitForSelector('[data-testid="correction-form"]');
    // A correction says why.
    await analystPage.click('[data-testid="prepare-correction"]');
    expect(await analystPage.textContent('[data-testid="releases"] [role="alert"]')).toBe('Hãy nêu lý do đính chính.');
    await analystPage.selectOption('[data-testid="correction-of"]', first);
    await analystPage.fill('[data-testid="correction-reason"]', 'Ba phiếu của Hà Nội đến muộn');
    await analystPage.click('[data-testid="prepare-correction"]');
    await analystPage.waitForSelector('[data-testid="change-table"] tbody tr', { timeout: 60_000 });
    correction = (await analystPage.getAttribute('[data-testid="release-table"] tbody tr[data-release]', 'data-release')) as string;
    expect(correction).not.toBe(first);
    expect(await statusOf(analystPage, correction)).toContain('chưa công bố');
    expect(await analystPage.textContent('[data-testid="change-reason"]')).toBe(`Bản ${correction} đính chính bản ${first}. Lý do: Ba phiếu của Hà Nội đến muộn`);

    const log = (await system.http().get(`/api/v1/releases/${correction}/changes?limit=5000`).set('Authorization', `Bearer ${analyst.token}`).expect(200)).body as { total: number; changes: Change[] };
    expect(log.total).toBeGreaterThan(0);
    const shown = await analystPage.$$eval('[data-testid="change-table"] tbody tr', (trs) =>
      trs.map((tr) => `${tr.getAttribute('data-table')}|${tr.getAttribute('data-group')}|${tr.getAttribute('data-field-name')}`),
    );
    expect(shown).toEqual(log.changes.slice(0, 200).map((c) => `${c.table}|${c.group}|${c.field}`));
    expect(await analystPage.textContent('[data-testid="change-table-count"]')).toContain(`${Math.min(200, log.total)}/${log.total}`);
    // Hà Nội's own value moved because its responses did; every shown figure says old, new and why.
    expect(log.changes).toContainEqual({ table: '63/overall/index/province', group: '01', field: 'value', before: expect.any(Number), after: expect.any(Number), cause: { kind: 'responses', added: 3, removed: 0 } });
    const why = (cause: Change['cause']): string =>
      cause?.kind === 'responses'
        ? `phiếu của dòng này thay đổi: thêm ${cause.added}, bớt ${cause.removed}`
        : cause?.kind === 'ranking'
          ? 'phiếu không đổi; các tỉnh khác thay đổi (thứ hạng, so sánh)'
          : cause?.kind === 'provinces'
            ? `phiếu của ${(cause.provinces ?? []).join(', ')} thay đổi`
            : 'bảng chỉ có ở một trong hai bản';
    const causes = await analystPage.$$eval('[data-testid="change-table"] tbody tr [data-field="cause"]', (tds) => tds.map((td) => td.textContent));
    expect(causes).toEqual(log.changes.slice(0, 200).map((c) => why(c.cause)));
    expect(await seriousAxeViolations(analystPage)).toEqual([]);
    await analystPage.locator('[data-testid="releases"]').screenshot({ path: path.join(SHOTS, 'release-panel-correction.png') });
  }, 120_000);

  test('when the correction is approved and its embargo passes, then the public site shows the versions and, on the correction\'s page, its change log', async () => {
    await adminPage.reload();
    await adminPage.waitForSelector(`[data-testid="embargo-${correction}"]`);
    const embargo = await approveIn(adminPage, correction, EMBARGO_MS);
    await system.http().get(`/api/v1/public/releases/${correction}/changes`).expect(404);
    const page = await publicContext.newPage();
    expect((await page.goto(`/ket-qua/${correction}/`))?.status()).toBe(404);
    // Meanwhile the public site shows the release it corrects, and no version beyond it.
    await page.goto('/ket-qua/');
    await page.waitForSelector('[data-testid="release-line"]');
    expect(await page.textContent('[data-testid="release-line"]')).toContain(first);
    expect(await page.$$eval('ul.versions li', (lis) => lis.map((li) => li.textContent))).toEqual([first]);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, embargo - Date.now() + 500)));
    await page.goto('/ket-qua/');
    await page.waitForSelector('[data-testid="change-table"] tbody tr');
    expect(await page.textContent('[data-testid="release-line"]')).toContain(correction);
    expect(await page.textContent('[data-testid="change-reason"]')).toBe(`Bản ${correction} đính chính bản ${first}. Lý do: Ba phiếu của Hà Nội đến muộn`);
    const log = (await system.http().get(`/api/v1/public/releases/${correction}/changes?limit=5000`).expect(200)).body as { total: number; changes: Change[] };
    expect(await page.$$eval('[data-testid="change-table"] tbody tr', (trs) => trs.length)).toBe(Math.min(200, log.total));
    // Rows are named as the public reads them: the province, not its code.
    const names = (await system.http().get(`/api/v1/public/releases/${correction}/tables?by=province`).expect(200)).body as { rows: Array<{ group: string; label: string }> };
    const named = log.changes.slice(0, 200).find((c) => /^[0-9]{2}$/.test(c.group)) as Change;
    const cell = page.locator(`[data-testid="change-table"] tbody tr[data-table="${named.table}"][data-group="${named.group}"][data-field-name="${named.field}"] td`).nth(1);
    expect(await cell.textContent()).toBe(names.rows.find((r) => r.group === named.group)?.label);
    expect(await page.$$eval('ul.versions li', (lis) => lis.map((li) => li.textContent))).toEqual([`${first} → ${correction}`]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'results-correction.png'), fullPage: false });
    await page.locator('[data-testid="change-log"]').screenshot({ path: path.join(SHOTS, 'results-change-log.png') });

    // The corrected release's permalink still works and points on to its correction; it has no change log of its own.
    await page.goto(`/ket-qua/${first}/`);
    await page.waitForSelector(`header a[href="/ket-qua/${correction}/"]`);
    expect(await page.$('[data-testid="change-log"]')).toBeNull();
    await page.locator('footer').screenshot({ path: path.join(SHOTS, 'results-versions.png') });
  }, 120_000);
});

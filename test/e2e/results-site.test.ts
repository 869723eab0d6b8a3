import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { surveyFormsDir } from '../../survey-forms/paths';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { pdfText } from '../support/pdf-text';
import { ADMIN, startTestSystem, type TestSystem } from '../support/system';

const SHOTS = process.env.SIPAS_SHOTS_DIR ?? path.join(__dirname, '..', '..', 'artifacts');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const provinceCodes = (): string[] => loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces')).provinces(63).map((p) => p.code);
const shown = (value: number | null): string => (value === null ? '–' : value.toFixed(2).replace('.', ','));

interface Row {
  group: string;
  value: number | null;
  rank: number | null;
  changePoints: number | null;
}

/** Serious or critical axe-core violations on the page, by rule. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: unknown[] }> }> } }).axe;
    const result = await axe.run(document);
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
  });
}

describeWithBrowserAndMongo('the public results site', () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;
  let releaseId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    const admin = await system.login(ADMIN.username, ADMIN.password);
    const otherAdmin = await system.userToken('admin');
    const analyst = await system.userToken('analyst');
    // Two rounds, every province answering: 2023, then 2024 compared with it.
    const previous = makeRound({ year: 2023, fieldworkStart: '2023-08-01', fieldworkEnd: '2023-12-15' });
    const round = makeRound({ previousRoundId: previous.id });
    const codes = provinceCodes();
    for (const [r, shift] of [[previous, 0], [round, 1]] as const) {
      await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(r).expect(201);
      const responses = codes.flatMap((code, i) => [makeResponse(String(r.id), code, makeAnswers(2 + ((i + shift) % 4))), makeResponse(String(r.id), code, makeAnswers(4))]);
      await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses }).expect(200);
    }
    await system.drain(60_000);
    for (const roundId of [String(previous.id), String(round.id)]) {
      const prepared = await system.http().post(`/api/v1/rounds/${roundId}/releases`).set('Authorization', `Bearer ${analyst}`).send({}).expect(201);
      releaseId = String(prepared.body.releaseId);
      await system.http().post(`/api/v1/releases/${releaseId}/approve`).set('Authorization', `Bearer ${otherAdmin}`).send({ embargoUntil: '2025-04-06T02:00:00Z' }).expect(200);
    }
    expect(admin).toBeTruthy();
    browser = await launchBrowser();
    page = await (await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true })).newPage();
    mkdirSync(SHOTS, { recursive: true });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  test('when someone opens /ket-qua/ without logging in, then the ranking, chart and national mean match the release, and the page passes axe', async () => {
    await page.goto('/ket-qua/');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ranking-table"] tbody tr').length === 63);
    const table = (await system.http().get(`/api/v1/public/releases/${releaseId}/tables?by=province`).expect(200)).body as { rows: Row[] };
    const national = ((await system.http().get(`/api/v1/public/releases/${releaseId}/tables?by=national`).expect(200)).body as { rows: Row[] }).rows[0] as Row;
    expect(await page.textContent('[data-testid="release-line"]')).toContain(releaseId);
    expect(await page.textContent('[data-testid="national-value"]')).toBe(`${shown(national.value)}%`);
    expect(Number(await page.getAttribute('[data-testid="national-line"]', 'data-value'))).toBe(national.value);
    const onScreen = await page.$$eval('[data-testid="ranking-table"] tbody tr', (trs) =>
      trs.map((tr) => ({ group: tr.getAttribute('data-group'), value: tr.querySelector('[data-field="value"]')?.textContent, rank: tr.querySelector('[data-field="rank"]')?.textContent })),
    );
    for (const row of table.rows) expect(onScreen).toContainEqual({ group: row.group, value: shown(row.value), rank: row.rank === null ? '–' : String(row.rank) });
    // Changes against last year's release are shown.
    expect(table.rows.some((r) => r.changePoints !== null)).toBe(true);
    const bars = await page.$$eval('[data-testid="ranking-chart"] g.bar', (gs) => gs.length);
    expect(bars).toBe(table.rows.filter((r) => r.value !== null).length);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'results-ranking.png'), fullPage: false });
  });

  test('when a unit-type filter is chosen, then only those provinces are listed, and each download\'s SHA-256 is shown beside it', async () => {
    await page.selectOption('[data-testid="filter-unit-type"]', 'special-class-city');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ranking-table"] tbody tr').length === 2);
    expect(await page.$$eval('[data-testid="ranking-table"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-group')).sort())).toEqual(['01', '79']);
    const downloads = (await system.http().get(`/api/v1/public/releases/${releaseId}/downloads?by=province&unitType=special-class-city`).expect(200)).body as { files: Array<{ format: string; sha256: string }> };
    await page.waitForSelector('[data-sha="csv"]');
    for (const file of downloads.files) expect(await page.textContent(`[data-sha="${file.format}"]`)).toBe(file.sha256);
    await page.selectOption('[data-testid="filter-unit-type"]', '');
  });

  test('when a province page is opened from its permalink, then it shows the release\'s figures, and its report card carries the name with diacritics and the value', async () => {
    await page.goto(`/ket-qua/${releaseId}/tinh/01`);
    await page.waitForSelector('[data-testid="parts-table"] tbody tr');
    const view = (await system.http().get(`/api/v1/public/releases/${releaseId}/provinces/01`).expect(200)).body as {
      province: { name: string };
      overall: { value: number | null; rank: number | null };
      parts: Array<{ indicator: string; value: number | null; national: number | null }>;
      trend: unknown[];
    };
    expect(await page.textContent('[data-testid="province-name"]')).toBe('Thành phố Hà Nội');
    expect(await page.textContent('[data-testid="province-value"]')).toBe(`${shown(view.overall.value)}%`);
    const parts = await page.$$eval('[data-testid="parts-table"] tbody tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-indicator'), tr.querySelector('[data-field="value"]')?.textContent, tr.querySelector('[data-field="national"]')?.textContent]),
    );
    expect(parts).toEqual(view.parts.map((p) => [p.indicator, shown(p.value), shown(p.national)]));
    expect(await page.$$eval('[data-testid="trend-table"] tbody tr', (trs) => trs.length)).toBe(2);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'results-province.png'), fullPage: true });

    const href = (await page.getAttribute('[data-testid="report-card"]', 'href')) as string;
    const pdf = await page.request.get(href);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const text = await pdfText(await pdf.body());
    expect(text).toContain('Thành phố Hà Nội');
    expect(text).toContain(`${shown(view.overall.value)}%`);
  });

  test('when the phone-sized page is in English, then it still reads the same numbers', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`/ket-qua/${releaseId}/`);
    await page.click('header button');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ranking-table"] tbody tr').length === 63);
    expect(await page.textContent('h1')).toBe('SIPAS 2024 results');
    await page.screenshot({ path: path.join(SHOTS, 'results-phone-en.png'), fullPage: false });
  });
});

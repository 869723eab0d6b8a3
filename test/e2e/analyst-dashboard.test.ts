import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { seedDemoRound } from '../../scripts/demo-seed';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { ADMIN, startTestSystem, type TestSystem } from '../support/system';

const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts');

interface ApiRow {
  group: string;
  value: number | null;
  rank: number | null;
}

/** What the page shows for a figure: two decimals, Vietnamese decimal comma. */
const shown = (value: number | null): string => (value === null ? '–' : value.toFixed(2).replace('.', ','));

describeWithBrowserAndMongo('the analyst dashboard', () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;
  let analyst: { username: string; password: string; token: string };
  let roundId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    const seeded = await seedDemoRound({ baseUrl: system.baseUrl, username: ADMIN.username, password: ADMIN.password, edition: 63, responses: 400 });
    roundId = seeded.roundId;
    analyst = await system.createUser('analyst');
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'vi-VN' });
    page = await context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const apiRows = async (query: string): Promise<{ rows: ApiRow[] }> =>
    (await system.http().get(`/api/v1/rounds/${roundId}/aggregates?${query}`).set('Authorization', `Bearer ${analyst.token}`).expect(200)).body as { rows: ApiRow[] };

  test('when an analyst logs in, then the table and the ranking chart show the API\'s numbers', async () => {
    await page.goto('/analyst/');
    await page.fill('input[name="username"]', analyst.username);
    await page.fill('input[name="password"]', analyst.password);
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="province-table"] tbody tr').length === 63);

    const { rows } = await apiRows('by=province');
    const onScreen = await page.$$eval('[data-testid="province-table"] tbody tr', (trs) =>
      trs.map((tr) => ({ group: tr.getAttribute('data-group'), value: tr.querySelector('[data-field="value"]')?.textContent?.trim() })),
    );
    expect(onScreen).toHaveLength(63);
    for (const row of rows) expect(onScreen).toContainEqual({ group: row.group, value: shown(row.value) });
    // Rows read in rank order.
    const ranked = [...rows].filter((r) => r.rank !== null).sort((a, b) => (a.rank as number) - (b.rank as number) || a.group.localeCompare(b.group));
    expect(onScreen.slice(0, ranked.length).map((r) => r.group)).toEqual(ranked.map((r) => r.group));

    const bars = await page.$$eval('[data-testid="ranking-chart"] g.bar', (gs) => gs.map((g) => ({ group: g.getAttribute('data-group'), value: Number(g.getAttribute('data-value')) })));
    expect(bars).toEqual(ranked.map((r) => ({ group: r.group, value: r.value })));
    const national = (await apiRows('by=national')).rows[0]!.value;
    expect(Number(await page.getAttribute('[data-testid="ranking-chart-reference"]', 'data-value'))).toBe(national);

    // Every chart has a table view.
    await page.click('[data-testid="groups-region"] .card-head button');
    const regions = await apiRows('by=region');
    const regionCells = await page.$$eval('[data-testid="table-region"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-group'), tr.querySelectorAll('td')[2]?.textContent]));
    expect(regionCells).toEqual(regions.rows.map((r) => [r.group, shown(r.value)]));
    await page.waitForSelector('[data-testid="elements-chart"] g[data-group]');
    await page.waitForSelector('[data-testid="distribution-chart"]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'analyst-dashboard.png'), fullPage: true });
  });

  test('when the table is downloaded as CSV and XLSX, then the files parse and hold the numbers on screen', async () => {
    const { rows } = await apiRows('by=province');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="downloads-province"] button[data-format="csv"]')]);
    expect(csv.suggestedFilename()).toBe(`${roundId}-overall-index-province-63.csv`);
    const text = readFileSync((await csv.path()), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = parse<Record<string, string>>(text, { bom: true, columns: true });
    expect(parsed.map((r) => [r.group, r.value])).toEqual(rows.map((r) => [r.group, r.value === null ? '' : r.value.toFixed(2)]));
    expect(parsed.find((r) => r.group === '01')?.label).toBe('Hà Nội');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="downloads-province"] button[data-format="xlsx"]')]);
    expect(xlsx.suggestedFilename()).toBe(`${roundId}-overall-index-province-63.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsx.path()));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Bảng chỉ số', 'Từ điển dữ liệu', 'Thông tin']);
  });

  test('when microdata is exported, then its progress shows and the file downloads when ready', async () => {
    await page.click('[data-testid="microdata-export"] button >> nth=0');
    await page.waitForSelector('[data-testid="export-ready"]', { timeout: 20_000 });
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-ready"] button')]);
    expect(file.suggestedFilename()).toMatch(new RegExp(`^${roundId}-microdata-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const rows = parse<Record<string, string>>(readFileSync((await file.path()), 'utf8'), { bom: true, columns: true });
    expect(rows).toHaveLength(400);
  });

  test('when the language is switched, then the page reads in English', async () => {
    await page.click('[data-testid="language"]');
    await page.waitForSelector('text=Province ranking');
    expect(await page.textContent('h1')).toBe('SIPAS – Index analysis');
  });
});

import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { seriousAxeViolations } from '../support/axe';
import { describeWithBrowser, launchBrowser } from '../support/browser';
import { formValidatorsPlugin } from '../../scripts/form-validators';
import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { surveyFormsDir } from '../../survey-forms/paths';

/** The phone the issue measured on: 390 × 844 CSS pixels. */
const PHONE = { width: 390, height: 844 };
const SHOTS = process.env.SIPAS_SHOTS_DIR ?? path.join(__dirname, '..', '..', 'artifacts');
const ROOT = path.join(__dirname, '..', '..');
const formFile = (version: string): unknown => JSON.parse(readFileSync(path.join(ROOT, 'survey-forms', 'sipas-2017', `${version}.json`), 'utf8'));

interface Walk {
  /** Sum over the sections of the page's height with everything asked and answered. */
  height: number;
  /** Height of each section's screen. */
  perSection: number[];
  /** Taps to answer every question (feedback given, so every criterion is asked) and complete. */
  taps: number;
  sections: number;
  /** Widest page seen, to compare with the viewport (horizontal scrolling). */
  widest: number;
  /** Tappable things smaller than 44 × 44 CSS pixels. */
  smallTargets: string[];
  completed: Record<string, unknown>;
}

describeWithBrowser('the 2017-method questionnaire on a 390 × 844 phone: compact layout against one card per item', () => {
  let browser: Browser;
  let bundle: string;
  let css: string;

  beforeAll(async () => {
    const result = await build({
      entryPoints: [path.join(__dirname, 'harness', 'form-harness.tsx')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      write: false,
      logLevel: 'silent',
      // The questionnaires' validators built with the bundle, as the app's are.
      plugins: [formValidatorsPlugin(() => loadFormCatalogue(surveyFormsDir()).list().map((f) => f.definition))],
    });
    bundle = result.outputFiles[0]?.text ?? '';
    css = readFileSync(path.join(ROOT, 'web', 'app.css'), 'utf8');
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => browser?.close());

  async function open(definition: unknown): Promise<Page> {
    const page = await browser.newPage({ viewport: PHONE, deviceScaleFactor: 1, hasTouch: true, isMobile: true });
    await page.route('http://harness.test/**', (route) => {
      if (route.request().url().endsWith('/harness.js')) return route.fulfill({ contentType: 'text/javascript', body: bundle });
      return route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Phiếu</title><style>${css}</style><main id="app"></main>
          <script>window.definition = ${JSON.stringify(definition)}; window.lang = 'vi';</script>
          <script src="/harness.js"></script>`,
      });
    });
    await page.goto('http://harness.test/');
    return page;
  }

  /** Answers every open question of the section with taps: a scale "4", "gave feedback" yes, else the first option; text typed once. */
  async function answerSection(page: Page): Promise<number> {
    let taps = 0;
    for (;;) {
      // Answering "gave feedback" brings new questions: look again until nothing is left open.
      const next = await page.evaluate(() => {
        for (const group of Array.from(document.querySelectorAll('fieldset'))) {
          const inputs = Array.from(group.querySelectorAll<HTMLInputElement>('input[type=radio], input[type=checkbox]'));
          if (inputs.length === 0 || inputs.some((i) => i.checked)) continue;
          const pick = group.id === 'item-gave_feedback' ? inputs.find((i) => i.value === '1') : (inputs.find((i) => i.value === '4') ?? inputs[0]);
          return pick ? `#${group.id} input[value="${pick.value}"]` : null;
        }
        const text = Array.from(document.querySelectorAll<HTMLTextAreaElement>('textarea')).find((t) => t.value === '' && !t.closest('.item')?.querySelector('.optional'));
        return text ? `#${text.id}` : null;
      });
      if (!next) return taps;
      const target = page.locator(next);
      if (next.startsWith('#input-')) await target.fill('Đăng ký khai sinh');
      else await target.locator('xpath=ancestor::label[1]').click();
      taps += 1;
    }
  }

  async function walk(page: Page, shotName: string): Promise<Walk> {
    const walked: Walk = { height: 0, perSection: [], taps: 0, sections: 0, widest: 0, smallTargets: [], completed: {} };
    for (;;) {
      walked.taps += await answerSection(page);
      walked.sections += 1;
      const measured = await page.evaluate(() => {
        const small: string[] = [];
        for (const el of Array.from(document.querySelectorAll<HTMLElement>('label.choice, label.grid-choice, button, summary, input[type=text], textarea'))) {
          const box = el.getBoundingClientRect();
          if (box.width > 0 && (box.height < 44 || box.width < 44)) small.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
        }
        // The questionnaire's own height: from the top of the page to the end of the form (a short screen is not a full screen).
        const form = document.querySelector('.form');
        const height = form ? Math.ceil(form.getBoundingClientRect().bottom + window.scrollY) : document.documentElement.scrollHeight;
        return { height, width: document.documentElement.scrollWidth, small };
      });
      walked.height += measured.height;
      walked.perSection.push(measured.height);
      walked.widest = Math.max(walked.widest, measured.width);
      walked.smallTargets.push(...measured.small);
      await page.screenshot({ path: path.join(SHOTS, `${shotName}-${walked.sections}.png`), fullPage: true });
      const complete = page.getByRole('button', { name: 'Hoàn thành phiếu', exact: true });
      if (await complete.isVisible()) {
        await complete.click();
        walked.taps += 1;
        await page.screenshot({ path: path.join(SHOTS, `${shotName}-review.png`), fullPage: true });
        await page.getByRole('button', { name: /Xác nhận hoàn thành phiếu|Vẫn hoàn thành phiếu/ }).click();
        walked.taps += 1;
        await page.waitForSelector('body[data-completed="yes"]');
        walked.completed = await page.evaluate(() => (window as unknown as { completed: Record<string, unknown> }).completed);
        return walked;
      }
      const progress = await page.locator('.progress').textContent();
      await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
      walked.taps += 1;
      await page.locator('.progress').filter({ hasNotText: progress ?? '' }).waitFor();
    }
  }

  test('when the compact layout is used, then the whole questionnaire is at most a third as tall, with 44-pixel targets, no horizontal scrolling and the same answers', async () => {
    const today = await walk(await open(formFile('1')), 'sipas-2017-v1-cards-390x844');
    const compact = await walk(await open(formFile('1.1')), 'sipas-2017-v1.1-compact-390x844');
    const ratio = compact.height / today.height;
    process.stdout.write(
      `\n[compact form, sipas-2017 at 390×844] one card per item (v1): ${today.height} px over ${today.sections} screens, ${today.taps} taps; ` +
        `compact grid (v1.1): ${compact.height} px, ${compact.taps} taps; height ratio ${ratio.toFixed(3)}; widest page ${compact.widest} px; ` +
        `per screen ${today.perSection.join('/')} against ${compact.perSection.join('/')}\n`,
    );
    expect(compact.completed).toEqual(today.completed);
    expect(ratio).toBeLessThanOrEqual(1 / 3);
    expect(compact.widest).toBeLessThanOrEqual(PHONE.width);
    expect(compact.smallTargets).toEqual([]);
    expect(compact.taps).toBeLessThanOrEqual(today.taps);
  }, 240_000);

  test('when a grid row is answered, then perception and satisfaction stay two answers of one statement, and axe finds nothing serious', async () => {
    const page = await open(formFile('1.1'));
    // The overview jumps to any section, answered or not.
    await page.locator('details.overview summary').click();
    await page.getByRole('button', { name: /^2\. / }).click();
    await page.locator('#item-c01_p').waitFor();
    // Both answers of criterion 1 sit under its one statement.
    expect(await page.locator('.grid-row').first().locator('fieldset').evaluateAll((sets) => sets.map((s) => s.id))).toEqual(['item-c01_p', 'item-c01_s']);
    await page.locator('#item-c01_p label', { hasText: '5' }).click();
    await page.locator('#item-c01_s').getByText('Không áp dụng').click();
    expect(await page.locator('#item-c01_p input[value="5"]').isChecked()).toBe(true);
    expect(await page.locator('#item-c01_s input[value="9"]').isChecked()).toBe(true);
    // Tapping "Next" with the rest open: the problems show in the rows.
    await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
    expect(await page.locator('#problem-c02_p').textContent()).toBe('Câu này bắt buộc phải trả lời.');
    await page.locator('details.overview summary').click();
    await page.screenshot({ path: path.join(SHOTS, 'sipas-2017-v1.1-overview-390x844.png') });
    expect(await page.locator('.section-link.state-errors').count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });
});

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { formValidatorsPlugin } from '../../scripts/form-validators';
import { compileForm } from '../../survey-forms/form';
import { describeWithBrowser, launchBrowser } from '../support/browser';


const text = (vi: string, en: string) => ({ vi, en });
const options = (...labels: Array<[number, string, string]>) => labels.map(([code, vi, en]) => ({ code, label: text(vi, en) }));

/** A questionnaire with every item type, a scale with "not applicable", skip rules on an item and a section, and constraints. */
const ALL_TYPES = {
  formId: 'all-types',
  version: '1',
  status: 'draft',
  title: text('Phiếu thử mọi loại câu hỏi', 'Every item type'),
  method: { decision: 'test', description: text('Phiếu thử', 'Test form') },
  scales: {
    sat: {
      kind: 'satisfaction',
      positiveCodes: [4, 5],
      options: options([1, 'Rất không hài lòng', 'Very dissatisfied'], [2, 'Không hài lòng', 'Dissatisfied'], [3, 'Bình thường', 'Neutral'], [4, 'Hài lòng', 'Satisfied'], [5, 'Rất hài lòng', 'Very satisfied']),
      notApplicable: { code: 9, label: text('Không áp dụng', 'Not applicable') },
    },
  },
  codeLists: { yesNo: options([1, 'Có', 'Yes'], [2, 'Không', 'No']) },
  dimensions: { respondentType: 'resp', servingLevel: 'level', serviceField: 'field' },
  quality: { minDurationSeconds: 0 },
  sections: [
    {
      id: 'A',
      title: text('Phân loại', 'Classification'),
      items: [
        { id: 'resp', type: 'single', label: text('Đối tượng', 'Respondent'), options: options([1, 'Người dân', 'Citizen'], [2, 'Tổ chức', 'Organisation']) },
        { id: 'level', type: 'single', label: text('Cấp', 'Level'), options: options([1, 'Tỉnh', 'Province'], [2, 'Xã', 'Commune']) },
        { id: 'field', type: 'single', label: text('Lĩnh vực', 'Field'), options: options([1, 'Đất đai', 'Land'], [2, 'Tư pháp', 'Justice']) },
      ],
    },
    {
      id: 'B',
      title: text('Gia đình', 'Family'),
      items: [
        { id: 'has_children', type: 'single', codeList: 'yesNo', label: text('Có con không?', 'Any children?') },
        { id: 'children', type: 'integer', minimum: 1, maximum: 12, label: text('Số con', 'Number of children'), relevant: { item: 'has_children', equals: 1 } },
        { id: 'age', type: 'integer', minimum: 18, maximum: 120, label: text('Tuổi', 'Age') },
        { id: 'sat1', type: 'scale', scale: 'sat', label: text('Hài lòng với thủ tục', 'Satisfied with the procedure') },
        {
          id: 'channels',
          type: 'multiple',
          minSelected: 1,
          maxSelected: 2,
          label: text('Kênh thông tin', 'Information channels'),
          options: options([1, 'Ti vi', 'TV'], [2, 'Báo', 'Newspaper'], [3, 'Mạng xã hội', 'Social media'], [4, 'Người quen', 'Acquaintances']),
        },
        { id: 'comment', type: 'text', maxLength: 20, required: false, label: text('Ý kiến khác', 'Other comments') },
      ],
    },
    {
      id: 'C',
      title: text('Trường học', 'School'),
      relevant: { item: 'has_children', equals: 1 },
      items: [{ id: 'school', type: 'single', codeList: 'yesNo', label: text('Con có đi học không?', 'Do they go to school?') }],
    },
  ],
};

describeWithBrowser('the questionnaire walker renders any questionnaire version from its data', () => {
  let browser: Browser;
  let bundle: string;

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
      plugins: [formValidatorsPlugin(() => [ALL_TYPES])],
    });
    bundle = result.outputFiles[0]?.text ?? '';
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  /** What the page's Content-Security-Policy refused, as the browser reported it: must stay empty. */
  const refused: string[] = [];
  afterEach(() => expect(refused.splice(0)).toEqual([]));

  /**
   * The harness page under the app's CSP without 'unsafe-eval' (its setup script and style are let in by
   * their hashes): validation must work with the validators built into the bundle.
   */
  async function open(lang: 'vi' | 'en'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    const css = readFileSync(path.join(__dirname, '..', '..', 'web', 'app.css'), 'utf8');
    const setup = `window.definition = ${JSON.stringify(ALL_TYPES)}; window.lang = ${JSON.stringify(lang)};`;
    const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const csp = `default-src 'self'; script-src 'self' ${sha(setup)}; style-src 'self' ${sha(css)}; img-src 'self' data:; connect-src 'self'`;
    page.on('console', (message) => {
      if (/Content Security Policy|unsafe-eval|EvalError/i.test(message.text())) refused.push(message.text());
    });
    page.on('pageerror', (error) => refused.push(`page error: ${error.message}`));
    await page.route('http://harness.test/**', (route) => {
      const url = route.request().url();
      if (url.endsWith('/harness.js')) return route.fulfill({ contentType: 'text/javascript', body: bundle });
      return route.fulfill({
        contentType: 'text/html',
        headers: { 'Content-Security-Policy': csp },
        body: `<!doctype html><meta charset="utf-8"><style>${css}</style><div id="app"></div>
          <script>${setup}</script>
          <script src="/harness.js"></script>`,
      });
    });
    await page.goto('http://harness.test/');
    return page;
  }
  const problemOf = (page: Page, itemId: string) => page.locator(`#problem-${itemId}`);

  test('when every item type is answered, with its rules and limits, then the answers pass the server’s validator', async () => {
    const page = await open('vi');
    await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
    for (const id of ['resp', 'level', 'field']) expect(await problemOf(page, id).textContent()).toBe('Câu này bắt buộc phải trả lời.');
    await page.getByLabel('Người dân').check();
    await page.getByLabel('Xã').check();
    await page.getByLabel('Tư pháp').check();
    await page.getByRole('button', { name: 'Tiếp', exact: true }).click();

    // Skip rule on an item: the number of children is asked only of those who have children.
    expect(await page.locator('#item-children').count()).toBe(0);
    await page.locator('#item-has_children').getByLabel('Có').check();
    const children = page.getByLabel('Số con');
    await children.fill('ba');
    expect(await problemOf(page, 'children').textContent()).toBe('Hãy nhập một số nguyên (chỉ gồm chữ số).');
    await children.fill('15');
    expect(await problemOf(page, 'children').textContent()).toBe('Số không được lớn hơn 12.');
    await children.fill('2');
    expect(await problemOf(page, 'children').count()).toBe(0);
    await page.getByLabel('Tuổi').fill('17');
    expect(await problemOf(page, 'age').textContent()).toBe('Số phải từ 18 trở lên.');
    await page.getByLabel('Tuổi').fill('45');

    // A scale with "not applicable", set apart from the scale's options.
    await page.locator('#item-sat1').getByLabel('Không áp dụng').check();
    // At most two channels.
    for (const channel of ['Ti vi', 'Báo', 'Mạng xã hội']) await page.locator('#item-channels').getByLabel(channel).check();
    expect(await problemOf(page, 'channels').textContent()).toBe('Chỉ được chọn tối đa 2 phương án.');
    await page.locator('#item-channels').getByLabel('Ti vi').uncheck();
    expect(await problemOf(page, 'channels').count()).toBe(0);
    await page.getByLabel(/Ý kiến khác/).fill('Thủ tục nhanh, cán bộ nhiệt tình');
    expect(await page.getByLabel(/Ý kiến khác/).inputValue()).toHaveLength(20);
    await page.getByText('Còn 0 ký tự').waitFor();

    // Skip rule on a section: section C follows only for those with children.
    await page.getByRole('button', { name: 'Tiếp', exact: true }).click();
    await page.getByRole('heading', { name: 'Trường học' }).waitFor();
    await page.getByRole('button', { name: 'Quay lại' }).click();
    await page.locator('#item-has_children').getByLabel('Không').check();
    expect(await page.locator('#item-children').count()).toBe(0);
    await page.getByRole('button', { name: 'Hoàn thành phiếu' }).click();
    // The review before completing: every question answered, so it asks only for confirmation.
    await page.getByText('Tất cả các câu đều đã được trả lời.').waitFor();
    await page.getByRole('button', { name: 'Xác nhận hoàn thành phiếu' }).click();
    await page.waitForSelector('body[data-completed="yes"]');

    const answers = await page.evaluate(() => (window as unknown as { completed: unknown }).completed);
    expect(answers).toEqual({ resp: 1, level: 2, field: 2, has_children: 2, age: 45, sat1: 9, channels: [2, 3], comment: 'Thủ tục nhanh, cán b' });
    expect(compileForm(ALL_TYPES).validateAnswers(answers)).toEqual([]);
    await page.close();
  });

  test('when the app is in English, then the questionnaire and its messages are in English', async () => {
    const page = await open('en');
    await page.getByRole('heading', { name: 'Classification' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await problemOf(page, 'resp').textContent()).toBe('This question must be answered.');
    await page.getByText('3 questions in this section need attention.').waitFor();
    await page.close();
  });
});

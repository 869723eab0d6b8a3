import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithBrowserAndMongo, launchBrowser } from '../support/browser';
import { ADMIN, startTestSystem, type TestSystem } from '../support/system';

const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts', 'admin-console');
const HEADER = 'unit_id,province_code,serving_level,service_field,respondent_type,name,phone,address,procedure';
const ROWS = [
  'HN-1,01,2,3,1,Nguyễn Văn An,0912 345 678,"12 Phố Huế, Hai Bà Trưng",Đổi giấy phép lái xe',
  'HN-2,01,3,11,1,Trần Thị Bình,0912 000 002,"Thôn Đoài, xã Kim Chung",Cấp phiếu lý lịch tư pháp',
  'HN-3,01,1,13,2,Công ty TNHH Ánh Dương,024 3826 0003,"5 Tràng Thi, Hoàn Kiếm",Đăng ký doanh nghiệp',
  'HN-4,01,3,14,1,Lê Văn Cường,0912 000 004,"Xóm 2, xã Liên Hà",Chứng thực bản sao',
];
const BAD_ROW = 'HN-5,01,9,5,1,Phạm Thu Dung,0912 000 005,"8 Lê Lợi, Hà Đông",Cấp giấy phép xây dựng';
const FIXED_ROW = BAD_ROW.replace(',01,9,', ',01,2,');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Runs axe-core in the page: the serious and critical violations, as "rule: target" lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as a script tag: the app's Content-Security-Policy rightly refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(' ')}`);
}

/** What a phone user would trip over: the page scrolling sideways, and controls smaller than 24 × 24 CSS pixels (WCAG 2.5.8). */
async function phoneProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    const width = root.clientWidth;
    const sticksOut = (el: Element) => el.getBoundingClientRect().right > width + 0.5;
    // Held by a scrolling ancestor; a positioned element only by one that is its containing block.
    const clipped = (el: Element) => {
      let positioned = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const style = getComputedStyle(up);
        if ((!positioned || style.position !== 'static') && style.overflowX !== 'visible' && !sticksOut(up)) return true;
        if (positioned && style.position !== 'static') positioned = ['absolute', 'fixed'].includes(style.position);
      }
      return false;
    };
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
    if (root.scrollWidth > width) {
      // The outermost elements past the right edge that no scrolling container of their own holds.
      const culprits = Array.from(document.body.querySelectorAll('*')).filter((el) => sticksOut(el) && !(el.parentElement && sticksOut(el.parentElement) && el.parentElement !== document.body) && !clipped(el));
      problems.push(`the page is ${root.scrollWidth}px wide in a ${width}px screen: ${culprits.slice(0, 4).map(name).join(', ')}`);
    }
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('button, a[href], input:not([type="hidden"]), select, textarea, summary'))) {
      // A radio button or check box inside its label: the label is what a finger touches.
      const target = (el.matches('input[type="radio"], input[type="checkbox"]') && el.closest('label')) || el;
      const box = target.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (el.closest('.visually-hidden')) continue;
      if (box.width < 24 || box.height < 24) problems.push(`${name(el)} "${(el.textContent ?? '').trim().slice(0, 30)}" is ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    return problems;
  });
}

describeWithBrowserAndMongo('the headquarters console, from an empty database to a figure', () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;
  const roundId = 'sipas-e2e';
  const people = {
    supervisor: { username: 'gsv-hanoi', password: 'giam-sat-vien-1' },
    enumerator: { username: 'dtv-hanoi', password: 'dieu-tra-vien-1' },
    analyst: { username: 'pt-bonoivu', password: 'phan-tich-vien-1' },
  };
  const accessibility: Record<string, string[]> = {};

  beforeAll(async () => {
    system = await startTestSystem();
    browser = await launchBrowser();
    page = await (await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'vi-VN' })).newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const shoot = async (name: string) => {
    accessibility[name] = await seriousViolations(page);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  };
  const section = (name: RegExp) => page.locator('.console > nav button', { hasText: name }).click();
  const upload = (name: string, fileName: string, text: string) =>
    page.locator(`input[name="${name}"]`).setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

  test('when an administrator sets up a round only through /admin/, then the round, people, sample, assignments and quotas exist', async () => {
    await page.goto('/admin/');
    await shoot('login');
    await page.getByLabel('Tên đăng nhập').fill(ADMIN.username);
    await page.getByLabel('Mật khẩu').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();

    // Rounds: a round on sipas-2017 whose fieldwork surrounds today.
    await section(/Đợt khảo sát/);
    const today = new Date();
    await page.locator('input[name="round-id"]').fill(roundId);
    await page.locator('input[name="round-year"]').fill(String(today.getUTCFullYear()));
    await page.locator('select[name="round-form"]').selectOption('sipas-2017@1');
    await page.locator('select[name="round-edition"]').selectOption('63');
    await page.locator('input[name="round-start"]').fill(iso(new Date(today.getTime() - 5 * 86_400_000)));
    await page.locator('input[name="round-end"]').fill(iso(new Date(today.getTime() + 60 * 86_400_000)));
    await page.getByRole('button', { name: 'Tạo', exact: true }).click();
    await page.locator(`tr.round[data-round="${roundId}"]`).waitFor();
    await page.getByRole('heading', { name: `Đợt ${roundId}` }).waitFor();

    // Users: a supervisor, an enumerator and an analyst of Hà Nội.
    await section(/Người dùng/);
    for (const [role, person] of [['supervisor', people.supervisor], ['enumerator', people.enumerator], ['analyst', people.analyst]] as const) {
      await page.locator('input[name="new-username"]').fill(person.username);
      await page.locator('input[name="new-password"]').fill(person.password);
      await page.locator('select[name="new-role"]').selectOption(role);
      await page.locator('input[name="new-provinces"]').fill(role === 'analyst' ? '' : '01');
      await page.getByRole('button', { name: 'Tạo', exact: true }).click();
      await page.locator(`tr.user[data-username="${person.username}"]`).waitFor();
    }
    await shoot('users');

    // The sample: five units, one bad row reported with its line, then fixed.
    await section(/Danh sách mẫu/);
    await upload('sample-file', 'mau.csv', [HEADER, ...ROWS, BAD_ROW].join('\n'));
    await page.getByRole('button', { name: 'Kiểm tra' }).click();
    await page.getByText('4 dòng hợp lệ, 1 dòng có lỗi.').waitFor();
    const problem = page.locator('tr.problem');
    expect(await problem.count()).toBe(1);
    expect(await problem.locator('td').first().textContent()).toBe('6');
    expect(await problem.locator('td').nth(1).textContent()).toBe('servingLevel');
    await shoot('sample-preview');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 5000 }), page.getByRole('button', { name: 'Tải danh sách lỗi (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('sample-file-problems.csv');
    await page.getByRole('button', { name: 'Nhập (cả tệp hoặc không gì cả)' }).click();
    await page.getByRole('alert').waitFor();
    expect(await system.web.deps.repos.sampleUnits.existingUnitIds(roundId, ['HN-1', 'HN-5'])).toEqual(new Set());
    await upload('sample-file', 'mau-da-sua.csv', [HEADER, ...ROWS, FIXED_ROW].join('\n'));
    await page.getByRole('button', { name: 'Nhập (cả tệp hoặc không gì cả)' }).click();
    await page.getByText('Đã nhập 5 dòng; bỏ qua 0.').waitFor();
    await page.getByRole('heading', { name: 'Đơn vị mẫu (5)' }).waitFor();

    // Assignments: the unassigned units spread over the enumerator; one taken back and given again.
    await page.locator('input[name="filter-unassigned"]').check();
    await page.locator('input[name="enumerators"]').fill(people.enumerator.username);
    await page.getByRole('button', { name: /Chia đều/ }).click();
    await page.getByText(`Đã giao 5 đơn vị: ${people.enumerator.username} 5.`).waitFor();
    await page.locator('input[name="filter-unassigned"]').uncheck();
    await page.locator('tr.unit[data-unit="HN-4"] input[type="checkbox"]').check();
    await page.getByRole('button', { name: /Thu hồi/ }).click();
    await page.locator('tr.unit[data-unit="HN-4"] td.assigned', { hasText: '—' }).waitFor();
    await page.locator('tr.unit[data-unit="HN-4"] input[type="checkbox"]').check();
    await page.getByRole('button', { name: /Giao các đơn vị đã chọn/ }).click();
    await page.locator('tr.unit[data-unit="HN-4"] td.assigned', { hasText: people.enumerator.username }).waitFor();
    await shoot('sample-units');

    // Quota targets: an upload and one cell set by hand.
    await section(/Chỉ tiêu/);
    await upload('quotas-file', 'chi-tieu.csv', 'province_code,serving_level,service_field,target\n01,3,11,2\n01,1,13,2\n');
    // The preview first: each cell that would change, old → new; nothing stored yet.
    await page.getByRole('button', { name: 'Kiểm tra' }).click();
    await page.getByText('Sẽ thay đổi 2 ô; 0 dòng giữ nguyên chỉ tiêu.').waitFor();
    expect(await page.locator('tr.change[data-line="3"] td.before').textContent()).toBe('(chưa có)');
    expect(await page.locator('tr.change[data-line="3"] td.after').textContent()).toBe('2');
    expect(await system.web.deps.repos.quotas.list(roundId, undefined)).toEqual([]);
    await shoot('quotas-preview');
    await page.getByRole('button', { name: 'Nhập (cả tệp hoặc không gì cả)' }).click();
    await page.getByText('Đã nhập 2 dòng; bỏ qua 0.').waitFor();
    await page.locator('input[name="cell-province"]').fill('01');
    // Serving level and field are picked from the round's questionnaire, by code and name.
    await page.locator('select[name="cell-level"]').selectOption('2');
    await page.locator('select[name="cell-field"]').selectOption('3');
    expect(await page.locator('select[name="cell-level"] option[value="2"]').textContent()).toMatch(/^2 — \S/);
    await page.locator('input[name="cell-target"]').fill('1');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.locator('tr.quota[data-cell="01/2/3"]').waitFor();
    await upload('areas-file', 'dia-ban.csv', 'province_code,min_lat,min_lon,max_lat,max_lon\n01,20.5,105.3,21.4,106.0\n');
    await page.locator('tr.area').waitFor();
    await shoot('quotas');

    // The method: the questionnaire walked as in the enumerator app (skip rules live), the index tree.
    await section(/Xem phiếu/);
    await page.locator('select[name="preview-form"]').selectOption('sipas-2017@1');
    await page.getByRole('heading', { name: 'Thông tin về thủ tục hành chính' }).waitFor();
    await page.locator('li[data-indicator="overall"]').waitFor();
    expect(await page.locator('.tree li[data-indicator]').count()).toBeGreaterThan(20);
    await shoot('method');

    await section(/Đợt khảo sát/);
    await page.locator('.round-page [data-count="assigned"] dd', { hasText: '5' }).waitFor();
    await shoot('round');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: `Round ${roundId}` }).waitFor();
    await shoot('round-en');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { name: `Đợt ${roundId}` }).waitFor();

    const users = system.web.deps.repos.users;
    expect((await users.findByUsername(people.enumerator.username))?.provinces).toEqual(['01']);
    expect((await system.web.deps.repos.quotas.list(roundId, undefined)).length).toBe(3);
    expect(accessibility).toEqual(Object.fromEntries(Object.keys(accessibility).map((k) => [k, []])));
  }, 240_000);

  test('when the enumerator completes one interview and the supervisor approves it, then the cell is filled and the analyst sees the province figure', async () => {
    const phone = await (await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 360, height: 740 }, locale: 'vi-VN' })).newPage();
    await phone.goto('/app/');
    await phone.getByLabel('Tên đăng nhập').fill(people.enumerator.username);
    await phone.getByLabel('Mật khẩu').fill(people.enumerator.password);
    await phone.getByRole('button', { name: 'Đăng nhập' }).click();
    await phone.getByText('Danh sách được giao (5)').waitFor();
    await phone.locator('li.unit[data-unit="HN-1"]').getByRole('button', { name: 'Bắt đầu phỏng vấn' }).click();
    await phone.getByLabel(/Tên thủ tục hành chính/).fill('Đổi giấy phép lái xe hạng B2');
    for (;;) {
      const items = phone.locator('fieldset.item');
      for (let i = 0; i < (await items.count()); i += 1) {
        const item = items.nth(i);
        if ((await item.locator('input:checked').count()) > 0) continue;
        const four = item.locator('input[value="4"]');
        await ((await four.count()) > 0 ? four.check() : item.locator('input').first().check());
      }
      const complete = phone.getByRole('button', { name: 'Hoàn thành phiếu' });
      if (await complete.isVisible()) {
        await complete.click();
        // The review before completing asks for confirmation.
        await phone.getByRole('button', { name: /Xác nhận hoàn thành phiếu|Vẫn hoàn thành phiếu/ }).click();
        break;
      }
      const progress = await phone.locator('.progress').textContent();
      await phone.getByRole('button', { name: 'Tiếp', exact: true }).click();
      await phone.locator('.progress').filter({ hasNotText: progress ?? '' }).waitFor();
    }
    await phone.locator('li.unit[data-unit="HN-1"]').getByText('Đã hoàn thành').waitFor({ timeout: 20_000 });
    await system.drain();

    // A real interview is never this quick: the quality checks flag it, and the supervisor decides.
    const desk = await (await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'vi-VN' })).newPage();
    await desk.goto('/supervisor/?province=01');
    await desk.getByLabel('Tên đăng nhập').fill(people.supervisor.username);
    await desk.getByLabel('Mật khẩu').fill(people.supervisor.password);
    await desk.getByRole('button', { name: 'Đăng nhập' }).click();
    const queued = desk.locator('tr.queued').first();
    await queued.waitFor();
    await queued.getByRole('button', { name: 'Xem phiếu' }).click();
    const screen = desk.locator('section.review-screen');
    await screen.getByLabel('Lý do').fill('Đã gọi lại người trả lời, phỏng vấn thật');
    // Keyboard shortcuts of the review screen: A approves, Esc closes it.
    await screen.getByRole('heading', { name: /Duyệt phiếu/ }).click();
    await desk.keyboard.press('a');
    await desk.getByText('Đã duyệt phiếu.').waitFor();
    await desk.keyboard.press('Escape');
    const cell = desk.locator('tr.cell[data-province="01"][data-level="2"][data-field="3"]');
    await cell.locator('td.accepted', { hasText: '1' }).waitFor();
    await desk.screenshot({ path: path.join(ARTIFACTS, 'supervisor-cell-filled.png'), fullPage: true });
    await system.drain();

    await desk.goto('/analyst/');
    await desk.fill('input[name="username"]', people.analyst.username);
    await desk.fill('input[name="password"]', people.analyst.password);
    await desk.click('button[type="submit"]');
    const hanoi = desk.locator('[data-testid="province-table"] tbody tr[data-group="01"] [data-field="value"]');
    await hanoi.waitFor();
    await desk.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="province-table"] tbody tr[data-group="01"] [data-field="value"]')?.textContent ?? ''));
    await desk.screenshot({ path: path.join(ARTIFACTS, 'analyst-province-figure.png'), fullPage: true });
  }, 240_000);

  test('when every console page is opened on a phone (390 × 844), then none scrolls sideways, every control is a reasonable target and axe finds nothing serious', async () => {
    const phone = await (await browser.newContext({ baseURL: system.baseUrl, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'vi-VN' })).newPage();
    const found: Record<string, string[]> = {};
    const check = async (name: string) => {
      found[name] = [...(await phoneProblems(phone)), ...(await seriousViolations(phone))];
      await phone.screenshot({ path: path.join(ARTIFACTS, `phone-${name}.png`), fullPage: true });
    };
    await phone.goto('/admin/');
    await phone.getByLabel('Tên đăng nhập').waitFor();
    await check('login');
    await phone.getByLabel('Tên đăng nhập').fill(ADMIN.username);
    await phone.getByLabel('Mật khẩu').fill(ADMIN.password);
    await phone.getByRole('button', { name: 'Đăng nhập' }).click();
    const open = (name: RegExp) => phone.locator('.console > nav button', { hasText: name }).click();
    await phone.locator(`tr.user[data-username="${people.enumerator.username}"]`).waitFor();
    await check('users');
    await open(/Đợt khảo sát/);
    await phone.locator('.round-page [data-count="assigned"] dd').first().waitFor();
    await check('rounds');
    await open(/Danh sách mẫu/);
    await phone.locator('tr.unit[data-unit="HN-1"]').waitFor();
    await check('sample');
    await open(/Chỉ tiêu/);
    await phone.locator('tr.quota').first().waitFor();
    await check('quotas');
    await open(/Xem phiếu/);
    await phone.locator('select[name="preview-form"]').selectOption('sipas-2017@1');
    await phone.locator('li[data-indicator="overall"]').waitFor();
    await check('method');
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  }, 120_000);
});

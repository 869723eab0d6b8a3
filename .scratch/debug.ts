import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
const ROOT = '/work/wt/l-cawi';
(async () => {
  const result = await build({ entryPoints: [path.join(ROOT, 'test/e2e/harness/form-harness.tsx')], bundle: true, format: 'iife', platform: 'browser', jsx: 'automatic', jsxImportSource: 'preact', write: false, logLevel: 'silent' });
  const bundle = result.outputFiles[0]?.text ?? '';
  const css = readFileSync(path.join(ROOT, 'web/app.css'), 'utf8');
  const def = readFileSync(path.join(ROOT, 'survey-forms/sipas-2017/1.1.json'), 'utf8');
  const browser = await chromium.launch({ executablePath: process.env.CHROME, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.route('http://harness.test/**', (route) => route.request().url().endsWith('.js') ? route.fulfill({ contentType: 'text/javascript', body: bundle }) : route.fulfill({ contentType: 'text/html', body: `<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><style>${css}</style><main id="app"></main><script>window.definition=${def};window.lang='vi'</script><script src="/h.js"></script>` }));
  await page.goto('http://harness.test/');
  await page.locator('details.overview summary').click();
  await page.getByRole('button', { name: /^3\. / }).click();
  await page.locator('#item-c05_p').waitFor();
  const info = await page.evaluate(() => {
    const out: string[] = [];
    for (const sel of ['main', '.form', '.grid-block', '.grid-row', '.grid-answer', '.grid-choices', '.grid-tag', '.grid-choice', '.grid-choice.na', 'legend', '.form-nav']) {
      const el = document.querySelector(sel) as HTMLElement | null;
      if (el) { const r = el.getBoundingClientRect(); out.push(`${sel}: x=${r.x} w=${r.width} h=${r.height} sw=${el.scrollWidth}`); }
    }
    out.push(`doc sw=${document.documentElement.scrollWidth}`);
    return out;
  });
  console.log(info.join('\n'));
  await browser.close();
})();

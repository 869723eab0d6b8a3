import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CataloguedProblem } from '../../survey-forms/ajv';
import { CODES, ERROR_CODES, codeMessage, isCode, type Code } from '../../survey-forms/codes';
import { HttpProblem } from '../../server/http/problem';
import { problemMessage } from '../../web/src/i18n';

const ROOT = path.join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(at);
    return entry.name.endsWith('.ts') ? [at] : [];
  });
}

/**
 * The codes the code base writes as literals: `code: 'x'` in a problem, `new HttpProblem('x'`, and
 * `report('field', 'x'` in the list checks. The types already refuse an unknown one; this also
 * catches a code built where the types are loose.
 */
function emittedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [/\bcode:\s*'([a-z_]+)'/g, /HttpProblem\(\s*'([a-z_]+)'/g, /\breport\(\s*'[A-Za-z]+',\s*'([a-z_]+)'/g];
  for (const dir of ['server', 'survey-forms', 'workers']) {
    for (const file of sourceFiles(path.join(ROOT, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.set(match[1] as string, path.relative(ROOT, file));
    }
  }
  return found;
}

describe('the catalogue of codes (survey-forms/codes.ts)', () => {
  test('when a code is in the catalogue, then it has a Vietnamese and an English message of its own', () => {
    for (const [code, entry] of Object.entries(CODES) as Array<[string, { vi: string; en: string }]>) {
      expect({ code, vi: entry.vi.trim().length > 0, en: entry.en.trim().length > 0, differ: entry.vi !== entry.en }).toEqual({ code, vi: true, en: true, differ: true });
    }
  });

  test('when the server or the questionnaire code emits a code, then it is in the catalogue', () => {
    const emitted = emittedCodes();
    // The scan must see the codes of every kind of emitter, or it proves nothing.
    expect([...emitted.keys()]).toEqual(expect.arrayContaining(['round_closed', 'not_assigned', 'already_imported', 'stale_decision', 'required']));
    const missing = [...emitted].filter(([code]) => !isCode(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  test('when a code is an error code, then HttpProblem sends it with its catalogue status and English message', () => {
    for (const code of ERROR_CODES) {
      const problem = new HttpProblem(code);
      expect({ code, status: problem.status, message: problem.message }).toEqual({ code, status: CODES[code].status, message: CODES[code].en });
      expect(problem.status).toBeGreaterThanOrEqual(400);
    }
  });

  test('when the 409s are told apart, then each has its own code; conflict is left to the per-item result', () => {
    const conflicts = ERROR_CODES.filter((c) => CODES[c].status === 409);
    expect(conflicts).toEqual(['already_exists', 'already_completed', 'not_checked_yet', 'stale_decision', 'export_not_ready', 'release_approved']);
    expect(isCode('conflict')).toBe(true);
    expect(ERROR_CODES).not.toContain('conflict');
  });

  test('when a problem names a code that is not in the catalogue, then it does not compile', () => {
    // @ts-expect-error: a misspelt code is a type error.
    const misspelt: CataloguedProblem = { path: '/roundId', code: 'round_closd', message: 'round r-1 is closed' };
    expect(isCode(misspelt.code)).toBe(false);
  });

  test('when the enumerator app shows a problem, then it uses the catalogue\'s words in the chosen language', () => {
    const codes: Code[] = ['round_closed', 'not_assigned', 'already_completed', 'conflict', 'wrong_format'];
    for (const code of codes) {
      expect(problemMessage({ path: '/x', code, message: 'server words' }, 'vi')).toBe(codeMessage(code, 'vi'));
      expect(problemMessage({ path: '/x', code, message: 'server words' }, 'en')).toBe(codeMessage(code, 'en'));
    }
  });
});

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { surveyFormsDir } from '../../survey-forms/paths';

/**
 * A published questionnaire or index definition never changes: rounds and their figures name it,
 * and must be reproducible years later. survey-forms/published.lock.json holds the SHA-256 of each
 * published file; this test fails when one changes, or when a new one is published without its line.
 */
const root = surveyFormsDir();
const lockFile = path.join(root, 'published.lock.json');

function versionFiles(dir: string, prefix: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'reference' && e.name !== 'index-definitions')
    .flatMap((e) =>
      readdirSync(path.join(dir, e.name))
        .filter((f) => /^[0-9]+(\.[0-9]+){0,2}\.json$/.test(f))
        .map((f) => `${prefix}${e.name}/${f}`),
    );
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(path.join(root, file))).digest('hex');

describe('published questionnaires and index definitions', () => {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { files: Record<string, string> };
  const files = [...versionFiles(root, ''), ...versionFiles(path.join(root, 'index-definitions'), 'index-definitions/')].sort();
  const published = files.filter((f) => (JSON.parse(readFileSync(path.join(root, f), 'utf8')) as { status?: string }).status === 'published');

  test('when the files are read, then both methods are published with their definitions and their laid-out revisions', () => {
    expect(published).toEqual([
      'index-definitions/sipas-2017/1.json',
      'index-definitions/sipas-2022/1.json',
      'sipas-2017/1.1.json',
      'sipas-2017/1.json',
      'sipas-2022/1.1.json',
      'sipas-2022/1.json',
    ]);
  });

  test('when a published file is hashed, then it matches its line in published.lock.json', () => {
    const problems: string[] = [];
    for (const file of published) {
      const actual = sha256(file);
      const locked = lock.files[file];
      if (locked === undefined) problems.push(`${file} is published but not locked: add "${file}": "${actual}" to survey-forms/published.lock.json`);
      else if (locked !== actual) {
        problems.push(`${file} changed after it was published (SHA-256 ${actual}, locked ${locked}): undo the change and publish a new version instead`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('when the lock names a file, then the file is still there and still published', () => {
    const problems = Object.keys(lock.files)
      .filter((file) => !existsSync(path.join(root, file)) || !published.includes(file))
      .map((file) => `${file} is locked but missing or no longer published: a published version is never withdrawn`);
    expect(problems).toEqual([]);
  });
});

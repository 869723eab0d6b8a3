import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json. Data files are found from here, so the same code
 * works run from TypeScript sources and from the compiled `dist/` tree.
 */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

/** Where questionnaire and reference data live. */
export function surveyFormsDir(): string {
  return path.join(projectRoot(), 'survey-forms');
}

/** Where index definitions live: `<dir>/<definitionId>/<version>.json`. */
export function indexDefinitionsDir(): string {
  return path.join(surveyFormsDir(), 'index-definitions');
}

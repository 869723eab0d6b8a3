import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileForm, FormDefinitionError, type CompiledForm } from './form';
import { FORM_VERSION_PATTERN } from './form-definition.schema';

/** Every questionnaire version the platform knows, compiled once at start-up. */
export interface FormCatalogue {
  /** All versions, ordered by form id then version. */
  list(): ReadonlyArray<CompiledForm>;
  get(formId: string, version: string): CompiledForm | undefined;
}

const VERSION_FILE = new RegExp(`${FORM_VERSION_PATTERN.slice(0, -1)}\\.json$`);

/** Builds a catalogue from compiled forms; two files claiming one version is an error. */
export function createFormCatalogue(forms: CompiledForm[]): FormCatalogue {
  const byKey = new Map<string, CompiledForm>();
  for (const form of forms) {
    const key = `${form.definition.formId}@${form.definition.version}`;
    if (byKey.has(key)) throw new Error(`questionnaire ${key} is defined twice`);
    byKey.set(key, form);
  }
  const ordered = [...byKey.values()].sort(
    (a, b) =>
      a.definition.formId.localeCompare(b.definition.formId) ||
      compareVersions(a.definition.version, b.definition.version),
  );
  return {
    list: () => ordered,
    get: (formId, version) => byKey.get(`${formId}@${version}`),
  };
}

/** Compares dotted version strings numerically: 1.10 comes after 1.9. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Reads `<dir>/<formId>/<version>.json` files. A file whose content names another form id
 * or version than its path is refused: the path is how people find a version.
 */
export function loadFormCatalogue(dir: string): FormCatalogue {
  const forms: CompiledForm[] = [];
  const problems: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'reference') continue;
    for (const file of readdirSync(path.join(dir, entry.name))) {
      if (!VERSION_FILE.test(file)) continue;
      const source = path.join(entry.name, file);
      try {
        const raw: unknown = JSON.parse(readFileSync(path.join(dir, source), 'utf8'));
        const form = compileForm(raw, source);
        const expected = { formId: entry.name, version: file.replace(/\.json$/, '') };
        if (form.definition.formId !== expected.formId || form.definition.version !== expected.version) {
          throw new Error(
            `${source}: declares ${form.definition.formId}@${form.definition.version}, its path says ${expected.formId}@${expected.version}`,
          );
        }
        forms.push(form);
      } catch (error) {
        problems.push(error instanceof FormDefinitionError || error instanceof Error ? error.message : String(error));
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return createFormCatalogue(forms);
}

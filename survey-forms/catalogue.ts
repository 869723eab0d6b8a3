import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileForm, FormDefinitionError, type CompiledForm } from './form';
import { revisionProblems } from './form-revision';
import { compileIndexDefinition, type CompiledIndexDefinition } from './index-definition';
import { FORM_VERSION_PATTERN } from './form-definition.schema';

/** Every questionnaire version the platform knows, compiled once at start-up. */
export interface FormCatalogue {
  /** All versions, ordered by form id then version. */
  list(): ReadonlyArray<CompiledForm>;
  get(formId: string, version: string): CompiledForm | undefined;
}

const VERSION_FILE = new RegExp(`${FORM_VERSION_PATTERN.slice(0, -1)}\\.json$`);

/**
 * Builds a catalogue from compiled forms; two files claiming one version is an error, and so is a
 * revision that is not the same questionnaire as the version it revises.
 */
export function createFormCatalogue(forms: CompiledForm[]): FormCatalogue {
  const byKey = new Map<string, CompiledForm>();
  for (const form of forms) {
    const key = `${form.definition.formId}@${form.definition.version}`;
    if (byKey.has(key)) throw new Error(`questionnaire ${key} is defined twice`);
    byKey.set(key, form);
  }
  for (const [key, form] of byKey) {
    const { formId, revisionOf } = form.definition;
    if (revisionOf === undefined) continue;
    const base = byKey.get(`${formId}@${revisionOf}`);
    const problems = base
      ? revisionProblems(base.definition, form.definition)
      : [{ path: '/revisionOf', code: 'unknown_form' as const, message: `questionnaire ${formId} version ${revisionOf} is not installed` }];
    if (problems.length > 0) throw new FormDefinitionError(key, problems);
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

/** Folders of `survey-forms/` that hold other things than questionnaires. */
const NOT_QUESTIONNAIRES = new Set(['reference', 'index-definitions', 'index-engine']);

/** A `<dir>/<id>/<version>.json` file, parsed, with the id and version its path names. */
interface VersionFile {
  source: string;
  raw: unknown;
  id: string;
  version: string;
}

/**
 * Reads every `<dir>/<id>/<version>.json` file, then hands each to `accept`; problems of all files
 * are collected and thrown together, so one start-up shows every broken file.
 */
function readVersionFiles(dir: string, skip: ReadonlySet<string>, accept: (file: VersionFile) => void): void {
  const problems: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || skip.has(entry.name)) continue;
    for (const file of readdirSync(path.join(dir, entry.name)).sort()) {
      if (!VERSION_FILE.test(file)) continue;
      const source = path.join(entry.name, file);
      try {
        const raw: unknown = JSON.parse(readFileSync(path.join(dir, source), 'utf8'));
        accept({ source, raw, id: entry.name, version: file.replace(/\.json$/, '') });
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/**
 * Reads `<dir>/<formId>/<version>.json` files. A file whose content names another form id
 * or version than its path is refused: the path is how people find a version.
 */
export function loadFormCatalogue(dir: string): FormCatalogue {
  const forms: CompiledForm[] = [];
  readVersionFiles(dir, NOT_QUESTIONNAIRES, ({ source, raw, id, version }) => {
    const form = compileForm(raw, source);
    if (form.definition.formId !== id || form.definition.version !== version) {
      throw new Error(`${source}: declares ${form.definition.formId}@${form.definition.version}, its path says ${id}@${version}`);
    }
    forms.push(form);
  });
  return createFormCatalogue(forms);
}

/** Every index definition the platform knows, compiled once at start-up against the questionnaires. */
export interface IndexDefinitionCatalogue {
  /** All versions, ordered by definition id then version. */
  list(): ReadonlyArray<CompiledIndexDefinition>;
  get(definitionId: string, version: string): CompiledIndexDefinition | undefined;
  /**
   * The definition a new round on this questionnaire version uses when it names none: the latest
   * published version, provided all published definitions that score it share one id.
   */
  defaultFor(formId: string, formVersion: string): CompiledIndexDefinition | undefined;
}

/** Builds a catalogue from compiled definitions; two files claiming one version is an error. */
export function createIndexDefinitionCatalogue(definitions: CompiledIndexDefinition[]): IndexDefinitionCatalogue {
  const byKey = new Map<string, CompiledIndexDefinition>();
  for (const compiled of definitions) {
    const key = `${compiled.definition.definitionId}@${compiled.definition.version}`;
    if (byKey.has(key)) throw new Error(`index definition ${key} is defined twice`);
    byKey.set(key, compiled);
  }
  const ordered = [...byKey.values()].sort(
    (a, b) =>
      a.definition.definitionId.localeCompare(b.definition.definitionId) ||
      compareVersions(a.definition.version, b.definition.version),
  );
  return {
    list: () => ordered,
    get: (definitionId, version) => byKey.get(`${definitionId}@${version}`),
    defaultFor(formId, formVersion) {
      const candidates = ordered.filter((d) => d.definition.status === 'published' && d.appliesTo(formId, formVersion));
      if (new Set(candidates.map((d) => d.definition.definitionId)).size !== 1) return undefined;
      return candidates[candidates.length - 1];
    },
  };
}

/** Reads `<dir>/<definitionId>/<version>.json` files and checks each against the questionnaires. */
export function loadIndexDefinitionCatalogue(dir: string, forms: FormCatalogue): IndexDefinitionCatalogue {
  const definitions: CompiledIndexDefinition[] = [];
  readVersionFiles(dir, new Set(), ({ source, raw, id, version }) => {
    const compiled = compileIndexDefinition(raw, (formId, formVersion) => forms.get(formId, formVersion), source);
    if (compiled.definition.definitionId !== id || compiled.definition.version !== version) {
      throw new Error(`${source}: declares ${compiled.definition.definitionId}@${compiled.definition.version}, its path says ${id}@${version}`);
    }
    definitions.push(compiled);
  });
  return createIndexDefinitionCatalogue(definitions);
}

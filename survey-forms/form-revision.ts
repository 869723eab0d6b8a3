import type { CataloguedProblem } from './ajv';
import type { FormDefinition } from './form-definition.schema';

/**
 * A revision as it must equal its base: everything that decides what is asked and what an answer
 * means. Layouts and quality thresholds are left out; they are what a revision may change.
 */
function answersContract(definition: FormDefinition): unknown {
  const { version: _version, status: _status, revisionOf: _revisionOf, quality: _quality, sections, ...rest } = definition;
  return { ...rest, sections: sections.map(({ layout: _layout, ...section }) => section) };
}

/** JSON with object keys sorted, so two equal definitions compare equal whatever the key order in their files. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/**
 * What keeps `revision` from being a revision of `base`: a revision asks exactly the same items, with
 * the same labels, codes, skip rules and dimensions, so answers collected with either mean the same and
 * the same index definitions score them. Only section layouts and quality thresholds may differ.
 */
export function revisionProblems(base: FormDefinition, revision: FormDefinition): CataloguedProblem[] {
  if (base.formId !== revision.formId) {
    return [{ path: '/revisionOf', code: 'unknown_form', message: `names a version of another questionnaire (${base.formId})` }];
  }
  if (base.revisionOf !== undefined) {
    return [{ path: '/revisionOf', code: 'not_allowed', message: `version ${base.version} is itself a revision of ${base.revisionOf}: name that one` }];
  }
  if (canonical(answersContract(base)) !== canonical(answersContract(revision))) {
    return [
      {
        path: '/revisionOf',
        code: 'not_allowed',
        message: `differs from version ${base.version} in more than section layouts and quality thresholds: a change to what is asked is a new version, not a revision`,
      },
    ];
  }
  return [];
}

import standaloneCode from 'ajv/dist/standalone';
import type { Plugin } from 'esbuild';
import { createAjv } from '../survey-forms/ajv';
import { Condition, FormDefinition } from '../survey-forms/form-definition.schema';
import { compileForm, FORM_SHAPE_VALIDATOR } from '../survey-forms/form';
import { projectRoot } from '../survey-forms/paths';

/** The module name browser code imports the precompiled validators from; only a bundle built with the plugin below has it. */
export const FORM_VALIDATORS_MODULE = 'sipas:form-validators';

/**
 * The questionnaires' validators as ajv standalone code (a CommonJS module): the shape of a
 * definition, and the answers of each given version under `formId@version`. Browsers validate
 * with these, so their pages never compile code at run time and the CSP needs no 'unsafe-eval';
 * the code is the same ajv would compile on the server, from the same schemas.
 */
export function formValidatorsSource(definitions: ReadonlyArray<unknown>): string {
  const ajv = createAjv({ standaloneCode: true });
  ajv.addSchema(Condition);
  ajv.addSchema(FormDefinition, FORM_SHAPE_VALIDATOR);
  const exported: Record<string, string> = { [FORM_SHAPE_VALIDATOR]: FORM_SHAPE_VALIDATOR };
  definitions.forEach((raw, n) => {
    const form = compileForm(raw, `questionnaire ${n + 1}`);
    const key = `${form.definition.formId}@${form.definition.version}`;
    ajv.addSchema(form.answersSchema, `#answers-${n}`);
    exported[key] = `#answers-${n}`;
  });
  return standaloneCode(ajv, exported);
}

/** An esbuild plugin that serves FORM_VALIDATORS_MODULE, generated from these questionnaire definitions. */
export function formValidatorsPlugin(definitions: () => ReadonlyArray<unknown>): Plugin {
  return {
    name: 'form-validators',
    setup(build) {
      build.onResolve({ filter: /^sipas:form-validators$/ }, (args) => ({ path: args.path, namespace: 'form-validators' }));
      // The generated code requires ajv's small runtime helpers, found from the project's node_modules.
      build.onLoad({ filter: /.*/, namespace: 'form-validators' }, () => ({ contents: formValidatorsSource(definitions()), loader: 'js', resolveDir: projectRoot(__dirname) }));
    },
  };
}

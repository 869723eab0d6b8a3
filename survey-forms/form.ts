import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { createAjv, describeAjvErrors, type CataloguedProblem } from './ajv';
import { isAnswered, isConditionMet, itemsReadBy, type Answers } from './conditions';
import { layoutProblems } from './form-layout';
import {
  Condition,
  DIMENSIONS,
  FormDefinition,
  type Item,
  type Option,
  type Scale,
  type Section,
} from './form-definition.schema';

/** An item with what it needs to be validated and scored: its section and resolved options. */
export interface FormItem {
  item: Item;
  section: Section;
  /** Allowed codes for choice and scale items, the "not applicable" code included. */
  codes: ReadonlyArray<string | number>;
  /** The scale, for scale items. */
  scale?: Scale;
  /** The options (inline or from the code list), for choice items. */
  options?: ReadonlyArray<Option>;
}

/** A questionnaire version, checked and ready to validate answers. */
export interface CompiledForm {
  definition: FormDefinition;
  /** Items in questionnaire order. */
  items: ReadonlyArray<FormItem>;
  itemById: ReadonlyMap<string, FormItem>;
  /** Checks one response's answers: types, codes, skip rules and constraints. */
  validateAnswers(answers: unknown): CataloguedProblem[];
  /** The JSON Schema the answers are checked against (then skip rules and required items): what is precompiled for browsers. */
  answersSchema: Record<string, unknown>;
}

export class FormDefinitionError extends Error {
  override readonly name = 'FormDefinitionError';
  constructor(
    readonly source: string,
    readonly problems: CataloguedProblem[],
  ) {
    super(
      `questionnaire definition ${source} is invalid:\n` +
        problems.map((p) => `  ${p.path || '/'}: ${p.message}`).join('\n'),
    );
  }
}

/**
 * Validators generated ahead of time as ajv standalone code (`scripts/form-validators.ts`), for pages
 * whose Content-Security-Policy forbids compiling code at run time (no 'unsafe-eval'): the shape of
 * a questionnaire definition under FORM_SHAPE_VALIDATOR, the answers of each version under
 * `formId@version`.
 */
export type PrecompiledValidators = Readonly<Record<string, ValidateFunction | undefined>>;
export const FORM_SHAPE_VALIDATOR = '#form-definition';

// Created on first use: making ajv ready compiles its meta-schema, which a strict page must never do.
let ajv: Ajv | undefined;
let checkShape: ValidateFunction<FormDefinition> | undefined;
function formAjv(): Ajv {
  if (!ajv) {
    ajv = createAjv();
    ajv.addSchema(Condition);
  }
  return ajv;
}

/**
 * Checks a questionnaire definition and compiles it. Reports every problem with its path,
 * not only the first: authors fix a file in one pass. With `precompiled` validators nothing is
 * compiled at run time; a version they lack is an error (the app was built without it).
 */
export function compileForm(raw: unknown, source = 'questionnaire', precompiled?: PrecompiledValidators): CompiledForm {
  const shape = precompiled ? (precompiled[FORM_SHAPE_VALIDATOR] as ValidateFunction<FormDefinition> | undefined) : (checkShape ??= formAjv().compile<FormDefinition>(FormDefinition));
  if (!shape) throw new Error(`${source}: no precompiled validator of questionnaire definitions`);
  if (!shape(raw)) throw new FormDefinitionError(source, describeAjvErrors(shape.errors));
  const definition = raw;
  const problems: CataloguedProblem[] = [];
  const items: FormItem[] = [];
  const itemById = new Map<string, FormItem>();
  const sectionIds = new Set<string>();

  definition.sections.forEach((section, s) => {
    if (sectionIds.has(section.id)) {
      problems.push({ path: `/sections/${s}/id`, code: 'repeated', message: `section id ${section.id} is used twice` });
    }
    sectionIds.add(section.id);
    section.items.forEach((item, i) => {
      const at = `/sections/${s}/items/${i}`;
      if (itemById.has(item.id)) {
        problems.push({ path: `${at}/id`, code: 'repeated', message: `item id ${item.id} is used twice` });
      }
      const resolved = resolveItem(definition, section, item, at, problems);
      items.push(resolved);
      itemById.set(item.id, resolved);
    });
    problems.push(...layoutProblems(section, `/sections/${s}`));
  });

  // Skip rules may only read items asked earlier, so a form can be filled top to bottom.
  const seen = new Set<string>();
  definition.sections.forEach((section, s) => {
    if (section.relevant) checkConditionReads(section.relevant, seen, `/sections/${s}/relevant`, problems);
    section.items.forEach((item, i) => {
      if (item.relevant) checkConditionReads(item.relevant, seen, `/sections/${s}/items/${i}/relevant`, problems);
      seen.add(item.id);
    });
  });

  for (const dimension of DIMENSIONS) {
    const itemId = definition.dimensions[dimension];
    const target = itemById.get(itemId);
    if (!target) {
      problems.push({ path: `/dimensions/${dimension}`, code: 'unknown_item', message: `names no item (${itemId})` });
    } else if (target.item.type !== 'single') {
      // A skip rule is allowed: respondents not asked (2022 method: those who used no service) fall
      // in no group of that dimension, and still count in every other figure.
      problems.push({
        path: `/dimensions/${dimension}`,
        code: 'not_allowed',
        message: `must name a single-choice item (${itemId})`,
      });
    }
  }

  if (problems.length > 0) throw new FormDefinitionError(source, problems);
  const schema = answersSchema(items);
  const validateShape = precompiled ? precompiled[`${definition.formId}@${definition.version}`] : formAjv().compile(schema);
  if (!validateShape) throw new Error(`${source}: this app was built without the validator of ${definition.formId}@${definition.version}; update the app`);
  return {
    definition,
    items,
    itemById,
    answersSchema: schema,
    validateAnswers: (answers) => validateAnswers(items, validateShape, answers),
  };
}

function resolveItem(
  definition: FormDefinition,
  section: Section,
  item: Item,
  at: string,
  problems: CataloguedProblem[],
): FormItem {
  if (item.type === 'single' || item.type === 'multiple') {
    const options = choiceOptions(definition, item, at, problems);
    checkDistinctCodes(options, at, problems);
    return { item, section, codes: options.map((o) => o.code), options };
  }
  if (item.type === 'scale') {
    const scale = definition.scales[item.scale];
    if (!scale) {
      problems.push({ path: `${at}/scale`, code: 'unknown_scale', message: `names no scale of the form (${item.scale})` });
      return { item, section, codes: [] };
    }
    const codes = [...scale.options.map((o) => o.code), ...(scale.notApplicable ? [scale.notApplicable.code] : [])];
    for (const positive of scale.positiveCodes) {
      if (!scale.options.some((o) => o.code === positive)) {
        problems.push({
          path: `/scales/${item.scale}/positiveCodes`,
          code: 'unknown_code',
          message: `code ${positive} is not an option of the scale`,
        });
      }
    }
    return { item, section, codes, scale };
  }
  return { item, section, codes: [] };
}

function choiceOptions(
  definition: FormDefinition,
  item: Extract<Item, { type: 'single' | 'multiple' }>,
  at: string,
  problems: CataloguedProblem[],
): Option[] {
  if (item.options && item.codeList) {
    problems.push({ path: at, code: 'not_allowed', message: 'has both options and a codeList: keep one' });
  }
  if (item.options) return item.options;
  if (item.codeList) {
    const list = definition.codeLists[item.codeList];
    if (list) return list;
    problems.push({ path: `${at}/codeList`, code: 'unknown_code_list', message: `names no code list (${item.codeList})` });
    return [];
  }
  problems.push({ path: at, code: 'required', message: 'needs options or a codeList' });
  return [];
}

function checkDistinctCodes(options: Option[], at: string, problems: CataloguedProblem[]): void {
  const codes = new Set<string | number>();
  for (const option of options) {
    if (codes.has(option.code)) {
      problems.push({ path: at, code: 'repeated', message: `option code ${String(option.code)} is used twice` });
    }
    codes.add(option.code);
  }
}

function checkConditionReads(condition: Condition, earlier: Set<string>, at: string, problems: CataloguedProblem[]): void {
  for (const read of itemsReadBy(condition)) {
    if (!earlier.has(read)) {
      problems.push({
        path: at,
        code: 'unknown_item',
        message: `reads item ${read}, which is not an item asked before this one`,
      });
    }
  }
}

function answerSchema(formItem: FormItem): Record<string, unknown> {
  const { item } = formItem;
  switch (item.type) {
    case 'single':
    case 'scale':
      return { enum: [...formItem.codes] };
    case 'multiple':
      return {
        type: 'array',
        uniqueItems: true,
        items: { enum: [...formItem.codes] },
        ...(item.minSelected !== undefined ? { minItems: item.minSelected } : {}),
        ...(item.maxSelected !== undefined ? { maxItems: item.maxSelected } : {}),
      };
    case 'text':
      return { type: 'string', maxLength: item.maxLength ?? 2000 };
    case 'integer':
      return {
        type: 'integer',
        ...(item.minimum !== undefined ? { minimum: item.minimum } : {}),
        ...(item.maximum !== undefined ? { maximum: item.maximum } : {}),
      };
  }
}

/** The JSON Schema of a response's answers under this questionnaire version. */
function answersSchema(items: FormItem[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(items.map((fi) => [fi.item.id, answerSchema(fi)])),
  };
}

/** Whether an item is asked, given the answers so far (its section's rule and its own). */
export function isItemRelevant(formItem: FormItem, answers: Answers): boolean {
  if (formItem.section.relevant && !isConditionMet(formItem.section.relevant, answers)) return false;
  return !formItem.item.relevant || isConditionMet(formItem.item.relevant, answers);
}

function validateAnswers(items: ReadonlyArray<FormItem>, validateShape: ValidateFunction, answers: unknown): CataloguedProblem[] {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    return [{ path: '/answers', code: 'wrong_type', message: 'must be an object of item id to answer' }];
  }
  const problems = validateShape(answers) ? [] : describeAjvErrors(validateShape.errors, '/answers');
  for (const p of problems) {
    if (p.code === 'unknown_field') p.message = 'is not an item of this questionnaire version';
  }
  const given = answers as Answers;
  for (const formItem of items) {
    const { item } = formItem;
    const answered = isAnswered(given[item.id]);
    const relevant = isItemRelevant(formItem, given);
    if (!relevant && answered) {
      problems.push({
        path: `/answers/${item.id}`,
        code: 'not_asked',
        message: 'must be empty: its skip rule says this item is not asked given the other answers',
      });
    } else if (relevant && !answered && item.required !== false) {
      problems.push({ path: `/answers/${item.id}`, code: 'required', message: 'is required' });
    }
  }
  return problems;
}

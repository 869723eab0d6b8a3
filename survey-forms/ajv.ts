import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { ProblemCode } from './codes';
import { DATE_TIME_RULE, isDateTime } from './date-time';

/** One ajv setup for the whole project: every error reported, formats checked (date-time strictly, see `date-time.ts`), no type coercion. */
export function createAjv(options: { coerceTypes?: boolean; standaloneCode?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    coerceTypes: options.coerceTypes ?? false,
    useDefaults: options.coerceTypes ?? false,
    // Keeps each validator's source, for ajv's standalone code (validators built ahead of time for browsers).
    ...(options.standaloneCode ? { code: { source: true } } : {}),
  });
  addFormats(ajv);
  // ajv-formats lets through what JavaScript then reads as no date (a leap second, an offset `+01`):
  // every date-time the project accepts must be one `new Date` reads as the same instant.
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  // TypeBox marks its schemas with these keywords; they carry no validation meaning.
  ajv.addKeyword('kind').addKeyword('modifier');
  return ajv;
}

/**
 * A problem found in some input: where (a JSON pointer) and what is wrong, in plain words. This is
 * the shape a client receives, whose code may be one a newer server added.
 */
export interface Problem {
  path: string;
  message: string;
  /** Stable code, so clients can show the message in their own language. */
  code: string;
}

/** A problem this code base reports: its code is in the catalogue (`survey-forms/codes.ts`), so a misspelt code does not compile. */
export interface CataloguedProblem extends Problem {
  code: ProblemCode;
}

/** Turns ajv's errors into problems with the field and the reason, under a path prefix. */
export function describeAjvErrors(errors: ErrorObject[] | null | undefined, prefix = ''): CataloguedProblem[] {
  if (!errors) return [];
  const problems: CataloguedProblem[] = [];
  for (const error of errors) {
    // anyOf/oneOf/if wrappers repeat what their branches already said.
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue;
    problems.push(describeOne(error, prefix));
  }
  return dedupe(problems);
}

function describeOne(error: ErrorObject, prefix: string): CataloguedProblem {
  const at = prefix + error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${at}/${String(params.missingProperty)}`, code: 'required', message: 'is required' };
    case 'additionalProperties':
      return {
        path: `${at}/${String(params.additionalProperty)}`,
        code: 'unknown_field',
        message: 'is not a known field',
      };
    case 'enum':
      return {
        path: at,
        code: 'not_in_options',
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { path: at, code: 'not_allowed', message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'type':
      return { path: at, code: 'wrong_type', message: `must be of type ${String(params.type)}` };
    case 'format':
      return {
        path: at,
        code: 'wrong_format',
        message: params.format === 'date-time' ? `must be a valid date-time: ${DATE_TIME_RULE}` : `must be a valid ${String(params.format)}`,
      };
    case 'pattern':
      return { path: at, code: 'wrong_format', message: `must match the pattern ${String(params.pattern)}` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { path: at, code: 'too_small', message: `must be ${String(params.comparison)} ${String(params.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { path: at, code: 'too_large', message: `must be ${String(params.comparison)} ${String(params.limit)}` };
    case 'minLength':
      return { path: at, code: 'too_short', message: `must have at least ${String(params.limit)} characters` };
    case 'maxLength':
      return { path: at, code: 'too_long', message: `must have at most ${String(params.limit)} characters` };
    case 'minItems':
      return { path: at, code: 'too_few', message: `must have at least ${String(params.limit)} entries` };
    case 'maxItems':
      return { path: at, code: 'too_many', message: `must have at most ${String(params.limit)} entries` };
    case 'uniqueItems':
      return { path: at, code: 'repeated', message: 'must not repeat an entry' };
    // "Either csv or rows" bodies: ajv's own words name the limit.
    case 'minProperties':
      return { path: at, code: 'too_few', message: error.message ?? 'has too few fields' };
    case 'maxProperties':
      return { path: at, code: 'too_many', message: error.message ?? 'has too many fields' };
    default:
      // A keyword our schemas do not use today: its code stays in the catalogue, ajv's words say which.
      return { path: at, code: 'not_valid', message: error.message ?? 'is not valid' };
  }
}

function dedupe(problems: CataloguedProblem[]): CataloguedProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

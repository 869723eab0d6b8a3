import type { Problem } from '../../survey-forms/ajv';

/**
 * The catalogue of errors the API returns. Codes are stable: clients branch on them, people read
 * the message. Every error body is `{ "error": { "code", "message", "details"? } }`.
 */
export const PROBLEMS = {
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  validation_failed: { status: 400, message: 'The request is not valid.' },
  unauthenticated: { status: 401, message: 'Log in first: this needs a valid bearer token.' },
  login_failed: { status: 401, message: 'Wrong username or password.' },
  forbidden: { status: 403, message: 'Your role may not do this.' },
  not_found: { status: 404, message: 'Not found.' },
  conflict: { status: 409, message: 'This conflicts with what is already stored.' },
  gone: { status: 410, message: 'This is no longer available.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'Send JSON with Content-Type: application/json.' },
  not_ready: { status: 503, message: 'A service the API depends on is not reachable.' },
  internal: { status: 500, message: 'Something went wrong on our side; it has been logged.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

/** An error the API reports to the client as it is. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    message?: string,
    readonly details?: ReadonlyArray<Problem>,
  ) {
    super(message ?? PROBLEMS[code].message);
    this.status = PROBLEMS[code].status;
  }
}

export function notFound(what: string): HttpProblem {
  return new HttpProblem('not_found', `${what} was not found.`);
}

export function validationFailed(details: ReadonlyArray<Problem>, message?: string): HttpProblem {
  return new HttpProblem(
    'validation_failed',
    message ?? `The request is not valid: ${details.map((d) => `${d.path || '/'} ${d.message}`).join('; ')}.`,
    details,
  );
}

import type { CataloguedProblem } from '../../survey-forms/ajv';
import { CODES, type ErrorCode } from '../../survey-forms/codes';

/**
 * An error the API reports to the client as it is: `{ "error": { "code", "message", "details"? } }`.
 * The code (and so the HTTP status) comes from the catalogue in `survey-forms/codes.ts`; clients
 * branch on it, people read the message (English; the catalogue has the Vietnamese).
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly status: number;
  /** Sent as `Retry-After` (429, 503): when the client may try again. */
  retryAfterSeconds?: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ReadonlyArray<CataloguedProblem>,
  ) {
    super(message ?? CODES[code].en);
    this.status = CODES[code].status;
  }
}

/** A problem the client may retry after some seconds (`Retry-After`). */
export function retryLater(code: ErrorCode, seconds: number, message?: string): HttpProblem {
  const problem = new HttpProblem(code, message);
  problem.retryAfterSeconds = Math.max(1, Math.ceil(seconds));
  return problem;
}

export function notFound(what: string): HttpProblem {
  return new HttpProblem('not_found', `${what} was not found.`);
}

export function validationFailed(details: ReadonlyArray<CataloguedProblem>, message?: string): HttpProblem {
  return new HttpProblem(
    'validation_failed',
    message ?? `The request is not valid: ${details.map((d) => `${d.path || '/'} ${d.message}`).join('; ')}.`,
    details,
  );
}

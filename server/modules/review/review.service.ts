import type { Logger } from 'pino';
import { HttpProblem, notFound } from '../../http/problem';
import type { ReviewStatus } from '../../../survey-forms/review-status';
import type { StoredResponse } from '../responses/response.model';
import type { ResponseRepository } from '../responses/response.repository';
import type { RoundRepository } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import type { AuthenticatedUser } from '../users/user.schema';
import type { AuditEntry, AuditRepository } from './audit.repository';
import type { ReviewRepository } from './review.repository';

export interface ReviewDeps {
  rounds: RoundRepository;
  responses: ResponseRepository;
  review: ReviewRepository;
  audit: AuditRepository;
  logger: Logger;
  /** Adds or removes the response's part in the tallies and asks for the figures (the aggregates module's countDecision). */
  countDecision: (change: { response: StoredResponse; from: ReviewStatus; to: ReviewStatus; decisionId: string }) => Promise<void>;
  now?: () => Date;
}

/** The provinces a user may review: a supervisor's own, everything for an admin. */
export function reviewScope(user: AuthenticatedUser): ReadonlyArray<string> | undefined {
  return user.role === 'admin' ? undefined : user.provinces;
}

/** Throws 403 unless the user may see this province's data. */
export function assertProvinceInScope(user: AuthenticatedUser, provinceCode: string): void {
  const scope = reviewScope(user);
  if (scope && !scope.includes(provinceCode)) throw new HttpProblem('forbidden', `Province ${provinceCode} is not one of your provinces.`);
}

/** The provinces a listing covers: the one asked for (which must be the user's) or all the user's. */
export function provincesToShow(user: AuthenticatedUser, province: string | undefined): ReadonlyArray<string> | undefined {
  if (province !== undefined) {
    assertProvinceInScope(user, province);
    return [province];
  }
  return reviewScope(user);
}

export async function listForReview(
  deps: ReviewDeps,
  user: AuthenticatedUser,
  roundId: string,
  query: { status: ReviewStatus; province?: string; offset: number; limit: number },
): Promise<{ total: number; responses: StoredResponse[] }> {
  const round = await getRound(deps, roundId);
  return deps.review.listByStatus(round.id, [query.status], provincesToShow(user, query.province), { offset: query.offset, limit: query.limit });
}

/** One response of the round, for a supervisor of its province. Another province's is a 403. */
export async function openResponse(deps: ReviewDeps, user: AuthenticatedUser, roundId: string, responseId: string): Promise<StoredResponse> {
  const round = await getRound(deps, roundId);
  const response = await deps.responses.findById(responseId);
  if (!response || response.roundId !== round.id) throw notFound(`Response ${responseId} of round ${roundId}`);
  assertProvinceInScope(user, response.provinceCode);
  return response;
}

/**
 * Approves or rejects a response. The decision carries the review state it was made on
 * (`expectedStatus`, what the supervisor's page showed) and applies only to that state: if the
 * response has moved on — another decision came first — it is a 409 `stale_decision` and nothing
 * changes, even between two requests racing (the write itself is conditional on that state). Only a
 * repeat of the user's own standing decision (a resend after a lost reply) is answered as done.
 * A decision goes to the audit log with the state before and after; then the response's part is
 * added to or removed from its province's tally (once, under the audit entry's id) and the figures
 * are asked for. If that fails, the decision stands and the worker's sweep repairs the tally.
 */
export async function decide(
  deps: ReviewDeps,
  user: AuthenticatedUser,
  roundId: string,
  responseId: string,
  body: { decision: 'approved' | 'rejected'; reason: string; expectedStatus: ReviewStatus },
): Promise<StoredResponse> {
  const response = await openResponse(deps, user, roundId, responseId);
  if (response.reviewStatus === 'unchecked') {
    throw new HttpProblem('not_checked_yet', `Response ${responseId} has not been checked yet; decide once its quality checks have run.`);
  }
  const ownStandingDecision = response.reviewStatus === body.decision && response.review?.by === user.username;
  if (response.reviewStatus !== body.expectedStatus && !ownStandingDecision) {
    throw new HttpProblem(
      'stale_decision',
      `Response ${responseId} is ${response.reviewStatus} now, not ${body.expectedStatus} as your page showed: someone decided meanwhile; reload it.`,
    );
  }
  if (response.reviewStatus === body.decision) return response;
  const at = (deps.now ?? (() => new Date()))();
  const reason = body.reason.trim();
  const after = await deps.review.recordDecision(response.id, response.reviewStatus, { decision: body.decision, reason, by: user.username, at });
  if (!after) throw new HttpProblem('stale_decision', `Response ${responseId} was decided by someone else meanwhile; reload it.`);
  const [entry] = await deps.audit.append([
    {
      at,
      actor: user.username,
      actorRole: user.role,
      action: body.decision === 'approved' ? 'response.approved' : 'response.rejected',
      roundId: response.roundId,
      provinceCode: response.provinceCode,
      subject: `response/${response.id}`,
      before: { reviewStatus: response.reviewStatus, review: response.review },
      after: { reviewStatus: after.reviewStatus, review: after.review },
      reason,
    },
  ]);
  try {
    await deps.countDecision({ response, from: response.reviewStatus, to: after.reviewStatus, decisionId: (entry as AuditEntry).id });
  } catch (error) {
    deps.logger.warn({ err: error, responseId }, 'could not count the review decision in the tallies or ask for the figures; the sweep will find it');
  }
  return after;
}

export async function readAuditLog(
  deps: ReviewDeps,
  user: AuthenticatedUser,
  roundId: string,
  query: { responseId?: string; province?: string; offset: number; limit: number },
): Promise<{ total: number; entries: AuditEntry[] }> {
  const round = await getRound(deps, roundId);
  const provinces = provincesToShow(user, query.province);
  if (query.responseId !== undefined) {
    // One response's history is as much the supervisor's as the response itself: another province's is a 403, as opening it is.
    const response = await deps.responses.findById(query.responseId);
    if (response && response.roundId === round.id) assertProvinceInScope(user, response.provinceCode);
  }
  return deps.audit.list(
    round.id,
    { ...(query.responseId ? { subject: `response/${query.responseId}` } : {}), ...(provinces ? { provinces } : {}) },
    { offset: query.offset, limit: query.limit },
  );
}

import type { Logger } from 'pino';
import { HttpProblem, notFound, validationFailed } from '../../http/problem';
import type { FormCatalogue } from '../../../survey-forms/catalogue';
import type { ReviewDecisionKind } from '../../../survey-forms/review-status';
import type { AssignmentRepository } from '../assignments/assignment.repository';
import type { PostOfficeRepository } from '../post-offices/post-office.repository';
import { scopeToShow } from '../post-offices/post-office.service';
import { fieldScopeOf, inFieldScope, narrowToProvince, type FieldPlace, type FieldScope } from '../../../survey-forms/field-scope';
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
  forms: FormCatalogue;
  assignments: AssignmentRepository;
  postOffices: PostOfficeRepository;
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

/** Throws 403 unless the user may see what lies at this place: its province, and for post-office staff their post office. */
export function assertInFieldScope(user: AuthenticatedUser, place: FieldPlace): void {
  assertProvinceInScope(user, place.provinceCode);
  if (!inFieldScope(fieldScopeOf(user), place)) throw new HttpProblem('forbidden', `This is not of your post office ${String(user.postOffice)}.`);
}

/** The part of the field a listing covers: the province asked for (which must be the user's) or all the user's, within their post office if they have one. */
export function provincesToShow(user: AuthenticatedUser, province: string | undefined): FieldScope {
  const scope = narrowToProvince(fieldScopeOf(user), province);
  if (!scope) throw new HttpProblem('forbidden', `Province ${String(province)} is not one of your provinces.`);
  return scope;
}

export async function listForReview(
  deps: ReviewDeps,
  user: AuthenticatedUser,
  roundId: string,
  query: { status: ReviewStatus; province?: string; postOffice?: string; offset: number; limit: number },
): Promise<{ total: number; responses: StoredResponse[] }> {
  const round = await getRound(deps, roundId);
  const scope = await scopeToShow(deps.postOffices, user, query);
  return deps.review.listByStatus(round.id, [query.status], scope, { offset: query.offset, limit: query.limit });
}

/** One response of the round, for a supervisor of its province. Another province's is a 403. */
export async function openResponse(deps: ReviewDeps, user: AuthenticatedUser, roundId: string, responseId: string): Promise<StoredResponse> {
  const round = await getRound(deps, roundId);
  const response = await deps.responses.findById(responseId);
  if (!response || response.roundId !== round.id) throw notFound(`Response ${responseId} of round ${roundId}`);
  assertInFieldScope(user, response);
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
  body: { decision: ReviewDecisionKind; reason: string; expectedStatus: ReviewStatus; comments?: Array<{ item: string; text: string }> | undefined },
): Promise<StoredResponse> {
  const response = await openResponse(deps, user, roundId, responseId);
  checkComments(deps, response, body);
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
  const comments = body.comments?.map((c) => ({ item: c.item, text: c.text.trim() }));
  const after = await deps.review.recordDecision(response.id, response.reviewStatus, { decision: body.decision, reason, by: user.username, at, ...(comments ? { comments } : {}) });
  if (!after) throw new HttpProblem('stale_decision', `Response ${responseId} was decided by someone else meanwhile; reload it.`);
  const [entry] = await deps.audit.append([
    {
      at,
      actor: user.username,
      actorRole: user.role,
      action: `response.${body.decision}`,
      roundId: response.roundId,
      provinceCode: response.provinceCode,
      postOffice: response.postOffice,
      subject: `response/${response.id}`,
      before: { reviewStatus: response.reviewStatus, review: response.review },
      after: { reviewStatus: after.reviewStatus, review: after.review },
      reason,
    },
  ]);
  if (body.decision === 'returned' && response.sampleUnitId !== null) {
    // The unit goes back to its enumerator's list, open again, so the corrected resend can complete it.
    await deps.assignments.reopen(response.roundId, response.sampleUnitId, response.id, at, user.username);
  }
  try {
    // The response as the decision left it: its double entry state (and verified answers) as of now, not as first read.
    await deps.countDecision({ response: after, from: response.reviewStatus, to: after.reviewStatus, decisionId: (entry as AuditEntry).id });
  } catch (error) {
    deps.logger.warn({ err: error, responseId }, 'could not count the review decision in the tallies or ask for the figures; the sweep will find it');
  }
  return after;
}

/** A returned response needs comments on items of its questionnaire; other decisions take none. */
function checkComments(
  deps: Pick<ReviewDeps, 'forms'>,
  response: StoredResponse,
  body: { decision: ReviewDecisionKind; comments?: ReadonlyArray<{ item: string; text: string }> | undefined },
): void {
  if (body.decision !== 'returned') {
    if (body.comments !== undefined) throw validationFailed([{ path: '/body/comments', code: 'not_allowed', message: 'only a returned response carries comments for its enumerator' }]);
    return;
  }
  if (body.comments === undefined) throw validationFailed([{ path: '/body/comments', code: 'required', message: 'say what to correct: at least one comment on an item' }]);
  const form = deps.forms.get(response.formId, response.formVersion);
  const problems = body.comments.flatMap((c, i) =>
    form && !form.itemById.has(c.item) ? [{ path: `/body/comments/${i}/item`, code: 'unknown_item' as const, message: `${c.item} is not an item of ${response.formId} ${response.formVersion}` }] : [],
  );
  if (problems.length > 0) throw validationFailed(problems);
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
    if (response && response.roundId === round.id) assertInFieldScope(user, response);
  }
  return deps.audit.list(
    round.id,
    { ...(query.responseId ? { subject: `response/${query.responseId}` } : {}), scope: provinces },
    { offset: query.offset, limit: query.limit },
  );
}

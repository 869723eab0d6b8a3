/**
 * Where a response stands in quality review. New responses are `unchecked`; the quality checks make
 * them `clear` or `flagged`; a supervisor turns a response `approved`, `rejected`, or `returned` (sent
 * back to its enumerator with comments, to be corrected and resent under a new response id).
 */
export const REVIEW_STATUSES = ['unchecked', 'clear', 'flagged', 'approved', 'rejected', 'returned'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** The review states whose responses count in tallies, figures and microdata. */
export const COUNTED_STATUSES: ReadonlyArray<ReviewStatus> = ['clear', 'approved'];

/** What a supervisor may decide. */
export const REVIEW_DECISIONS = ['approved', 'rejected', 'returned'] as const;
export type ReviewDecisionKind = (typeof REVIEW_DECISIONS)[number];

/**
 * The review states that take a response out of the figures for good, whatever its checks found: a
 * rejected response, and a returned one (its corrected resend, a new response, is what may count).
 */
export const WITHDRAWN_STATUSES: ReadonlyArray<ReviewStatus> = ['rejected', 'returned'];

/**
 * Whether a response in this review state is withdrawn from the figures by a decision: `returned`
 * leaves the figures exactly as `rejected` does. One predicate, so the tallies, the duplicate and
 * overlap checks and the progress counts all treat the two alike.
 */
export function isWithdrawn(status: ReviewStatus | null | undefined): boolean {
  return status === 'rejected' || status === 'returned';
}

/** Whether a response in this review state counts in tallies, figures and microdata. */
export function isCounted(status: ReviewStatus | null | undefined): boolean {
  return status === 'clear' || status === 'approved';
}

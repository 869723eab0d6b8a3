/**
 * Where a response stands in quality review. New responses are `unchecked`; the quality checks make
 * them `clear` or `flagged`; a supervisor turns a response `approved` or `rejected`.
 */
export const REVIEW_STATUSES = ['unchecked', 'clear', 'flagged', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** The review states whose responses count in tallies, figures and microdata. */
export const COUNTED_STATUSES: ReadonlyArray<ReviewStatus> = ['clear', 'approved'];

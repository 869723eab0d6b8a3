/**
 * How a respondent link stands, as the supervisor sees it. Pure: the service gathers the facts (the
 * link's record, whether its unit was completed, whether fieldwork is over), this decides.
 */

/** Every status a link may have, in the order the supervisor's filter lists them. */
export const LINK_STATUSES = ['not_opened', 'opened', 'draft_saved', 'submitted', 'completed_otherwise', 'expired', 'withdrawn'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

export interface LinkFacts {
  withdrawnAt: Date | null;
  usedAt: Date | null;
  openedAt: Date | null;
  draftSavedAt: Date | null;
  /** The unit has a response (interview, paper or online). */
  unitCompleted: boolean;
  /** Fieldwork is over, the round closed, or it no longer takes `cawi`. */
  expired: boolean;
}

/**
 * The link's status. What ended the link comes first (withdrawn, then answered through it, then the
 * unit completed otherwise, then expiry); an open link says how far the respondent got.
 */
export function linkStatus(facts: LinkFacts): LinkStatus {
  if (facts.withdrawnAt) return 'withdrawn';
  if (facts.usedAt) return 'submitted';
  if (facts.unitCompleted) return 'completed_otherwise';
  if (facts.expired) return 'expired';
  if (facts.draftSavedAt) return 'draft_saved';
  if (facts.openedAt) return 'opened';
  return 'not_opened';
}

/** Whether a link in this status can still be withdrawn or replaced: not once its unit is completed. */
export function linkCanBeReplaced(status: LinkStatus): boolean {
  return status !== 'submitted' && status !== 'completed_otherwise';
}

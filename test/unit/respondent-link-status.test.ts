import { LINK_STATUSES, linkCanBeReplaced, linkStatus, type LinkFacts } from '../../survey-forms/respondent-link-status';

const at = new Date('2026-09-01T08:00:00Z');
const fresh: LinkFacts = { withdrawnAt: null, usedAt: null, openedAt: null, draftSavedAt: null, unitCompleted: false, expired: false };

describe('the status of a respondent link', () => {
  test.each<[string, Partial<LinkFacts>, string]>([
    ['nothing happened', {}, 'not_opened'],
    ['the respondent opened it', { openedAt: at }, 'opened'],
    ['a draft was saved', { openedAt: at, draftSavedAt: at }, 'draft_saved'],
    ['the answers came through it (the unit is then completed too)', { openedAt: at, usedAt: at, unitCompleted: true }, 'submitted'],
    ['the unit was completed by an interview or a paper form', { openedAt: at, draftSavedAt: at, unitCompleted: true }, 'completed_otherwise'],
    ['fieldwork is over', { openedAt: at, draftSavedAt: at, expired: true }, 'expired'],
    ['it was withdrawn, even after expiry', { openedAt: at, withdrawnAt: at, expired: true }, 'withdrawn'],
    ['it was answered before fieldwork ended', { usedAt: at, unitCompleted: true, expired: true }, 'submitted'],
  ])('when %s, then it is %s', (_what, facts, status) => {
    expect(linkStatus({ ...fresh, ...facts })).toBe(status);
  });

  test('when the unit is completed, then its link can no longer be withdrawn or replaced; otherwise it can', () => {
    expect(LINK_STATUSES.filter((s) => !linkCanBeReplaced(s))).toEqual(['submitted', 'completed_otherwise']);
  });
});

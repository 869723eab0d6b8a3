import type { Answers } from '../../src/form-model';

/**
 * The respondent's draft, kept in this device's localStorage under the link: answers, where they
 * were, the response id made once when they agreed (so a re-send is the same response) and the
 * clock of the paradata. Reloading, closing the tab or losing the network loses nothing.
 */
export interface RespondentDraft {
  responseId: string;
  startedAt: string;
  answers: Answers;
  sectionIndex: number;
  savedAt: string;
}

const keyOf = (token: string): string => `sipas-respond:${token}`;

export function loadDraft(token: string): RespondentDraft | undefined {
  try {
    const raw = localStorage.getItem(keyOf(token));
    if (!raw) return undefined;
    const draft = JSON.parse(raw) as Partial<RespondentDraft>;
    if (typeof draft.responseId !== 'string' || typeof draft.startedAt !== 'string' || typeof draft.answers !== 'object' || draft.answers === null) return undefined;
    return { responseId: draft.responseId, startedAt: draft.startedAt, answers: draft.answers, sectionIndex: Number(draft.sectionIndex) || 0, savedAt: String(draft.savedAt ?? draft.startedAt) };
  } catch {
    return undefined;
  }
}

export function storeDraft(token: string, draft: RespondentDraft): void {
  localStorage.setItem(keyOf(token), JSON.stringify(draft));
}

/** Once the server has the answers, the device keeps none of them. */
export function forgetDraft(token: string): void {
  localStorage.removeItem(keyOf(token));
}

import type { ProvinceReference } from '../../../survey-forms/provinces';
import type { StoredResponse } from '../responses/response.model';
import type { RoundRecord } from '../rounds/round.repository';
import type { AuditEntry } from './audit.repository';

function provinceName(provinces: ProvinceReference, round: RoundRecord, code: string): string {
  return provinces.province(round.boundaryEdition, code)?.name ?? code;
}

export function presentReviewItem(r: StoredResponse, round: RoundRecord, provinces: ProvinceReference) {
  return {
    id: r.id,
    roundId: r.roundId,
    provinceCode: r.provinceCode,
    provinceName: provinceName(provinces, round, r.provinceCode),
    sampleUnitId: r.sampleUnitId,
    postOffice: r.postOffice,
    correctsResponseId: r.correctsResponseId,
    correctedByResponseId: r.correctedByResponseId,
    submittedBy: r.submittedBy,
    interviewStartedAt: r.interviewStartedAt.toISOString(),
    interviewEndedAt: r.interviewEndedAt.toISOString(),
    storedAt: r.storedAt.toISOString(),
    reviewStatus: r.reviewStatus,
    qualityFlags: r.qualityFlags.map((f) => ({ rule: f.rule, message: f.message, evidence: f.evidence })),
    review: r.review
      ? { decision: r.review.decision, reason: r.review.reason, by: r.review.by, at: new Date(r.review.at).toISOString(), comments: r.review.comments ?? [] }
      : null,
  };
}

/** Answers and paradata: what the interview recorded. Nothing of the sample list's contacts. */
export function presentReviewResponse(r: StoredResponse, round: RoundRecord, provinces: ProvinceReference) {
  return { ...presentReviewItem(r, round, provinces), formId: r.formId, formVersion: r.formVersion, answers: r.answers, paradata: r.paradata };
}

export function presentAuditEntry(e: AuditEntry) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actor: e.actor,
    actorRole: e.actorRole,
    action: e.action,
    roundId: e.roundId,
    provinceCode: e.provinceCode,
    subject: e.subject,
    before: e.before,
    after: e.after,
    reason: e.reason,
  };
}

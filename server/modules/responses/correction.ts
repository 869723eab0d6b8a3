/**
 * The review loop's far end: a response returned to its enumerator comes back corrected under a new
 * response id naming the returned one (`correctsResponseId`). The correction is checked like any
 * response; the returned one is marked with its correction, and the audit log holds both ends.
 */
import type { CataloguedProblem } from '../../../survey-forms/ajv';
import type { AuditRepository } from '../review/audit.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import type { StoredResponse } from './response.model';
import type { ResponseRepository } from './response.repository';

/** What a correction item claims. */
export interface CorrectionClaim {
  id: string;
  roundId: string;
  provinceCode: string;
  sampleUnitId?: string | undefined;
  correctsResponseId?: string | undefined;
}

/**
 * The problems of a correction: it must name a response of the same round, returned to this very
 * user, not corrected by another response yet, and about the same unit and province. Pure.
 */
export function correctionProblems(user: AuthenticatedUser, item: CorrectionClaim, returned: StoredResponse | undefined): CataloguedProblem[] {
  if (item.correctsResponseId === undefined) return [];
  const path = '/correctsResponseId';
  if (!returned || returned.roundId !== item.roundId || returned.submittedBy !== user.username || returned.reviewStatus !== 'returned') {
    return [{ path, code: 'not_returned', message: `${item.correctsResponseId} is not a response of round ${item.roundId} returned to you` }];
  }
  if (returned.correctedByResponseId !== null && returned.correctedByResponseId !== item.id) {
    return [{ path, code: 'already_corrected', message: `${returned.id} is already corrected by response ${returned.correctedByResponseId}` }];
  }
  const problems: CataloguedProblem[] = [];
  if ((item.sampleUnitId ?? null) !== returned.sampleUnitId) {
    problems.push({ path: '/sampleUnitId', code: 'not_allowed', message: `a correction is of the returned response's unit ${String(returned.sampleUnitId)}` });
  }
  if (item.provinceCode !== returned.provinceCode) {
    problems.push({ path: '/provinceCode', code: 'wrong_province', message: `a correction is of the returned response's province ${returned.provinceCode}` });
  }
  return problems;
}

/** Links each accepted correction to the response it corrects, and writes the receiving end to the audit log. */
export async function linkCorrections(
  deps: { responses: ResponseRepository; audit: AuditRepository },
  user: AuthenticatedUser,
  accepted: ReadonlyArray<StoredResponse>,
  at: Date,
): Promise<void> {
  const corrections = accepted.filter((r) => r.correctsResponseId !== null);
  if (corrections.length === 0) return;
  const linked = await deps.responses.linkCorrections(corrections.map((r) => ({ returnedId: r.correctsResponseId as string, correctionId: r.id })));
  await deps.audit.append(
    corrections
      .filter((r) => linked.has(r.id))
      .map((r) => ({
        at,
        actor: user.username,
        actorRole: user.role,
        action: 'response.correction-received' as const,
        roundId: r.roundId,
        provinceCode: r.provinceCode,
        postOffice: r.postOffice,
        subject: `response/${r.correctsResponseId as string}`,
        before: { correctedByResponseId: null },
        after: { correctedByResponseId: r.id },
        reason: null,
      })),
  );
}

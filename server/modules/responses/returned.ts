/** A response returned to its enumerator, as the device shows it: what was sent, and what to correct. */
import { Type, type Static } from '@sinclair/typebox';
import { ReviewComment } from '../review/review.schema';
import { RoundId } from '../rounds/round.schema';
import { ProvinceCode, Username } from '../users/user.schema';
import type { StoredResponse } from './response.model';

export const ReturnedResponseView = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The returned response; name it in `correctsResponseId` of the correction.' }),
  roundId: RoundId,
  formId: Type.String(),
  formVersion: Type.String(),
  provinceCode: ProvinceCode,
  sampleUnitId: Type.Union([Type.String(), Type.Null()]),
  answers: Type.Record(Type.String(), Type.Unknown()),
  returnedBy: Username,
  returnedAt: Type.String({ format: 'date-time' }),
  reason: Type.String(),
  comments: Type.Array(ReviewComment),
});
export type ReturnedResponseView = Static<typeof ReturnedResponseView>;
export const ReturnedReply = Type.Object({ returned: Type.Array(ReturnedResponseView) });

export function presentReturned(r: StoredResponse): ReturnedResponseView {
  return {
    id: r.id,
    roundId: r.roundId,
    formId: r.formId,
    formVersion: r.formVersion,
    provinceCode: r.provinceCode,
    sampleUnitId: r.sampleUnitId,
    answers: r.answers,
    returnedBy: r.review?.by ?? '',
    returnedAt: (r.review ? new Date(r.review.at) : r.storedAt).toISOString(),
    reason: r.review?.reason ?? '',
    comments: r.review?.comments ?? [],
  };
}

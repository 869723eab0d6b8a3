/** Review queries over stored responses: the supervisors' queue, their decisions, and counts by review state. */
import type { Connection } from 'mongoose';
import type { FieldScope } from '../../../survey-forms/field-scope';
import type { ReviewStatus } from '../../../survey-forms/review-status';
import { scopeMatch } from '../../db/scope-match';
import { countedFilter, responseModelOn, toStored, type ResponseDoc, type ReviewDecision, type StoredResponse } from '../responses/response.model';

export type ReviewRepository = ReturnType<typeof createReviewRepository>;

export function createReviewRepository(connection: Connection) {
  const Responses = responseModelOn(connection);
  return {
    /** A page of a round's responses in one review state, within some provinces, oldest first. */
    async listByStatus(
      roundId: string,
      statuses: ReadonlyArray<ReviewStatus>,
      scope: FieldScope | undefined,
      page: { offset: number; limit: number },
    ): Promise<{ total: number; responses: StoredResponse[] }> {
      const q = { roundId, reviewStatus: { $in: [...statuses, ...(statuses.includes('unchecked') ? [null] : [])] }, ...scopeMatch(scope) };
      const [total, docs] = await Promise.all([
        Responses.countDocuments(q),
        Responses.find(q).sort({ storedAt: 1, _id: 1 }).skip(page.offset).limit(page.limit).lean(),
      ]);
      return { total, responses: docs.map((d) => toStored(d as unknown as ResponseDoc)) };
    },
    /**
     * Records a supervisor's decision, only if the response is still in the state the supervisor saw
     * (`from`): two supervisors deciding at once cannot both win. Returns the response afterwards, or
     * undefined when its state had changed.
     */
    async recordDecision(id: string, from: ReviewStatus, decision: ReviewDecision): Promise<StoredResponse | undefined> {
      const doc = await Responses.findOneAndUpdate(
        { _id: id, reviewStatus: from },
        { $set: { reviewStatus: decision.decision, review: decision } },
        { returnDocument: 'after' },
      ).lean();
      return doc ? toStored(doc as unknown as ResponseDoc) : undefined;
    },
    /**
     * The round's stored responses grouped by review status, and how many of each count in the figures:
     * what a download's metadata says was included and what was left out. Status null: never reviewed.
     */
    async reviewBreakdown(roundId: string): Promise<Array<{ reviewStatus: string | null; stored: number; counted: number }>> {
      const group = [{ $group: { _id: { $ifNull: ['$reviewStatus', null] }, n: { $sum: 1 } } }];
      const [stored, counted] = await Promise.all([
        Responses.aggregate<{ _id: string | null; n: number }>([{ $match: { roundId } }, ...group]),
        Responses.aggregate<{ _id: string | null; n: number }>([{ $match: countedFilter(roundId) }, ...group]),
      ]);
      const countedOf = new Map(counted.map((r) => [r._id, r.n]));
      return stored
        .map((r) => ({ reviewStatus: r._id, stored: r.n, counted: countedOf.get(r._id) ?? 0 }))
        .sort((a, b) => String(a.reviewStatus).localeCompare(String(b.reviewStatus)));
    },
  };
}

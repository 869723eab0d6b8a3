/** What the quality checks read and record on stored responses: overlapping interviews, unchecked ones, verdicts. */
import type { Connection } from 'mongoose';
import { overlapWindows, type QualityFlag } from '../../../survey-forms/quality-rules';
import { WITHDRAWN_STATUSES } from '../../../survey-forms/review-status';
import { responseModelOn, UNCHECKED } from '../responses/response.model';

export type QualityCheckRepository = ReturnType<typeof createQualityCheckRepository>;

export function createQualityCheckRepository(connection: Connection) {
  const Responses = responseModelOn(connection);
  return {
    /**
     * Interviews of some enumerators in a round that overlap each one's [start, end] at all (rejected
     * and returned ones left out), by enumerator. One window of start times per enumerator and length class, each
     * bounded on both sides and walked on the index {roundId, submittedBy, interviewLengthClass,
     * interviewStartedAt}: what is read is the interviews that began shortly before or during each
     * span, however long the enumerators' histories. Only the classes these enumerators have are asked
     * (a distinct over the same index's prefix: a seek per value), usually one or two. Two queries per batch.
     */
    async interviewsOverlapping(
      roundId: string,
      spans: ReadonlyArray<{ submittedBy: string; start: Date; end: Date }>,
    ): Promise<Map<string, Array<{ responseId: string; startedAt: Date; endedAt: Date }>>> {
      const found = new Map<string, Array<{ responseId: string; startedAt: Date; endedAt: Date }>>();
      if (spans.length === 0) return found;
      const classes = new Set(await Responses.distinct<'interviewLengthClass'>('interviewLengthClass', { roundId, submittedBy: { $in: spans.map((s) => s.submittedBy) } }));
      const branches = spans.flatMap(({ submittedBy, start, end }) =>
        overlapWindows(start, end)
          .filter((w) => classes.has(w.lengthClass))
          .map((w) => ({ roundId, submittedBy, interviewLengthClass: w.lengthClass, interviewStartedAt: { $gt: w.startedAfter, $lt: w.startedBefore } })),
      );
      if (branches.length === 0) return found;
      const docs = await Responses.find({ $or: branches, reviewStatus: { $nin: [...WITHDRAWN_STATUSES] } }, { submittedBy: 1, interviewStartedAt: 1, interviewEndedAt: 1 }).lean();
      for (const d of docs) {
        const list = found.get(d.submittedBy) ?? [];
        list.push({ responseId: d._id, startedAt: d.interviewStartedAt, endedAt: d.interviewEndedAt });
        found.set(d.submittedBy, list);
      }
      return found;
    },
    /** Keyed paper forms of a round whose answers hash to one of these (rejected ones left out). */
    async keyedFormsWithAnswers(roundId: string, answersHashes: ReadonlyArray<string>): Promise<Array<{ id: string; answersHash: string }>> {
      if (answersHashes.length === 0) return [];
      const docs = await Responses.find({ roundId, answersHash: { $in: [...answersHashes] }, mode: 'papi', reviewStatus: { $ne: 'rejected' } }, { answersHash: 1 }).lean();
      return docs.map((d) => ({ id: d._id, answersHash: String(d.answersHash) }));
    },
    /** Unchecked responses per round, oldest first: what the sweep hands to the quality checks. */
    async uncheckedIds(limit: number): Promise<Array<{ roundId: string; id: string }>> {
      const docs = await Responses.find({ reviewStatus: UNCHECKED }, { roundId: 1 }).sort({ storedAt: 1, _id: 1 }).limit(limit).lean();
      return docs.map((d) => ({ roundId: d.roundId, id: d._id }));
    },
    /**
     * Unchecked responses of one round, oldest first, leaving out `except`: what a check job takes
     * along besides its own batch (index {roundId, reviewStatus, storedAt, _id}).
     */
    async uncheckedIdsOfRound(roundId: string, limit: number, except: ReadonlyArray<string>): Promise<string[]> {
      if (limit <= 0) return [];
      const docs = await Responses.find({ roundId, reviewStatus: UNCHECKED, _id: { $nin: [...except] } }, { _id: 1 }).sort({ storedAt: 1, _id: 1 }).limit(limit).lean();
      return docs.map((d) => d._id);
    },
    /**
     * Records the quality checks' verdicts, in one round trip, on responses still unchecked (a verdict
     * never replaces another, nor a decision), each marked with the check's key. Returns how many were recorded now.
     */
    async recordChecks(verdicts: ReadonlyArray<{ id: string; flags: ReadonlyArray<QualityFlag> }>, at: Date, checkKey: string): Promise<number> {
      if (verdicts.length === 0) return 0;
      const result = await Responses.bulkWrite(
        verdicts.map(({ id, flags }) => ({
          updateOne: {
            filter: { _id: id, reviewStatus: UNCHECKED },
            update: { $set: { reviewStatus: flags.length > 0 ? 'flagged' : 'clear', qualityFlags: [...flags], checkedAt: at, checkedBy: checkKey } },
          },
        })),
        { ordered: false },
      );
      return result.modifiedCount;
    },
  };
}

/**
 * Per-province counts of the responses the figures leave out (unchecked, flagged, rejected), so the
 * figures API reads at most one small document per province and never counts the round.
 *
 * Why counts recounted with the tallies, not counters moved by every write: without multi-document
 * transactions a counter moved beside each response write drifts whenever a process dies between the
 * two writes, and a check job's bulk write does not say which of its responses it changed. Instead the
 * aggregation use case recounts a province each time it tallies it — after every checked batch and
 * every review decision, which both recompute their province — under the same aggregation number as
 * the tally (only a higher number replaces), so the counts are exact whenever the figures are and
 * describe the same moment. A recount reads only the province's responses in those three states (a
 * covered range of {roundId, provinceCode, reviewStatus, …}), never the counted ones. Between a
 * submission and its check, the API adds the batch's responses to `unchecked` so the reply shows them
 * at once; the recount after their check replaces that with the exact figure.
 */
import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../db/model';
import { replaceIfNewer } from '../../db/replace-if-newer';
import { responseModelOn } from '../responses/response.model';
import { touchRoundReplies } from '../rounds/replies-generation';

const reviewCountSchema = new Schema(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    provinceCode: { type: String, required: true },
    /** Aggregation number of the recount; 0 before the first one. */
    seq: { type: Number, required: true },
    unchecked: { type: Number, required: true },
    flagged: { type: Number, required: true },
    rejected: { type: Number, required: true },
  },
  { versionKey: false, collection: 'review_counts' },
);
reviewCountSchema.index({ roundId: 1, provinceCode: 1 });

export interface ReviewCounts {
  unchecked: number;
  flagged: number;
  rejected: number;
}

export type ReviewCountRepository = ReturnType<typeof createReviewCountRepository>;

const countId = (roundId: string, provinceCode: string): string => `${roundId}|${provinceCode}`;

export function createReviewCountRepository(connection: Connection) {
  const Counts = modelOn(connection, 'ReviewCount', reviewCountSchema);
  const Responses = responseModelOn(connection);
  return {
    /**
     * Recounts one province's responses left out of the figures and stores the counts under `seq`
     * (only over a lower one). Legacy responses without a review status count as unchecked.
     */
    async recount(roundId: string, provinceCode: string, seq: number): Promise<ReviewCounts> {
      const rows = await Responses.aggregate<{ _id: string | null; n: number }>([
        { $match: { roundId, provinceCode, reviewStatus: { $in: ['unchecked', 'flagged', 'rejected', null] } } },
        { $group: { _id: '$reviewStatus', n: { $sum: 1 } } },
      ]);
      const counts: ReviewCounts = { unchecked: 0, flagged: 0, rejected: 0 };
      for (const { _id, n } of rows) {
        if (_id === 'flagged' || _id === 'rejected') counts[_id] += n;
        else counts.unchecked += n;
      }
      if (await replaceIfNewer(Counts, countId(roundId, provinceCode), seq, { roundId, provinceCode, ...counts })) await touchRoundReplies(connection, roundId);
      return counts;
    },
    /**
     * Adds just-stored responses to their provinces' unchecked counts, until the recount after their
     * check: one round trip for the whole batch, whatever its provinces (a batch spread over 63 made 63).
     */
    async addUnchecked(roundId: string, byProvince: ReadonlyMap<string, number>): Promise<void> {
      const adds = [...byProvince].map(([provinceCode, n]) => ({
        updateOne: {
          filter: { _id: countId(roundId, provinceCode) },
          update: { $inc: { unchecked: n }, $setOnInsert: { roundId, provinceCode, seq: 0, flagged: 0, rejected: 0 } },
          upsert: true,
        },
      }));
      if (adds.length === 0) return;
      try {
        await Counts.bulkWrite(adds, { ordered: false });
      } catch (error) {
        // Two first submissions of a province at once: the other created the document; add again, now as an update.
        const writeErrors = (error as { writeErrors?: Array<{ index?: number; code?: number; err?: { index?: number; code?: number } }> }).writeErrors;
        if (!writeErrors || writeErrors.length === 0) throw error;
        const again = writeErrors.map((we) => {
          if ((we.code ?? we.err?.code) !== 11000) throw error;
          return adds[(we.index ?? we.err?.index) as number];
        });
        if (again.some((a) => a === undefined)) throw error;
        await Counts.bulkWrite(again as typeof adds, { ordered: false });
      }
      await touchRoundReplies(connection, roundId);
    },
    /** The stored counts of every province of a round (at most one document per province). */
    async ofRound(roundId: string): Promise<Array<{ provinceCode: string } & ReviewCounts>> {
      const docs = await Counts.find({ roundId }, { provinceCode: 1, unchecked: 1, flagged: 1, rejected: 1 }).sort({ provinceCode: 1 }).lean();
      return docs.map((d) => ({ provinceCode: d.provinceCode, unchecked: d.unchecked, flagged: d.flagged, rejected: d.rejected }));
    },
  };
}

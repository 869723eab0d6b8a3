/** What tallies are made from: the counted responses of a round, and how they changed since a tally read them. */
import type { Connection } from 'mongoose';
import type { TalliedResponse } from '../../../survey-forms/tally';
import { UNVERIFIED_STATES } from '../../../survey-forms/keying';
import type { ResponseMode } from '../../../survey-forms/modes';
import { countedFilter, responseModelOn } from '../responses/response.model';

export type TallyFeedRepository = ReturnType<typeof createTallyFeedRepository>;

export function createTallyFeedRepository(connection: Connection) {
  const Responses = responseModelOn(connection);
  return {
    /**
     * Responses of a round's province that count in the figures, streamed from a cursor in id order:
     * the same stored responses are always read, and summed, in the same order.
     */
    streamForTally(roundId: string, provinceCode: string): AsyncIterable<TalliedResponse> {
      return Responses.find(countedFilter(roundId, provinceCode), { provinceCode: 1, answers: 1, weight: 1, mode: 1 }).sort({ _id: 1 }).lean().cursor() as AsyncIterable<TalliedResponse>;
    },
    /**
     * The round's cells per province: how many distinct (respondent type, serving level, service
     * field, mode) combinations each province's responses fall in. A full recompute counts its progress in these.
     */
    async cellCounts(roundId: string, dimensionItems: ReadonlyArray<string>): Promise<Map<string, number>> {
      const rows = await Responses.aggregate<{ _id: string; cells: number }>([
        { $match: countedFilter(roundId) },
        {
          $group: {
            _id: {
              provinceCode: '$provinceCode',
              ...Object.fromEntries(dimensionItems.map((item, i) => [`d${i}`, `$answers.${item}`])),
              mode: { $ifNull: ['$mode', 'capi'] },
            },
          },
        },
        { $group: { _id: '$_id.provinceCode', cells: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id, r.cells]));
    },
    /** How many responses a round has and when the last was stored: what a full recompute would read. */
    async roundState(roundId: string): Promise<{ responses: number; latestStoredAt: Date | null }> {
      const rows = await Responses.aggregate<{ responses: number; latest: Date }>([
        { $match: countedFilter(roundId) },
        { $group: { _id: null, responses: { $sum: 1 }, latest: { $max: '$storedAt' } } },
      ]);
      const row = rows[0];
      return { responses: row?.responses ?? 0, latestStoredAt: row?.latest ?? null };
    },
    /**
     * Per round and province, the latest time a response was stored, checked or decided on after
     * `since`: the provinces whose counted responses may have changed.
     */
    async latestStoredSince(since: Date): Promise<Array<{ roundId: string; provinceCode: string; latest: Date }>> {
      const rows = await Responses.aggregate<{ _id: { roundId: string; provinceCode: string }; latest: Date }>([
        { $match: { $or: [{ storedAt: { $gt: since } }, { checkedAt: { $gt: since } }, { 'review.at': { $gt: since } }] } },
        { $group: { _id: { roundId: '$roundId', provinceCode: '$provinceCode' }, latest: { $max: '$storedAt' } } },
      ]);
      return rows.map((r) => ({ roundId: r._id.roundId, provinceCode: r._id.provinceCode, latest: r.latest }));
    },
    /**
     * Of the given responses, those whose quality verdict the check `checkKey` recorded, with what a
     * tally needs and how many flags the verdict found. Bounded by the batch: read by id.
     */
    async checkedBy(roundId: string, checkKey: string, ids: ReadonlyArray<string>): Promise<Array<TalliedResponse & { qualityFlagCount: number }>> {
      // A keyed form awaiting its second keying or verification counts only once verified (its province is re-tallied then).
      const docs = await Responses.find({ _id: { $in: [...ids] }, roundId, checkedBy: checkKey, verification: { $nin: [...UNVERIFIED_STATES] } }, { provinceCode: 1, answers: 1, weight: 1, mode: 1, qualityFlags: 1 }).lean();
      return docs.map((d) => ({
        provinceCode: d.provinceCode,
        answers: d.answers as Record<string, unknown>,
        ...(typeof d.weight === 'number' ? { weight: d.weight } : {}),
        ...(d.mode ? { mode: d.mode as ResponseMode } : {}),
        qualityFlagCount: (d.qualityFlags ?? []).length,
      }));
    },
    /** How many responses of a round's province count in the figures (what a fresh tally would read). */
    async countForTally(roundId: string, provinceCode: string): Promise<number> {
      return Responses.countDocuments(countedFilter(roundId, provinceCode));
    },
  };
}

import { Schema, type Connection } from 'mongoose';
import { isDuplicateKeyError } from '../../db/errors';
import { modelOn } from '../../db/model';
import type { TalliedResponse } from '../../../survey-forms/tally';
import { MICRODATA_PROJECTION, type MicrodataSource } from '../exports/microdata';

const responseSchema = new Schema(
  {
    /** The device-generated UUID: the unique index that makes a re-send harmless. */
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    formId: { type: String, required: true },
    formVersion: { type: String, required: true },
    provinceCode: { type: String, required: true },
    answers: { type: Schema.Types.Mixed, required: true },
    paradata: { type: Schema.Types.Mixed, required: true },
    /** Design weight, when the sample gave one; absent counts as 1. */
    weight: { type: Number },
    /** The sample unit interviewed, when the response names one. */
    sampleUnitId: { type: String, default: null },
    /** SHA-256 of the submitted item in canonical JSON: tells a re-send from a conflicting one. */
    contentHash: { type: String, required: true },
    submittedBy: { type: String, required: true },
    storedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'responses', minimize: false },
);
// _id last: a province's responses are tallied in id order, so a recompute reads them identically.
responseSchema.index({ roundId: 1, provinceCode: 1, _id: 1 });
responseSchema.index({ storedAt: 1 });

export interface StoredResponse {
  id: string;
  roundId: string;
  formId: string;
  formVersion: string;
  provinceCode: string;
  answers: Record<string, unknown>;
  paradata: Record<string, unknown>;
  weight?: number;
  sampleUnitId: string | null;
  contentHash: string;
  submittedBy: string;
  storedAt: Date;
}

/**
 * The responses a tally reads (of one province, or of the whole round). One filter for the tally, the
 * sweep's count and a full recompute's, so they agree. Microdata exports read the same responses.
 */
export function countedFilter(roundId: string, provinceCode?: string) {
  return { roundId, ...(provinceCode !== undefined ? { provinceCode } : {}) };
}

export type ResponseRepository = ReturnType<typeof createResponseRepository>;

export function createResponseRepository(connection: Connection) {
  const Responses = modelOn(connection, 'Response', responseSchema);
  return {
    model: Responses,
    /** Content hashes of those ids that are already stored. */
    async findHashes(ids: ReadonlyArray<string>): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const docs = await Responses.find({ _id: { $in: ids } }, { contentHash: 1 }).lean();
      return new Map(docs.map((d) => [d._id, d.contentHash]));
    },
    /**
     * Inserts responses; returns the ids refused by the unique index (stored meanwhile by a
     * concurrent request). Any other failure is thrown.
     */
    async insertNew(responses: ReadonlyArray<StoredResponse>): Promise<Set<string>> {
      const rejected = new Set<string>();
      if (responses.length === 0) return rejected;
      try {
        await Responses.insertMany(
          responses.map(({ id, ...rest }) => ({ _id: id, ...rest })),
          { ordered: false, rawResult: false, lean: true },
        );
      } catch (error) {
        const writeErrors = (error as { writeErrors?: Array<{ index?: number; code?: number; err?: { index?: number; code?: number } }> }).writeErrors;
        if (!writeErrors) throw error;
        for (const we of writeErrors) {
          const index = we.index ?? we.err?.index;
          const code = we.code ?? we.err?.code;
          if (code !== 11000 || index === undefined) throw error;
          const response = responses[index];
          if (response) rejected.add(response.id);
        }
        if (rejected.size === 0 && !isDuplicateKeyError(error)) throw error;
      }
      return rejected;
    },
    /**
     * Responses of a round's province that count in the figures, streamed from a cursor in id order:
     * the same stored responses are always read, and summed, in the same order.
     */
    streamForTally(roundId: string, provinceCode: string): AsyncIterable<TalliedResponse> {
      return Responses.find(countedFilter(roundId, provinceCode), { provinceCode: 1, answers: 1, weight: 1 }).sort({ _id: 1 }).lean().cursor() as AsyncIterable<TalliedResponse>;
    },
    /**
     * The round's cells per province: how many distinct (respondent type, serving level, service
     * field) combinations each province's responses fall in. A full recompute counts its progress in these.
     */
    async cellCounts(roundId: string, dimensionItems: ReadonlyArray<string>): Promise<Map<string, number>> {
      const rows = await Responses.aggregate<{ _id: string; cells: number }>([
        { $match: countedFilter(roundId) },
        {
          $group: {
            _id: { provinceCode: '$provinceCode', ...Object.fromEntries(dimensionItems.map((item, i) => [`d${i}`, `$answers.${item}`])) },
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
    /** Per round and province, the latest time a response was stored after `since`. */
    async latestStoredSince(since: Date): Promise<Array<{ roundId: string; provinceCode: string; latest: Date }>> {
      const rows = await Responses.aggregate<{ _id: { roundId: string; provinceCode: string }; latest: Date }>([
        { $match: { storedAt: { $gt: since } } },
        { $group: { _id: { roundId: '$roundId', provinceCode: '$provinceCode' }, latest: { $max: '$storedAt' } } },
      ]);
      return rows.map((r) => ({ roundId: r._id.roundId, provinceCode: r._id.provinceCode, latest: r.latest }));
    },
    /** How many responses of a round's province count in the figures (what a fresh tally would read). */
    async countForTally(roundId: string, provinceCode: string): Promise<number> {
      return Responses.countDocuments(countedFilter(roundId, provinceCode));
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
    /**
     * Counted responses of a round by province, then id (the tally's index serves the sort), with only
     * what microdata may show.
     */
    streamForMicrodata(roundId: string, batchSize = 1000): AsyncIterable<MicrodataSource> {
      return Responses.find(countedFilter(roundId), MICRODATA_PROJECTION).sort({ provinceCode: 1, _id: 1 }).lean().cursor({ batchSize }) as AsyncIterable<MicrodataSource>;
    },
    async countCounted(roundId: string): Promise<number> {
      return Responses.countDocuments(countedFilter(roundId));
    },
    async countByRound(roundId: string): Promise<number> {
      return Responses.countDocuments({ roundId });
    },
  };
}

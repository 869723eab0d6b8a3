/** Storing responses: what the submission and the quality checks read and write of one response. */
import type { Connection, mongo } from 'mongoose';
import { WITHDRAWN_STATUSES } from '../../../survey-forms/review-status';
import { isDuplicateKeyError } from '../../db/errors';
import { responseModelOn, toStored, type ResponseDoc, type StoredResponse } from './response.model';

export type ResponseRepository = ReturnType<typeof createResponseRepository>;

export function createResponseRepository(connection: Connection) {
  const Responses = responseModelOn(connection);
  return {
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
        // The driver's insert: the documents are complete as built, so Mongoose's casting, defaults and hydration would add nothing.
        await (Responses.collection as unknown as mongo.Collection<{ _id: string }>).insertMany(
          responses.map(({ id, ...rest }) => ({ _id: id, ...rest })),
          { ordered: false },
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
    async findById(id: string): Promise<StoredResponse | undefined> {
      const doc = await Responses.findById(id).lean();
      return doc ? toStored(doc as unknown as ResponseDoc) : undefined;
    },
    async findByIds(ids: ReadonlyArray<string>): Promise<StoredResponse[]> {
      if (ids.length === 0) return [];
      const docs = await Responses.find({ _id: { $in: [...ids] } }).sort({ _id: 1 }).lean();
      return docs.map((d) => toStored(d as unknown as ResponseDoc));
    },
    /** Ids of other responses of a round for these sample units (rejected and returned ones left out: they no longer count). */
    async othersForSampleUnits(roundId: string, unitIds: ReadonlyArray<string>): Promise<Array<{ id: string; sampleUnitId: string }>> {
      if (unitIds.length === 0) return [];
      const docs = await Responses.find({ roundId, sampleUnitId: { $in: [...unitIds] }, reviewStatus: { $nin: [...WITHDRAWN_STATUSES] } }, { sampleUnitId: 1 }).lean();
      return docs.map((d) => ({ id: d._id, sampleUnitId: String(d.sampleUnitId) }));
    },
    /** Marks returned responses with their corrections (only while not corrected by another); returns the correction ids linked. */
    async linkCorrections(links: ReadonlyArray<{ returnedId: string; correctionId: string }>): Promise<Set<string>> {
      const linked = new Set<string>();
      for (const link of links) {
        const result = await Responses.updateOne(
          { _id: link.returnedId, reviewStatus: 'returned', correctedByResponseId: { $in: [null, link.correctionId] } },
          { $set: { correctedByResponseId: link.correctionId } },
        );
        if (result.matchedCount === 1) linked.add(link.correctionId);
      }
      return linked;
    },
    /** Responses returned to a user and not corrected yet, oldest decision first. */
    async returnedTo(username: string, roundIds: ReadonlyArray<string>): Promise<StoredResponse[]> {
      const docs = await Responses.find({ submittedBy: username, reviewStatus: 'returned', roundId: { $in: [...roundIds] }, correctedByResponseId: null })
        .sort({ 'review.at': 1, _id: 1 })
        .lean();
      return docs.map((d) => toStored(d as unknown as ResponseDoc));
    },
    async countByRound(roundId: string): Promise<number> {
      return Responses.countDocuments({ roundId });
    },
  };
}

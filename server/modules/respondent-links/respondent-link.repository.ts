import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../db/model';

/**
 * The respondent_links collection: one document per issued link, keyed by the SHA-256 of its token
 * (the token itself is never stored). Use (the response that used it) and the respondent's draft live here.
 */
const linkSchema = new Schema(
  {
    /** SHA-256 of the token, hex. */
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    unitId: { type: String, required: true },
    provinceCode: { type: String, required: true },
    generation: { type: Number, required: true },
    issuedAt: { type: Date, required: true },
    /** When a response was submitted through the link; a used link opens nothing any more. */
    usedAt: { type: Date, default: null },
    responseId: { type: String, default: null },
    /** The respondent's answers so far, saved from the page (the device keeps its own copy too). */
    draft: { type: Schema.Types.Mixed, default: null },
    draftSavedAt: { type: Date, default: null },
    /** When the questionnaire was first read through the link. */
    openedAt: { type: Date, default: null },
    /** When a supervisor withdrew the link (it then opens nothing), and who. */
    withdrawnAt: { type: Date, default: null },
    withdrawnBy: { type: String, default: null },
  },
  { versionKey: false, collection: 'respondent_links', minimize: false },
);
linkSchema.index({ roundId: 1, unitId: 1, generation: 1 }, { unique: true });

export interface RespondentLinkRecord {
  tokenHash: string;
  roundId: string;
  unitId: string;
  provinceCode: string;
  generation: number;
  issuedAt: Date;
  usedAt: Date | null;
  responseId: string | null;
  draft: Record<string, unknown> | null;
  draftSavedAt: Date | null;
  openedAt: Date | null;
  withdrawnAt: Date | null;
  withdrawnBy: string | null;
}

type LinkDoc = Omit<RespondentLinkRecord, 'tokenHash' | 'openedAt' | 'withdrawnAt' | 'withdrawnBy'> & {
  _id: string;
  // Links issued before these fields existed lack them.
  openedAt?: Date | null;
  withdrawnAt?: Date | null;
  withdrawnBy?: string | null;
};
const toRecord = ({ _id, openedAt, withdrawnAt, withdrawnBy, ...doc }: LinkDoc): RespondentLinkRecord => ({
  ...doc,
  tokenHash: _id,
  openedAt: openedAt ?? null,
  withdrawnAt: withdrawnAt ?? null,
  withdrawnBy: withdrawnBy ?? null,
});

export type RespondentLinkRepository = ReturnType<typeof createRespondentLinkRepository>;

export function createRespondentLinkRepository(connection: Connection) {
  const Links = modelOn(connection, 'RespondentLink', linkSchema);
  return {
    /** Records links (by token hash) that are not recorded yet; a link already there is left as it is. */
    async ensure(links: ReadonlyArray<Pick<RespondentLinkRecord, 'tokenHash' | 'roundId' | 'unitId' | 'provinceCode' | 'generation' | 'issuedAt'>>): Promise<void> {
      if (links.length === 0) return;
      await Links.bulkWrite(
        links.map(({ tokenHash, ...link }) => ({
          updateOne: {
            filter: { _id: tokenHash },
            update: { $setOnInsert: { ...link, usedAt: null, responseId: null, draft: null, draftSavedAt: null, openedAt: null, withdrawnAt: null, withdrawnBy: null } },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    },

    async findByTokenHash(hash: string): Promise<RespondentLinkRecord | undefined> {
      const doc = await Links.findById(hash).lean<LinkDoc>();
      return doc ? toRecord(doc) : undefined;
    },

    /** The current link (the latest generation) of each of these units of a round, by unit id. */
    async findForUnits(roundId: string, unitIds: ReadonlyArray<string>): Promise<Map<string, RespondentLinkRecord>> {
      // Ascending, so the map keeps each unit's latest generation.
      const docs = await Links.find({ roundId, unitId: { $in: [...unitIds] } }).sort({ unitId: 1, generation: 1 }).lean<LinkDoc[]>();
      return new Map(docs.map((doc) => [doc.unitId, toRecord(doc)]));
    },

    /** Notes the first time the questionnaire was read through the link (later reads change nothing). */
    async markOpened(hash: string, at: Date): Promise<void> {
      await Links.updateOne({ _id: hash, openedAt: null }, { $set: { openedAt: at } });
    },

    /** Withdraws a link that was neither used nor withdrawn: false when it was (or is not there). */
    async withdraw(hash: string, at: Date, by: string): Promise<boolean> {
      const result = await Links.updateOne({ _id: hash, usedAt: null, withdrawnAt: null }, { $set: { withdrawnAt: at, withdrawnBy: by, draft: null } });
      return result.matchedCount === 1;
    },

    async saveDraft(hash: string, answers: Record<string, unknown>, at: Date): Promise<boolean> {
      const result = await Links.updateOne({ _id: hash, usedAt: null, withdrawnAt: null }, { $set: { draft: answers, draftSavedAt: at } });
      return result.matchedCount === 1;
    },

    /**
     * Marks the link used by this response, once: true when it is now used by it (also when it
     * already was, so a re-send after a lost reply finishes the job), false when another response used it.
     */
    async claim(hash: string, responseId: string, at: Date): Promise<boolean> {
      const claimed = await Links.updateOne({ _id: hash, usedAt: null, withdrawnAt: null }, { $set: { usedAt: at, responseId, draft: null, draftSavedAt: null } });
      if (claimed.matchedCount === 1) return true;
      const doc = await Links.findById(hash).lean<LinkDoc>();
      return doc?.responseId === responseId;
    },
  };
}

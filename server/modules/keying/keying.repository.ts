/**
 * Second keyings of double-keyed paper forms and their comparison with the first keying (the stored
 * response). One document per second keying, under its device-generated UUID, so a re-send is
 * answered like any response's: the same content is a duplicate, other content a conflict.
 */
import { Schema, type Connection } from 'mongoose';
import type { KeyingDifference, VerificationState } from '../../../survey-forms/keying';
import { isDuplicateKeyError } from '../../db/errors';
import { modelOn } from '../../db/model';

/** A supervisor's reading of the paper for the differing items. */
export interface VerificationDecision {
  by: string;
  at: Date;
  /** Item id → the value taken (null: no answer on the paper). */
  values: Record<string, unknown>;
}

export interface SecondKeyingRecord {
  /** The second keying's UUID. */
  id: string;
  roundId: string;
  provinceCode: string;
  serial: string;
  unitId: string;
  /** The first keying: the response that counts once double entry is done. */
  responseId: string;
  firstKeyer: string;
  secondKeyer: string;
  answers: Record<string, unknown>;
  contentHash: string;
  itemsCompared: number;
  differences: KeyingDifference[];
  state: Exclude<VerificationState, 'awaiting-second-keying'>;
  decision: VerificationDecision | null;
  storedAt: Date;
}

const secondKeyingSchema = new Schema(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    provinceCode: { type: String, required: true },
    serial: { type: String, required: true },
    unitId: { type: String, required: true },
    responseId: { type: String, required: true },
    firstKeyer: { type: String, required: true },
    secondKeyer: { type: String, required: true },
    answers: { type: Schema.Types.Mixed, required: true },
    contentHash: { type: String, required: true },
    itemsCompared: { type: Number, required: true },
    differences: { type: [Schema.Types.Mixed], default: [] },
    state: { type: String, required: true },
    decision: { type: Schema.Types.Mixed, default: null },
    storedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'second_keyings', minimize: false },
);
// One second keying per form: two keyers racing on one paper cannot both be stored.
secondKeyingSchema.index({ responseId: 1 }, { unique: true });
secondKeyingSchema.index({ roundId: 1, state: 1, provinceCode: 1, storedAt: 1 });
secondKeyingSchema.index({ roundId: 1, firstKeyer: 1 });
secondKeyingSchema.index({ roundId: 1, secondKeyer: 1 });

export type KeyingRepository = ReturnType<typeof createKeyingRepository>;

type Doc = Omit<SecondKeyingRecord, 'id'> & { _id: string };
const toRecord = ({ _id, ...doc }: Doc): SecondKeyingRecord => ({ id: _id, ...doc });

export function createKeyingRepository(connection: Connection) {
  const Keyings = modelOn(connection, 'SecondKeying', secondKeyingSchema);
  return {
    /** Content hashes of those ids that are stored as second keyings. */
    async findHashes(ids: ReadonlyArray<string>): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const docs = await Keyings.find({ _id: { $in: [...ids] } }, { contentHash: 1 }).lean();
      return new Map(docs.map((d) => [d._id, d.contentHash]));
    },
    /** Stores a second keying; false when the form already has one (or the id is taken). */
    async insert(record: SecondKeyingRecord): Promise<boolean> {
      const { id, ...rest } = record;
      try {
        await Keyings.create({ _id: id, ...rest });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },
    async remove(id: string): Promise<void> {
      await Keyings.deleteOne({ _id: id });
    },
    async findById(id: string): Promise<SecondKeyingRecord | undefined> {
      const doc = await Keyings.findById(id).lean<Doc>();
      return doc ? toRecord(doc) : undefined;
    },
    async findByResponse(responseId: string): Promise<SecondKeyingRecord | undefined> {
      const doc = await Keyings.findOne({ responseId }).lean<Doc>();
      return doc ? toRecord(doc) : undefined;
    },
    /** Forms of a round whose keyings differ and await a supervisor, oldest first, in these provinces (undefined: all). */
    async listAwaiting(roundId: string, provinces: ReadonlyArray<string> | undefined, page: { offset: number; limit: number }): Promise<{ total: number; items: SecondKeyingRecord[] }> {
      const filter = { roundId, state: 'awaiting-verification', ...(provinces ? { provinceCode: { $in: [...provinces] } } : {}) };
      const [total, docs] = await Promise.all([Keyings.countDocuments(filter), Keyings.find(filter).sort({ storedAt: 1, _id: 1 }).skip(page.offset).limit(page.limit).lean<Doc[]>()]);
      return { total, items: docs.map(toRecord) };
    },
    /** Records a supervisor's decision on a form still awaiting one; undefined when it was decided meanwhile. */
    async decide(id: string, decision: VerificationDecision): Promise<SecondKeyingRecord | undefined> {
      const doc = await Keyings.findOneAndUpdate({ _id: id, state: 'awaiting-verification' }, { $set: { state: 'verified', decision } }, { returnDocument: 'after' }).lean<Doc>();
      return doc ? toRecord(doc) : undefined;
    },
    /** Who keyed what in a round's double-keyed forms, in these provinces (undefined: all). */
    async pairs(roundId: string, provinces: ReadonlyArray<string> | undefined): Promise<Array<{ firstKeyer: string; secondKeyer: string; itemsCompared: number; differingItems: number }>> {
      const filter = { roundId, ...(provinces ? { provinceCode: { $in: [...provinces] } } : {}) };
      const docs = await Keyings.find(filter, { firstKeyer: 1, secondKeyer: 1, itemsCompared: 1, differences: 1 }).lean<Doc[]>();
      return docs.map((d) => ({ firstKeyer: d.firstKeyer, secondKeyer: d.secondKeyer, itemsCompared: d.itemsCompared, differingItems: d.differences.length }));
    },
  };
}

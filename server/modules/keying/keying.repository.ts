/**
 * Second keyings of double-keyed paper forms and their comparison with the first keying (the stored
 * response). One document per second keying, under its device-generated UUID, so a re-send is
 * answered like any response's: the same content is a duplicate, other content a conflict.
 */
import { Schema, type Connection } from 'mongoose';
import { countsOfPair, type KeyerCounts, type KeyingDifference, type VerificationState } from '../../../survey-forms/keying';
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

/**
 * Per round, province and keyer: the double-keyed forms they keyed, items keyed and items differing,
 * added once per second keying (`applied` keeps the latest ids added), so reading the error rates
 * reads a few small documents, never the round's keyings.
 */
const keyerCountsSchema = new Schema(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    provinceCode: { type: String, required: true },
    keyer: { type: String, required: true },
    forms: { type: Number, default: 0 },
    itemsKeyed: { type: Number, default: 0 },
    differingItems: { type: Number, default: 0 },
    applied: { type: [String], default: [] },
  },
  { versionKey: false, collection: 'keyer_counts' },
);
keyerCountsSchema.index({ roundId: 1, provinceCode: 1 });

/** Ids of the latest second keyings counted, kept per keyer and province: far more than a re-send can span. */
const APPLIED_KEPT = 1000;

export type KeyingRepository = ReturnType<typeof createKeyingRepository>;

type Doc = Omit<SecondKeyingRecord, 'id'> & { _id: string };
const toRecord = ({ _id, ...doc }: Doc): SecondKeyingRecord => ({ id: _id, ...doc });

export function createKeyingRepository(connection: Connection) {
  const Keyings = modelOn(connection, 'SecondKeying', secondKeyingSchema);
  const KeyerCountsModel = modelOn(connection, 'KeyerCounts', keyerCountsSchema);
  return {
    /**
     * Adds a second keying's comparison to both keyers' counts, once: counting the same second keying
     * again (a re-sent form finishing what a request began) changes nothing.
     */
    async countComparison(record: Pick<SecondKeyingRecord, 'id' | 'roundId' | 'provinceCode' | 'firstKeyer' | 'secondKeyer' | 'itemsCompared' | 'differences'>): Promise<void> {
      const pair = { firstKeyer: record.firstKeyer, secondKeyer: record.secondKeyer, itemsCompared: record.itemsCompared, differingItems: record.differences.length };
      for (const counts of countsOfPair(pair)) {
        const _id = `${record.roundId}|${record.provinceCode}|${counts.keyer}`;
        try {
          await KeyerCountsModel.updateOne(
            { _id, applied: { $ne: record.id } },
            {
              $setOnInsert: { roundId: record.roundId, provinceCode: record.provinceCode, keyer: counts.keyer },
              $inc: { forms: counts.forms, itemsKeyed: counts.itemsKeyed, differingItems: counts.differingItems },
              $push: { applied: { $each: [record.id], $slice: -APPLIED_KEPT } },
            },
            { upsert: true },
          );
        } catch (error) {
          // The document exists and has this id already: the upsert's insert collides with it.
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
    },
    /** The keyers' counts of a round, per province, in these provinces (undefined: all): one small document per keyer and province. */
    async keyerCounts(roundId: string, provinces: ReadonlyArray<string> | undefined): Promise<KeyerCounts[]> {
      const filter = { roundId, ...(provinces ? { provinceCode: { $in: [...provinces] } } : {}) };
      const docs = await KeyerCountsModel.find(filter, { keyer: 1, forms: 1, itemsKeyed: 1, differingItems: 1 }).lean();
      return docs.map((d) => ({ keyer: d.keyer, forms: d.forms, itemsKeyed: d.itemsKeyed, differingItems: d.differingItems }));
    },
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
  };
}

import { Schema, type Connection } from 'mongoose';
import { DEFAULT_ROUND_MODES, type ResponseMode } from '../../../survey-forms/modes';
import type { BoundaryEdition } from '../../../survey-forms/provinces';
import { isDuplicateKeyError } from '../../db/errors';
import { modelOn } from '../../db/model';
import { HttpProblem } from '../../http/problem';

const roundSchema = new Schema(
  {
    _id: { type: String, required: true },
    year: { type: Number, required: true },
    formId: { type: String, required: true },
    formVersion: { type: String, required: true },
    boundaryEdition: { type: Number, enum: [63, 34], required: true },
    fieldworkStart: { type: String, required: true },
    fieldworkEnd: { type: String, required: true },
    status: { type: String, enum: ['open', 'closed'], required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    /** The index definition the round's figures are computed with; fixed when the round is created. */
    indexDefinitionId: { type: String, required: true },
    indexDefinitionVersion: { type: String, required: true },
    /** The round whose figures changes (points, places) are measured against; null for none. */
    previousRoundId: { type: String, default: null },
    /** The modes the round takes responses in; rounds stored before modes existed read as capi only. */
    modes: { type: [String], default: undefined },
    /** Percentage of paper forms keyed twice; absent reads as 0. */
    doubleEntryShare: { type: Number },
    /** Counter that orders aggregation work of this round; see workers/processors/recompute-provinces.ts. */
    aggregationSeq: { type: Number, default: 0 },
    /** Generation of the round's figure computations: a request names the current one, a computation starts the next (aggregation.service.ts). */
    figuresGen: { type: Number, default: 0 },
    /** Grows after every write that changes the round's aggregates reply (replies-generation.ts). */
    repliesGen: { type: Number, default: 0 },
    /** The figure computation running now, `{owner, until}`: one at a time per round. */
    figuresLease: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, collection: 'rounds' },
);

export interface RoundRecord {
  id: string;
  year: number;
  formId: string;
  formVersion: string;
  boundaryEdition: BoundaryEdition;
  fieldworkStart: string;
  fieldworkEnd: string;
  status: 'open' | 'closed';
  createdAt: Date;
  createdBy: string;
  indexDefinitionId: string;
  indexDefinitionVersion: string;
  previousRoundId: string | null;
  modes: ResponseMode[];
  doubleEntryShare: number;
}

export type RoundRepository = ReturnType<typeof createRoundRepository>;

export function createRoundRepository(connection: Connection) {
  const Rounds = modelOn(connection, 'Round', roundSchema);
  type Doc = {
    _id: string;
    year: number;
    formId: string;
    formVersion: string;
    boundaryEdition: number;
    fieldworkStart: string;
    fieldworkEnd: string;
    status: string;
    createdAt: Date;
    createdBy: string;
    indexDefinitionId: string;
    indexDefinitionVersion: string;
    previousRoundId?: string | null;
    modes?: string[] | null;
    doubleEntryShare?: number | null;
    repliesGen?: number | null;
  };
  const toRecord = (doc: Doc): RoundRecord => ({
    id: doc._id,
    year: doc.year,
    formId: doc.formId,
    formVersion: doc.formVersion,
    boundaryEdition: doc.boundaryEdition as BoundaryEdition,
    fieldworkStart: doc.fieldworkStart,
    fieldworkEnd: doc.fieldworkEnd,
    status: doc.status as RoundRecord['status'],
    createdAt: doc.createdAt,
    createdBy: doc.createdBy,
    indexDefinitionId: doc.indexDefinitionId,
    indexDefinitionVersion: doc.indexDefinitionVersion,
    previousRoundId: doc.previousRoundId ?? null,
    modes: doc.modes && doc.modes.length > 0 ? (doc.modes as ResponseMode[]) : [...DEFAULT_ROUND_MODES],
    doubleEntryShare: doc.doubleEntryShare ?? 0,
  });
  return {
    async insert(round: RoundRecord): Promise<void> {
      const { id, ...rest } = round;
      try {
        await Rounds.create({ _id: id, ...rest });
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new HttpProblem('already_exists', `A round with id ${id} already exists.`);
        throw error;
      }
    },
    async findById(id: string): Promise<RoundRecord | undefined> {
      const doc = await Rounds.findById(id).lean();
      return doc ? toRecord(doc) : undefined;
    },
    /** A round with the generation of its aggregates reply (replies-generation.ts); undefined when there is no such round. */
    async findWithRepliesGeneration(id: string): Promise<{ round: RoundRecord; repliesGen: number } | undefined> {
      const doc = await Rounds.findById(id).lean();
      return doc ? { round: toRecord(doc), repliesGen: doc.repliesGen ?? 0 } : undefined;
    },
    async findMany(ids: ReadonlyArray<string>): Promise<Map<string, RoundRecord>> {
      const docs = await Rounds.find({ _id: { $in: ids } }).lean();
      return new Map(docs.map((d) => [d._id, toRecord(d)]));
    },
    async list(): Promise<RoundRecord[]> {
      const docs = await Rounds.find({}).sort({ year: -1, _id: 1 }).lean();
      return docs.map(toRecord);
    },
    async update(
      id: string,
      changes: Partial<Pick<RoundRecord, 'status' | 'fieldworkStart' | 'fieldworkEnd' | 'previousRoundId' | 'modes' | 'doubleEntryShare'>>,
    ): Promise<RoundRecord | undefined> {
      const doc = await Rounds.findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after' }).lean();
      return doc ? toRecord(doc) : undefined;
    },
    /** The current number of the round's aggregation counter, without taking one. */
    async currentAggregationSeq(id: string): Promise<number> {
      const doc = await Rounds.findById(id, { aggregationSeq: 1 }).lean();
      if (!doc) throw new Error(`round ${id} does not exist`);
      return doc.aggregationSeq;
    },
    /** The current generation of the round's figure computations; a request for figures names it. */
    async figuresGeneration(id: string): Promise<number> {
      const doc = await Rounds.findById(id, { figuresGen: 1 }).lean();
      if (!doc) throw new Error(`round ${id} does not exist`);
      return doc.figuresGen ?? 0;
    },
    /** Starts generation `from + 1`, unless it has started already (a retried computation). */
    async advanceFiguresGeneration(id: string, from: number): Promise<void> {
      await Rounds.updateOne({ _id: id, figuresGen: from === 0 ? { $in: [0, null] } : from }, { $set: { figuresGen: from + 1 } });
    },
    /** Takes the round's figures lease for `ms` unless another holder's is still running; whether taken. */
    async takeFiguresLease(id: string, owner: string, ms: number, now: Date): Promise<boolean> {
      const result = await Rounds.updateOne(
        { _id: id, $or: [{ figuresLease: null }, { 'figuresLease.until': { $lt: now } }, { 'figuresLease.owner': owner }] },
        { $set: { figuresLease: { owner, until: new Date(now.getTime() + ms) } } },
      );
      return result.matchedCount === 1;
    },
    async releaseFiguresLease(id: string, owner: string): Promise<void> {
      await Rounds.updateOne({ _id: id, 'figuresLease.owner': owner }, { $set: { figuresLease: null } });
    },
    /** The next number of the round's aggregation counter (atomic across processes). */
    async nextAggregationSeq(id: string): Promise<number> {
      const doc = await Rounds.findByIdAndUpdate(id, { $inc: { aggregationSeq: 1 } }, { returnDocument: 'after', projection: { aggregationSeq: 1 } }).lean();
      if (!doc) throw new Error(`round ${id} does not exist`);
      return doc.aggregationSeq;
    },
  };
}

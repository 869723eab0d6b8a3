import { Schema, type Connection } from 'mongoose';
import type { BoundaryEdition } from '../../../survey-forms/provinces';
import type { GroupFigure } from '../../../survey-forms/satisfaction';
import type { TallyCell } from '../../../survey-forms/tally';
import { isDuplicateKeyError } from '../../db/errors';
import { modelOn } from '../../db/model';

/** Tallies of one province of one round: what the round's figures are computed from. */
const tallySchema = new Schema(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    provinceCode: { type: String, required: true },
    /** Aggregation counter value when the responses were read; a write never replaces a higher one. */
    seq: { type: Number, required: true },
    readAt: { type: Date, required: true },
    /** Responses read: the sweep compares it with a fresh count to find what was never tallied. */
    responses: { type: Number, required: true },
    cells: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, collection: 'tallies', minimize: false },
);
tallySchema.index({ roundId: 1 });

const aggregateSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    computedAt: { type: Date, required: true },
    formId: { type: String, required: true },
    formVersion: { type: String, required: true },
    boundaryEdition: { type: Number, required: true },
    /** The date whose administrative-unit types group the provinces. */
    unitTypesOn: { type: String, required: true },
    responses: { type: Number, required: true },
    byProvince: { type: Schema.Types.Mixed, required: true },
    byUnitType: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, collection: 'aggregates', minimize: false },
);

export interface ProvinceTally {
  roundId: string;
  provinceCode: string;
  seq: number;
  readAt: Date;
  responses: number;
  cells: Array<Omit<TallyCell, 'provinceCode'>>;
}

export interface RoundAggregate {
  roundId: string;
  seq: number;
  computedAt: Date;
  formId: string;
  formVersion: string;
  boundaryEdition: BoundaryEdition;
  unitTypesOn: string;
  responses: number;
  byProvince: GroupFigure[];
  byUnitType: GroupFigure[];
}

export type AggregateRepository = ReturnType<typeof createAggregateRepository>;

export function createAggregateRepository(connection: Connection) {
  const Tallies = modelOn(connection, 'Tally', tallySchema);
  const Aggregates = modelOn(connection, 'Aggregate', aggregateSchema);

  /**
   * Replaces a document unless the stored one carries a higher or equal seq. Work of several
   * workers may finish out of order; the highest seq is the most complete and wins.
   */
  async function replaceIfNewer(model: typeof Tallies, id: string, seq: number, doc: Record<string, unknown>): Promise<boolean> {
    try {
      const result = await model.replaceOne({ _id: id, seq: { $lt: seq } }, { _id: id, seq, ...doc }, { upsert: true });
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  return {
    tallies: Tallies,
    aggregates: Aggregates,
    async saveTally(tally: ProvinceTally): Promise<boolean> {
      const { seq, ...rest } = tally;
      return replaceIfNewer(Tallies, `${tally.roundId}|${tally.provinceCode}`, seq, rest);
    },
    async talliesOfRound(roundId: string): Promise<ProvinceTally[]> {
      const docs = await Tallies.find({ roundId }).sort({ provinceCode: 1 }).lean();
      return docs.map((d) => ({
        roundId: d.roundId,
        provinceCode: d.provinceCode,
        seq: d.seq,
        readAt: d.readAt,
        responses: d.responses,
        cells: d.cells as ProvinceTally['cells'],
      }));
    },
    /** How many responses the tally of a round's province read; undefined before its first tally. */
    async tallyResponseCount(roundId: string, provinceCode: string): Promise<number | undefined> {
      const doc = await Tallies.findById(`${roundId}|${provinceCode}`, { responses: 1 }).lean();
      return doc?.responses;
    },
    async saveAggregate(aggregate: RoundAggregate): Promise<boolean> {
      const { roundId, seq, ...rest } = aggregate;
      return replaceIfNewer(Aggregates as unknown as typeof Tallies, roundId, seq, rest);
    },
    async findAggregate(roundId: string): Promise<RoundAggregate | undefined> {
      const doc = await Aggregates.findById(roundId).lean();
      if (!doc) return undefined;
      return {
        roundId: doc._id,
        seq: doc.seq,
        computedAt: doc.computedAt,
        formId: doc.formId,
        formVersion: doc.formVersion,
        boundaryEdition: doc.boundaryEdition as BoundaryEdition,
        unitTypesOn: doc.unitTypesOn,
        responses: doc.responses,
        byProvince: doc.byProvince as GroupFigure[],
        byUnitType: doc.byUnitType as GroupFigure[],
      };
    },
  };
}

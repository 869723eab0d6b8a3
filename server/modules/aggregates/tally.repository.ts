/** The tallies collection: per round and province, what the round's figures are computed from. */
import { Schema, type Connection } from 'mongoose';
import type { TallyCell } from '../../../survey-forms/tally';
import { modelOn } from '../../db/model';
import { replaceIfNewer } from '../../db/replace-if-newer';

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

export interface ProvinceTally {
  roundId: string;
  provinceCode: string;
  seq: number;
  readAt: Date;
  responses: number;
  cells: Array<Omit<TallyCell, 'provinceCode'>>;
}

export type TallyRepository = ReturnType<typeof createTallyRepository>;

export function createTallyRepository(connection: Connection) {
  const Tallies = modelOn(connection, 'Tally', tallySchema);
  return {
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
  };
}

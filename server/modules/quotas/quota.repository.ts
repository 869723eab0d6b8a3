import { Schema, type Connection } from 'mongoose';
import type { AnswerCode } from '../../../survey-forms/form-definition.schema';
import { quotaCellKey, type QuotaCell } from '../../../survey-forms/quota-targets';
import { modelOn } from '../../db/model';

/** Cell keys in numeric order (province 2 before 10). */
const CELL_ORDER = new Intl.Collator('en', { numeric: true });

/** The target of one quota cell of a round. */
const quotaTargetSchema = new Schema(
  {
    /** `<roundId>|<cell key>`: one target per cell. */
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    provinceCode: { type: String, required: true },
    servingLevel: { type: Schema.Types.Mixed, required: true },
    serviceField: { type: Schema.Types.Mixed, required: true },
    respondentType: { type: Schema.Types.Mixed, default: null },
    target: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { versionKey: false, collection: 'quota_targets' },
);
quotaTargetSchema.index({ roundId: 1, provinceCode: 1 });

export interface QuotaTargetRecord extends QuotaCell {
  roundId: string;
  target: number;
  updatedAt: Date;
  updatedBy: string;
}

export type QuotaRepository = ReturnType<typeof createQuotaRepository>;

export function createQuotaRepository(connection: Connection) {
  const Targets = modelOn(connection, 'QuotaTarget', quotaTargetSchema);
  const idOf = (roundId: string, cell: QuotaCell): string => `${roundId}|${quotaCellKey(cell)}`;
  type Doc = Omit<QuotaTargetRecord, 'servingLevel' | 'serviceField' | 'respondentType'> & { _id: string; servingLevel: unknown; serviceField: unknown; respondentType: unknown };
  const toRecord = ({ _id, ...d }: Doc): QuotaTargetRecord => ({
    ...d,
    servingLevel: d.servingLevel as AnswerCode,
    serviceField: d.serviceField as AnswerCode,
    respondentType: (d.respondentType ?? null) as AnswerCode | null,
  });
  return {
    async list(roundId: string, provinces: ReadonlyArray<string> | undefined): Promise<QuotaTargetRecord[]> {
      const docs = await Targets.find({ roundId, ...(provinces ? { provinceCode: { $in: [...provinces] } } : {}) }).lean();
      // Keys made once and one collator: localeCompare with options builds a collator per call, which cost
      // most of a national progress read (about 20,000 comparisons for 1,900 cells).
      const keyed = docs.map((d) => { const r = toRecord(d as unknown as Doc); return { r, key: quotaCellKey(r) }; });
      return keyed.sort((a, b) => CELL_ORDER.compare(a.key, b.key)).map((k) => k.r);
    },
    /** The stored targets of these cells, by cell key. */
    async find(roundId: string, cells: ReadonlyArray<QuotaCell>): Promise<Map<string, QuotaTargetRecord>> {
      if (cells.length === 0) return new Map();
      const docs = await Targets.find({ _id: { $in: cells.map((c) => idOf(roundId, c)) } }).lean();
      return new Map(docs.map((d) => { const r = toRecord(d as unknown as Doc); return [quotaCellKey(r), r]; }));
    },
    /** Sets the targets of cells (an upsert each: importing the same file twice changes nothing). */
    async set(records: ReadonlyArray<QuotaTargetRecord>): Promise<void> {
      if (records.length === 0) return;
      await Targets.bulkWrite(
        records.map((r) => {
          const _id = idOf(r.roundId, r);
          return { replaceOne: { filter: { _id }, replacement: { _id, ...r }, upsert: true } };
        }),
        { ordered: false },
      );
    },
  };
}

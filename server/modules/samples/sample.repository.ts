import { Schema, type Connection } from 'mongoose';
import type { AnswerCode } from '../../../survey-forms/form-definition.schema';
import { modelOn } from '../../db/model';
import type { UnitStatus } from './sample.schema';

/** One sampled person or organisation of a round: what to interview, who does it, and how it went. No personal data. */
const sampleUnitSchema = new Schema(
  {
    /** `<roundId>|<unitId>`: a unit id is unique within its round. */
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    unitId: { type: String, required: true },
    provinceCode: { type: String, required: true },
    servingLevel: { type: Schema.Types.Mixed, required: true },
    serviceField: { type: Schema.Types.Mixed, required: true },
    respondentType: { type: Schema.Types.Mixed, required: true },
    procedure: { type: String, default: null },
    assignedTo: { type: String, default: null },
    assignedAt: { type: Date, default: null },
    assignedBy: { type: String, default: null },
    status: { type: String, required: true },
    /** When the status last changed, by the clock of whoever changed it; an older report never replaces a newer one. */
    statusAt: { type: Date, default: null },
    statusNote: { type: String, default: null },
    statusBy: { type: String, default: null },
    /** The response that completed the unit. */
    responseId: { type: String, default: null },
    importedAt: { type: Date, required: true },
    importedBy: { type: String, required: true },
  },
  { versionKey: false, collection: 'sample_units' },
);
sampleUnitSchema.index({ roundId: 1, provinceCode: 1, unitId: 1 });
sampleUnitSchema.index({ assignedTo: 1, roundId: 1 });

/**
 * Names, phones and addresses of the sample units, sealed (see personal-data.cipher.ts). A
 * collection of its own: answers, aggregates and exports never read it.
 */
const sampleContactSchema = new Schema(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    sealed: { type: String, required: true },
    /** Keyed hash of the phone, for the duplicate-respondent check; null without a phone. */
    phoneHash: { type: String, default: null },
  },
  { versionKey: false, collection: 'sample_contacts' },
);
sampleContactSchema.index({ roundId: 1, phoneHash: 1 });

export interface SampleUnitRecord {
  roundId: string;
  unitId: string;
  provinceCode: string;
  servingLevel: AnswerCode;
  serviceField: AnswerCode;
  respondentType: AnswerCode;
  procedure: string | null;
  assignedTo: string | null;
  assignedAt: Date | null;
  assignedBy: string | null;
  status: UnitStatus;
  statusAt: Date | null;
  statusNote: string | null;
  statusBy: string | null;
  responseId: string | null;
  importedAt: Date;
  importedBy: string;
}

export interface SampleContactRecord {
  roundId: string;
  unitId: string;
  sealed: string;
  phoneHash: string | null;
}

export interface SampleUnitFilter {
  provinces?: ReadonlyArray<string>;
  assignedTo?: string;
  status?: UnitStatus;
}

/** The key of a unit in both collections. */
export function sampleUnitKey(roundId: string, unitId: string): string {
  return `${roundId}|${unitId}`;
}

export type SampleRepository = ReturnType<typeof createSampleRepository>;

export function createSampleRepository(connection: Connection) {
  const Units = modelOn(connection, 'SampleUnit', sampleUnitSchema);
  const Contacts = modelOn(connection, 'SampleContact', sampleContactSchema);
  type UnitDoc = Omit<SampleUnitRecord, 'status' | 'servingLevel' | 'serviceField' | 'respondentType'> & {
    _id: string;
    status: string;
    servingLevel: unknown;
    serviceField: unknown;
    respondentType: unknown;
  };
  const toRecord = ({ _id, ...doc }: UnitDoc): SampleUnitRecord => ({
    ...doc,
    servingLevel: doc.servingLevel as AnswerCode,
    serviceField: doc.serviceField as AnswerCode,
    respondentType: doc.respondentType as AnswerCode,
    status: doc.status as UnitStatus,
  });
  const query = (roundId: string, filter: SampleUnitFilter) => ({
    roundId,
    ...(filter.provinces ? { provinceCode: { $in: [...filter.provinces] } } : {}),
    ...(filter.assignedTo !== undefined ? { assignedTo: filter.assignedTo } : {}),
    ...(filter.status ? { status: filter.status } : {}),
  });

  return {
    units: Units,
    contacts: Contacts,
    /** Those of the ids that are already in the round's sample. */
    async existingUnitIds(roundId: string, unitIds: ReadonlyArray<string>): Promise<Set<string>> {
      if (unitIds.length === 0) return new Set();
      const docs = await Units.find({ _id: { $in: unitIds.map((id) => sampleUnitKey(roundId, id)) } }, { unitId: 1 }).lean();
      return new Set(docs.map((d) => d.unitId));
    },
    /**
     * Stores units with their sealed contacts. Contacts go first, as idempotent upserts, so an
     * import cut short and repeated never leaves a unit without its contact. Returns the unit ids
     * another import stored in between (refused by the unique key).
     */
    async insert(units: ReadonlyArray<SampleUnitRecord>, contacts: ReadonlyArray<SampleContactRecord>): Promise<Set<string>> {
      const raced = new Set<string>();
      if (units.length === 0) return raced;
      const result = await Contacts.bulkWrite(
        contacts.map((c) => {
          const _id = sampleUnitKey(c.roundId, c.unitId);
          return { replaceOne: { filter: { _id }, replacement: { _id, roundId: c.roundId, sealed: c.sealed, phoneHash: c.phoneHash }, upsert: true } };
        }),
        { ordered: false, throwOnValidationError: true },
      );
      if (result.upsertedCount + result.matchedCount !== contacts.length) throw new Error(`stored ${result.upsertedCount + result.matchedCount} of ${contacts.length} sample contacts`);
      try {
        await Units.insertMany(
          units.map((u) => ({ _id: sampleUnitKey(u.roundId, u.unitId), ...u })),
          { ordered: false },
        );
      } catch (error) {
        const writeErrors = (error as { writeErrors?: Array<{ index?: number; code?: number; err?: { index?: number; code?: number } }> }).writeErrors;
        if (!writeErrors) throw error;
        for (const we of writeErrors) {
          const index = we.index ?? we.err?.index;
          if ((we.code ?? we.err?.code) !== 11000 || index === undefined) throw error;
          const unit = units[index];
          if (unit) raced.add(unit.unitId);
        }
      }
      return raced;
    },
    async findUnit(roundId: string, unitId: string): Promise<SampleUnitRecord | undefined> {
      const doc = await Units.findById(sampleUnitKey(roundId, unitId)).lean();
      return doc ? toRecord(doc as UnitDoc) : undefined;
    },
    /** Units by key (`sampleUnitKey`). */
    async findUnits(keys: ReadonlyArray<string>): Promise<Map<string, SampleUnitRecord>> {
      if (keys.length === 0) return new Map();
      const docs = await Units.find({ _id: { $in: keys } }).lean();
      return new Map(docs.map((d) => [d._id, toRecord(d as UnitDoc)]));
    },
    async listUnits(roundId: string, filter: SampleUnitFilter, page: { offset: number; limit: number }): Promise<{ total: number; units: SampleUnitRecord[] }> {
      const q = query(roundId, filter);
      const [total, docs] = await Promise.all([
        Units.countDocuments(q),
        Units.find(q).sort({ provinceCode: 1, unitId: 1 }).skip(page.offset).limit(page.limit).lean(),
      ]);
      return { total, units: docs.map((d) => toRecord(d as UnitDoc)) };
    },
    /** Units assigned to a user in the given rounds. */
    async unitsAssignedTo(username: string, roundIds: ReadonlyArray<string>): Promise<SampleUnitRecord[]> {
      const docs = await Units.find({ assignedTo: username, roundId: { $in: [...roundIds] } })
        .sort({ roundId: 1, provinceCode: 1, unitId: 1 })
        .lean();
      return docs.map((d) => toRecord(d as UnitDoc));
    },
    /** Assigns units that are not completed; returns how many were matched. */
    async assign(roundId: string, unitIds: ReadonlyArray<string>, assignedTo: string | null, by: string, at: Date): Promise<number> {
      const result = await Units.updateMany(
        { _id: { $in: unitIds.map((id) => sampleUnitKey(roundId, id)) }, status: { $ne: 'completed' } },
        { $set: { assignedTo, assignedAt: assignedTo === null ? null : at, assignedBy: by } },
      );
      return result.matchedCount;
    },
    /**
     * Records a status reported at `at`, unless the unit is completed or holds a report from
     * later (devices sync out of order). Returns the unit as it is afterwards.
     */
    async recordStatus(
      roundId: string,
      unitId: string,
      change: { status: Exclude<UnitStatus, 'completed' | 'not-started'>; note: string | null; at: Date; by: string },
    ): Promise<{ applied: boolean; unit: SampleUnitRecord | undefined }> {
      const key = sampleUnitKey(roundId, unitId);
      const doc = await Units.findOneAndUpdate(
        { _id: key, status: { $ne: 'completed' }, $or: [{ statusAt: null }, { statusAt: { $lte: change.at } }] },
        { $set: { status: change.status, statusNote: change.note, statusAt: change.at, statusBy: change.by } },
        { returnDocument: 'after' },
      ).lean();
      if (doc) return { applied: true, unit: toRecord(doc as UnitDoc) };
      const current = await Units.findById(key).lean();
      return { applied: false, unit: current ? toRecord(current as UnitDoc) : undefined };
    },
    /**
     * Marks units completed by their responses, in one round trip. Idempotent: the same response
     * again changes nothing, and a unit completed by another response stays with it. Returns how
     * many units now name the given response.
     */
    async markCompleted(completions: ReadonlyArray<{ roundId: string; unitId: string; responseId: string }>, at: Date, by: string): Promise<number> {
      if (completions.length === 0) return 0;
      const result = await Units.bulkWrite(
        completions.map((c) => ({
          updateOne: {
            filter: { _id: sampleUnitKey(c.roundId, c.unitId), $or: [{ responseId: null }, { responseId: c.responseId }] },
            update: { $set: { status: 'completed', responseId: c.responseId, statusAt: at, statusBy: by, statusNote: null } },
          },
        })),
        { ordered: false },
      );
      return result.matchedCount;
    },
    /** Units of a round counted per cell (province × serving level × service field × respondent type) and status. */
    async countByCellAndStatus(
      roundId: string,
      provinces: ReadonlyArray<string> | undefined,
    ): Promise<Array<{ provinceCode: string; servingLevel: AnswerCode; serviceField: AnswerCode; respondentType: AnswerCode; status: string; units: number }>> {
      const rows = await Units.aggregate<{ _id: { p: string; l: AnswerCode; f: AnswerCode; t: AnswerCode; s: string }; n: number }>([
        { $match: { roundId, ...(provinces ? { provinceCode: { $in: [...provinces] } } : {}) } },
        { $group: { _id: { p: '$provinceCode', l: '$servingLevel', f: '$serviceField', t: '$respondentType', s: '$status' }, n: { $sum: 1 } } },
      ]);
      return rows.map((r) => ({ provinceCode: r._id.p, servingLevel: r._id.l, serviceField: r._id.f, respondentType: r._id.t, status: r._id.s, units: r.n }));
    },
    /** Unit ids of a round whose contact has one of these phone hashes, by hash: the duplicate-respondent check. */
    async unitIdsByPhoneHash(roundId: string, hashes: ReadonlyArray<string>): Promise<Map<string, string[]>> {
      const found = new Map<string, string[]>();
      if (hashes.length === 0) return found;
      const docs = await Contacts.find({ roundId, phoneHash: { $in: [...hashes] } }, { roundId: 1, phoneHash: 1 }).lean();
      for (const d of docs) {
        const hash = String(d.phoneHash);
        found.set(hash, [...(found.get(hash) ?? []), d._id.slice(d.roundId.length + 1)]);
      }
      return found;
    },
    async findContacts(keys: ReadonlyArray<string>): Promise<Map<string, SampleContactRecord>> {
      if (keys.length === 0) return new Map();
      const docs = await Contacts.find({ _id: { $in: keys } }).lean();
      return new Map(
        docs.map((d) => {
          const unitId = d._id.slice(d.roundId.length + 1);
          return [d._id, { roundId: d.roundId, unitId, sealed: d.sealed, phoneHash: d.phoneHash ?? null }];
        }),
      );
    },
  };
}

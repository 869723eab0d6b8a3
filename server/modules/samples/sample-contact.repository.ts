/**
 * Names, phones and addresses of the sample units, sealed (see personal-data.cipher.ts), in a
 * collection of their own: answers, aggregates and exports never read it.
 */
import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../db/model';
import { sampleUnitKey } from './sample-unit.model';

/** One unit's sealed contact, under the unit's key. */
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

export interface SampleContactRecord {
  roundId: string;
  unitId: string;
  sealed: string;
  phoneHash: string | null;
}

export type SampleContactRepository = ReturnType<typeof createSampleContactRepository>;

export function createSampleContactRepository(connection: Connection) {
  const Contacts = modelOn(connection, 'SampleContact', sampleContactSchema);
  return {
    /** Stores sealed contacts as idempotent upserts: an import cut short and repeated stores each once. */
    async store(contacts: ReadonlyArray<SampleContactRecord>): Promise<void> {
      if (contacts.length === 0) return;
      const result = await Contacts.bulkWrite(
        contacts.map((c) => {
          const _id = sampleUnitKey(c.roundId, c.unitId);
          return { replaceOne: { filter: { _id }, replacement: { _id, roundId: c.roundId, sealed: c.sealed, phoneHash: c.phoneHash }, upsert: true } };
        }),
        { ordered: false, throwOnValidationError: true },
      );
      if (result.upsertedCount + result.matchedCount !== contacts.length) throw new Error(`stored ${result.upsertedCount + result.matchedCount} of ${contacts.length} sample contacts`);
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
    /** Any one stored contact, sealed, with its unit's key: what start-up opens to check the key. */
    async anySealed(): Promise<{ key: string; sealed: string } | undefined> {
      const doc = await Contacts.findOne({}, { sealed: 1 }).lean();
      return doc ? { key: doc._id, sealed: doc.sealed } : undefined;
    },
  };
}

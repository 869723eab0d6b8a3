import { Schema, type Connection } from 'mongoose';
import type { PostOffice } from '../../../survey-forms/field-scope';
import { modelOn } from '../../db/model';

/** The post offices of the postal service: code, name, province. Few (hundreds), read whole. */
const postOfficeSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    provinceCode: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'post_offices' },
);
postOfficeSchema.index({ provinceCode: 1, _id: 1 });

export type PostOfficeRepository = ReturnType<typeof createPostOfficeRepository>;

export function createPostOfficeRepository(connection: Connection) {
  const Offices = modelOn(connection, 'PostOffice', postOfficeSchema);
  const toOffice = (d: { _id: string; name: string; provinceCode: string }): PostOffice => ({ code: d._id, name: d.name, provinceCode: d.provinceCode });
  return {
    /** Adds or renames post offices (idempotent upserts); returns how many were new or changed. */
    async upsert(offices: ReadonlyArray<PostOffice>, now: Date): Promise<number> {
      if (offices.length === 0) return 0;
      const result = await Offices.bulkWrite(
        offices.map((o) => ({
          updateOne: {
            filter: { _id: o.code, $or: [{ name: { $ne: o.name } }, { provinceCode: { $ne: o.provinceCode } }] },
            update: { $set: { name: o.name, provinceCode: o.provinceCode, updatedAt: now } },
            upsert: true,
          },
        })),
        { ordered: false },
      ).catch((error: unknown) => {
        // An unchanged office matches no filter, and its upsert then hits the unique _id: nothing to do.
        const writeErrors = (error as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
        if (writeErrors && writeErrors.every((e) => (e.code ?? e.err?.code) === 11000)) {
          return (error as { result?: { upsertedCount?: number; modifiedCount?: number } }).result ?? { upsertedCount: 0, modifiedCount: 0 };
        }
        throw error;
      });
      return (result.upsertedCount ?? 0) + (result.modifiedCount ?? 0);
    },
    async list(provinces?: ReadonlyArray<string>): Promise<PostOffice[]> {
      const docs = await Offices.find(provinces ? { provinceCode: { $in: [...provinces] } } : {}).sort({ provinceCode: 1, _id: 1 }).lean();
      return docs.map(toOffice);
    },
    async findMany(codes: ReadonlyArray<string>): Promise<Map<string, PostOffice>> {
      if (codes.length === 0) return new Map();
      const docs = await Offices.find({ _id: { $in: [...new Set(codes)] } }).lean();
      return new Map(docs.map((d) => [d._id, toOffice(d)]));
    },
    async find(code: string): Promise<PostOffice | undefined> {
      const doc = await Offices.findById(code).lean();
      return doc ? toOffice(doc) : undefined;
    },
  };
}

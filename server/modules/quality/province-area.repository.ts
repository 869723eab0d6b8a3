import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../db/model';
import type { BoundaryEdition } from '../../../survey-forms/provinces';
import type { GeoBox } from '../../../survey-forms/quality-rules';

/**
 * The area of a province as a bounding box, uploaded by an administrator. The repository ships no
 * geodata of its own: the out-of-area check runs only for provinces whose area is known.
 */
const provinceAreaSchema = new Schema(
  {
    /** `<edition>|<provinceCode>`: a code names different units in the 63 and the 34 editions. */
    _id: { type: String, required: true },
    edition: { type: Number, required: true },
    provinceCode: { type: String, required: true },
    minLat: { type: Number, required: true },
    minLon: { type: Number, required: true },
    maxLat: { type: Number, required: true },
    maxLon: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { versionKey: false, collection: 'province_areas' },
);

export interface ProvinceAreaRecord extends GeoBox {
  edition: BoundaryEdition;
  provinceCode: string;
  updatedAt: Date;
  updatedBy: string;
}

export type ProvinceAreaRepository = ReturnType<typeof createProvinceAreaRepository>;

export function createProvinceAreaRepository(connection: Connection) {
  const Areas = modelOn(connection, 'ProvinceArea', provinceAreaSchema);
  const toRecord = (d: { edition: number; provinceCode: string; minLat: number; minLon: number; maxLat: number; maxLon: number; updatedAt: Date; updatedBy: string }): ProvinceAreaRecord => ({
    edition: d.edition as BoundaryEdition,
    provinceCode: d.provinceCode,
    minLat: d.minLat,
    minLon: d.minLon,
    maxLat: d.maxLat,
    maxLon: d.maxLon,
    updatedAt: d.updatedAt,
    updatedBy: d.updatedBy,
  });
  return {
    /** Stores (or replaces) the areas of some provinces of an edition. */
    async upsert(areas: ReadonlyArray<ProvinceAreaRecord>): Promise<void> {
      if (areas.length === 0) return;
      await Areas.bulkWrite(
        areas.map((a) => {
          const _id = `${a.edition}|${a.provinceCode}`;
          return { replaceOne: { filter: { _id }, replacement: { _id, ...a }, upsert: true } };
        }),
        { ordered: false },
      );
    },
    async list(edition: BoundaryEdition): Promise<ProvinceAreaRecord[]> {
      const docs = await Areas.find({ edition }).sort({ provinceCode: 1 }).lean();
      return docs.map(toRecord);
    },
    async find(edition: BoundaryEdition, provinceCode: string): Promise<ProvinceAreaRecord | undefined> {
      const doc = await Areas.findById(`${edition}|${provinceCode}`).lean();
      return doc ? toRecord(doc) : undefined;
    },
  };
}

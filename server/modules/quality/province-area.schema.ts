import { Type } from '@sinclair/typebox';
import { BoundaryEditionSchema } from '../rounds/round.schema';
import { ProvinceCode, Username } from '../users/user.schema';

const Box = {
  minLat: Type.Number({ minimum: -90, maximum: 90 }),
  minLon: Type.Number({ minimum: -180, maximum: 180 }),
  maxLat: Type.Number({ minimum: -90, maximum: 90 }),
  maxLon: Type.Number({ minimum: -180, maximum: 180 }),
};
export const EditionParams = Type.Object({ edition: BoundaryEditionSchema }, { additionalProperties: false });
export const AreasBody = Type.Object(
  {
    areas: Type.Array(Type.Object({ provinceCode: ProvinceCode, ...Box }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 63,
      description: 'Bounding box of each province (WGS 84 degrees), as the administrator sources it.',
    }),
  },
  { additionalProperties: false },
);
export const AreasReply = Type.Object({
  edition: BoundaryEditionSchema,
  areas: Type.Array(Type.Object({ provinceCode: ProvinceCode, ...Box, updatedAt: Type.String({ format: 'date-time' }), updatedBy: Username })),
});


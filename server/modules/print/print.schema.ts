import { Type, type Static } from '@sinclair/typebox';
import { ProvinceCode, Username } from '../users/user.schema';

/** Most forms one print document holds: a large province prints by enumerator. */
export const MAX_PRINTED_FORMS = 1000;

export const PrintQuery = Type.Object(
  {
    unitIds: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(,[A-Za-z0-9][A-Za-z0-9._-]{0,63}){0,999}$', description: 'Sample unit ids, comma-separated.' }),
    ),
    enumerator: Type.Optional(Username),
    province: Type.Optional(ProvinceCode),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description: 'Exactly one of: unitIds, enumerator (the units assigned to them), province (all its units in the sample).',
  },
);
export type PrintQuery = Static<typeof PrintQuery>;

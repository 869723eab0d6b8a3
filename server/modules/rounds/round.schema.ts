import { Type, type Static } from '@sinclair/typebox';
import { FORM_ID_PATTERN, FORM_VERSION_PATTERN } from '../../../survey-forms/form-definition.schema';
import { StringEnum } from '../../../survey-forms/typebox';

/** Round ids go into job ids and URLs: no colon, no slash. */
export const RoundId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{2,40}$', description: 'e.g. sipas-2024' });
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const BoundaryEditionSchema = Type.Union([Type.Literal(63), Type.Literal(34)], {
  description: '63: units before 1 July 2025; 34: units from 1 July 2025.',
});
export const RoundStatus = StringEnum(['open', 'closed'], { description: 'Only an open round accepts responses.' });

export const CreateRoundBody = Type.Object(
  {
    id: RoundId,
    year: Type.Integer({ minimum: 2017, maximum: 2100 }),
    formId: Type.String({ pattern: FORM_ID_PATTERN }),
    formVersion: Type.String({ pattern: FORM_VERSION_PATTERN }),
    boundaryEdition: BoundaryEditionSchema,
    fieldworkStart: IsoDate,
    fieldworkEnd: IsoDate,
    status: RoundStatus,
  },
  { additionalProperties: false },
);
export type CreateRoundBody = Static<typeof CreateRoundBody>;

export const UpdateRoundBody = Type.Object(
  {
    status: Type.Optional(RoundStatus),
    fieldworkStart: Type.Optional(IsoDate),
    fieldworkEnd: Type.Optional(IsoDate),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRoundBody = Static<typeof UpdateRoundBody>;

export const RoundParams = Type.Object({ roundId: RoundId }, { additionalProperties: false });

export const RoundView = Type.Object({
  id: RoundId,
  year: Type.Integer(),
  formId: Type.String(),
  formVersion: Type.String(),
  boundaryEdition: BoundaryEditionSchema,
  fieldworkStart: IsoDate,
  fieldworkEnd: IsoDate,
  status: RoundStatus,
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
});
export type RoundView = Static<typeof RoundView>;

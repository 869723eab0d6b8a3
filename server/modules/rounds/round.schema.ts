import { Type, type Static } from '@sinclair/typebox';
import { FORM_ID_PATTERN, FORM_VERSION_PATTERN } from '../../../survey-forms/form-definition.schema';
import { RESPONSE_MODES } from '../../../survey-forms/modes';
import { StringEnum } from '../../../survey-forms/typebox';

/** Round ids go into job ids and URLs: no colon, no slash. */
export const RoundId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{2,40}$', description: 'e.g. sipas-2024' });
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const BoundaryEditionSchema = Type.Union([Type.Literal(63), Type.Literal(34)], {
  description: '63: units before 1 July 2025; 34: units from 1 July 2025.',
});
/** How a round names its predecessor: changes in points and places are measured against it. */
export const PreviousRoundId = Type.Union([RoundId, Type.Null()], {
  description: 'The round changes are measured against (usually last year\'s); it must be of an earlier year. Null: none.',
});
/** The modes a round takes responses in. */
export const RoundModes = Type.Array(StringEnum(RESPONSE_MODES), {
  minItems: 1,
  maxItems: RESPONSE_MODES.length,
  uniqueItems: true,
  description:
    'The modes the round takes responses in: capi (interview on the device), papi (paper questionnaire keyed in), cawi (self-completed online). ' +
    'A response in another mode is invalid (`mode_not_allowed`). Default ["capi"].',
});
/** The share of paper forms keyed twice. */
export const DoubleEntryShare = Type.Number({
  minimum: 0,
  maximum: 100,
  description: 'Percentage (0–100) of paper (papi) forms keyed a second time, blind, by another keyer; which forms is decided from the serial. Default 0.',
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
    indexDefinitionId: Type.Optional(
      Type.String({
        pattern: FORM_ID_PATTERN,
        description: 'Index definition the figures are computed with. Default: the latest published one that scores the questionnaire version.',
      }),
    ),
    indexDefinitionVersion: Type.Optional(Type.String({ pattern: FORM_VERSION_PATTERN, description: 'Version of indexDefinitionId; needed with it.' })),
    previousRoundId: Type.Optional(PreviousRoundId),
    modes: Type.Optional(RoundModes),
    doubleEntryShare: Type.Optional(DoubleEntryShare),
  },
  { additionalProperties: false },
);
export type CreateRoundBody = Static<typeof CreateRoundBody>;

export const UpdateRoundBody = Type.Object(
  {
    status: Type.Optional(RoundStatus),
    fieldworkStart: Type.Optional(IsoDate),
    fieldworkEnd: Type.Optional(IsoDate),
    previousRoundId: Type.Optional(PreviousRoundId),
    modes: Type.Optional(RoundModes),
    doubleEntryShare: Type.Optional(DoubleEntryShare),
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
  indexDefinitionId: Type.String({ description: 'Index definition the figures are computed with.' }),
  indexDefinitionVersion: Type.String(),
  previousRoundId: Type.Union([RoundId, Type.Null()], { description: 'The round changes are measured against.' }),
  modes: RoundModes,
  doubleEntryShare: DoubleEntryShare,
});
export type RoundView = Static<typeof RoundView>;

/** GET /api/v1/rounds. */
export const RoundListReply = Type.Object({ rounds: Type.Array(RoundView) });

import { Type, type Static } from '@sinclair/typebox';
import { DATE_TIME_RULE } from '../../../survey-forms/date-time';
import { FORM_ID_PATTERN, FORM_VERSION_PATTERN } from '../../../survey-forms/form-definition.schema';
import { StringEnum } from '../../../survey-forms/typebox';
import { RoundId } from '../rounds/round.schema';
import { SAMPLE_UNIT_ID_PATTERN } from '../../../survey-forms/sample-frame';
import { RESPONSE_MODES } from '../../../survey-forms/modes';
import { SERIAL_PATTERN } from '../../../survey-forms/serial';
import { ProvinceCode } from '../users/user.schema';

export const MAX_BATCH = 500;
/** Deepest nesting of one submitted item (the item itself is level 1); deeper makes the item invalid (`too_deep`). */
export const MAX_ITEM_DEPTH = 32;
/** Largest submitted item, as JSON text; larger makes the item invalid (`too_large`). */
export const MAX_ITEM_BYTES = 256 * 1024;

/** Timing and device facts recorded by the app while the interview ran. Unknown fields are kept. */
export const Paradata = Type.Object(
  {
    startedAt: Type.String({ format: 'date-time', description: `When the interview started (device clock). ${DATE_TIME_RULE}.` }),
    endedAt: Type.String({ format: 'date-time', description: `When the interview was completed (device clock). ${DATE_TIME_RULE}.` }),
    appVersion: Type.Optional(Type.String({ maxLength: 60 })),
    sectionSeconds: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]{1,32}$' }), Type.Number({ minimum: 0, maximum: 7 * 24 * 3600 }), {
        description: 'Seconds spent on each section (section id → seconds), counted while the section was on screen.',
      }),
    ),
    location: Type.Optional(
      Type.Object(
        {
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          accuracy: Type.Number({ minimum: 0, description: 'Radius in metres, as the device reports it.' }),
        },
        { additionalProperties: false, description: 'Where the interview started, when the enumerator allowed the device to tell.' },
      ),
    ),
  },
  { additionalProperties: true },
);

/** One response as an enumerator's device sends it. */
export const ResponseSubmission = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Generated on the device; the same id is the same response.' }),
    roundId: RoundId,
    formId: Type.String({ pattern: FORM_ID_PATTERN }),
    formVersion: Type.String({ pattern: FORM_VERSION_PATTERN }),
    provinceCode: ProvinceCode,
    answers: Type.Record(Type.String(), Type.Unknown(), { description: 'Item id → answer, as the questionnaire version defines.' }),
    paradata: Paradata,
    weight: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1_000_000,
        description:
          'Design weight of the respondent (inverse of their selection probability), as the sample list gives it. ' +
          'Responses without one count with weight 1; weighted estimates are offered for rounds whose responses carry weights.',
      }),
    ),
    sampleUnitId: Type.Optional(
      Type.String({
        pattern: SAMPLE_UNIT_ID_PATTERN,
        description: 'The sample unit interviewed. An accepted response marks the unit completed; a unit is completed by one response only.',
      }),
    ),
    mode: Type.Optional(
      StringEnum(RESPONSE_MODES, {
        description:
          'How the answers were collected: capi interviewed on the device, papi a paper questionnaire keyed in, cawi self-completed online. ' +
          'Absent means capi. A mode the round does not allow (its `modes`) makes the item invalid (`mode_not_allowed`).',
      }),
    ),
    serial: Type.Optional(
      Type.String({
        pattern: SERIAL_PATTERN,
        description:
          'The serial printed on the paper questionnaire, `<roundId>/<unitId>/<two check digits>`; required with mode papi. ' +
          'Wrong check digits are `wrong_check_digit`; a serial of another round or unit than the item\'s roundId and sampleUnitId is `wrong_serial`.',
      }),
    ),
  },
  { additionalProperties: false },
);
/** The same shape under its own name in the OpenAPI document (the batch takes items one by one, so its body schema cannot say it). */
export const ResponseSubmissionDocumented = { ...ResponseSubmission, $id: 'ResponseSubmission' };
export type ResponseSubmission = Static<typeof ResponseSubmission>;

export const SubmitBody = Type.Object(
  {
    responses: Type.Array(Type.Unknown(), {
      minItems: 1,
      maxItems: MAX_BATCH,
      description:
        `Each item is checked on its own against ResponseSubmission (#/components/schemas/ResponseSubmission) and its questionnaire version; an item nested more than ${MAX_ITEM_DEPTH} levels deep ` +
        `(too_deep) or larger than ${MAX_ITEM_BYTES / 1024} KiB of JSON (too_large) is invalid, and the rest of the batch is still stored.`,
    }),
  },
  { additionalProperties: false },
);

export const RESULT_STATUSES = ['accepted', 'duplicate', 'conflict', 'invalid'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export const ItemProblem = Type.Object({
  path: Type.String({ description: 'JSON pointer into the submitted item, e.g. /answers/c01_s.' }),
  message: Type.String(),
  code: Type.String({ description: 'Stable code of the problem, for clients to show in their own language.' }),
});

export const SubmitResult = Type.Object({
  id: Type.Union([Type.String(), Type.Null()], { description: 'The item id, or null when the item had none.' }),
  status: StringEnum(RESULT_STATUSES, {
    description:
      'accepted: stored now. duplicate: already stored with the same content (nothing changed). conflict: already stored with other content. invalid: not stored, see errors.',
  }),
  errors: Type.Optional(Type.Array(ItemProblem)),
});
export type SubmitResult = Static<typeof SubmitResult>;

export const SubmitReply = Type.Object({
  results: Type.Array(SubmitResult, { description: 'One per submitted item, in request order.' }),
});

import { Type, type Static } from '@sinclair/typebox';
import { SERIAL_PATTERN } from '../../../survey-forms/serial';
import { RoundId } from '../rounds/round.schema';
import { ProvinceCode, Username } from '../users/user.schema';

const LocalizedLabel = Type.Object({ vi: Type.String(), en: Type.String() });

export const VerificationListQuery = Type.Object(
  {
    province: Type.Optional(ProvinceCode),
    offset: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export const KeyingDifferenceView = Type.Object({
  itemId: Type.String(),
  label: LocalizedLabel,
  first: Type.Optional(Type.Unknown({ description: 'The first keying\'s value; absent when left blank.' })),
  second: Type.Optional(Type.Unknown({ description: 'The second keying\'s value; absent when left blank.' })),
});

/** A form whose two keyings differ, as the supervisor verifies it. Blind keying is over by now: both values are shown. */
export const VerificationItemView = Type.Object({
  responseId: Type.String({ format: 'uuid', description: 'The first keying, the response that counts once verified.' }),
  secondKeyingId: Type.String({ format: 'uuid' }),
  serial: Type.String({ pattern: SERIAL_PATTERN }),
  unitId: Type.String(),
  provinceCode: ProvinceCode,
  firstKeyer: Username,
  secondKeyer: Username,
  storedAt: Type.String({ format: 'date-time', description: 'When the second keying was stored.' }),
  itemsCompared: Type.Integer(),
  differences: Type.Array(KeyingDifferenceView),
});

export const VerificationListReply = Type.Object({
  total: Type.Integer({ description: 'Forms awaiting verification in the user\'s provinces (or the one asked for).' }),
  awaitingSecondKeying: Type.Integer({ description: 'Forms of the round chosen for double entry and keyed once: not counted yet.' }),
  items: Type.Array(VerificationItemView),
});

export const VerificationParams = Type.Object({ roundId: RoundId, responseId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const VerificationDecisionBody = Type.Object(
  {
    values: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' }), Type.Unknown(), {
      description:
        'For every differing item, the value on the paper: the first keying\'s, the second\'s, or another one typed from the paper; null for no answer. ' +
        'Items that do not differ may not be given; the verified answers must pass the questionnaire\'s checks.',
    }),
  },
  { additionalProperties: false },
);
export type VerificationDecisionBody = Static<typeof VerificationDecisionBody>;

export const VerificationDecisionReply = Type.Object({
  responseId: Type.String({ format: 'uuid' }),
  verification: Type.Literal('verified'),
  decidedBy: Username,
  decidedAt: Type.String({ format: 'date-time' }),
  values: Type.Record(Type.String(), Type.Unknown()),
});

export const KeyerErrorRateView = Type.Object({
  keyer: Username,
  forms: Type.Integer({ description: 'Double-keyed forms this keyer keyed, first or second.' }),
  itemsKeyed: Type.Integer(),
  differingItems: Type.Integer(),
  rate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'differingItems ÷ itemsKeyed; null with no items keyed.' }),
});
export const KeyingErrorsReply = Type.Object({
  keyers: Type.Array(KeyerErrorRateView, { description: 'Per keyer, over the round\'s double-keyed forms in the user\'s provinces; sorted by keyer.' }),
});

export const KeyedFormQuery = Type.Object({ serial: Type.String({ minLength: 1, maxLength: 120, description: 'As printed or scanned, e.g. sipas-2024/HN-0001/37.' }) }, { additionalProperties: false });
export const KeyedFormView = Type.Object({
  serial: Type.String({ pattern: SERIAL_PATTERN }),
  roundId: RoundId,
  unitId: Type.String(),
  provinceCode: ProvinceCode,
  formId: Type.String(),
  formVersion: Type.String(),
  doubleKeyed: Type.Boolean({ description: 'Whether the form is keyed twice (decided from the serial and the round\'s doubleEntryShare).' }),
  keying: Type.Union([Type.Literal('first'), Type.Literal('second'), Type.Literal('done')], {
    description: 'What keying the form needs now: first; second (blind, by someone else than the first keyer); done (nothing more to key).',
  }),
  keyedByYou: Type.Boolean({ description: 'You keyed this form already (then you may not key it the second time).' }),
});

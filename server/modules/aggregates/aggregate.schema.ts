import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../../survey-forms/typebox';

export const AGGREGATE_GROUPINGS = ['province', 'unit-type'] as const;

export const AggregatesQuery = Type.Object(
  {
    by: StringEnum(AGGREGATE_GROUPINGS, { default: 'province', description: 'Group rows by province or by administrative-unit type.' }),
    format: StringEnum(['json', 'csv'], { default: 'json', description: 'csv: UTF-8 with a byte-order mark, so Excel reads Vietnamese.' }),
  },
  { additionalProperties: false },
);

export const AggregateRow = Type.Object({
  group: Type.String({ description: 'Province code, or unit-type key (special-class-city, other-centrally-run-city, province).' }),
  label: Type.String({ description: 'Vietnamese name of the group.' }),
  n: Type.Integer({ description: 'Responses counted.' }),
  value: Type.Union([Type.Number(), Type.Null()], {
    description:
      'Satisfaction in percent, two decimals: for a province the share of answers 4 or 5 among valid answers; for a unit type the mean of its provinces. Null without valid answers.',
  }),
});

export const AggregatesReply = Type.Object({
  roundId: Type.String(),
  by: StringEnum(AGGREGATE_GROUPINGS),
  formId: Type.String(),
  formVersion: Type.String(),
  boundaryEdition: Type.Integer(),
  computedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Null until the first response is aggregated.' }),
  responses: Type.Integer({ description: 'Responses counted in the figures.' }),
  rows: Type.Array(AggregateRow),
});

import { Type, type Static } from '@sinclair/typebox';
import { AnswerCode, FORM_ID_PATTERN, FORM_VERSION_PATTERN, ITEM_ID_PATTERN, LocalizedText } from './form-definition.schema';

/**
 * The shape of an index definition file (`survey-forms/index-definitions/<definitionId>/<version>.json`).
 *
 * A definition is the method of an index as data: which answers count as satisfied, which items make
 * which criterion, which criteria make which element, component and the overall index, how each level
 * combines its children, and below which number of respondents a figure is unreliable. A new method is
 * a new file, never a code change; a published version never changes.
 */

/** Indicator ids are keys in stored aggregates and values of `?indicator=`: no dot, no dollar, no colon. */
export const INDICATOR_ID_PATTERN = '^[a-z][a-z0-9_-]{0,31}$';

/** Levels from the bottom up; a parent is always on a higher level than its children. */
export const INDICATOR_LEVELS = ['criterion', 'element', 'component', 'overall'] as const;
export type IndicatorLevel = (typeof INDICATOR_LEVELS)[number];

/** The id the overall index always has, so `?indicator=overall` works for every method. */
export const OVERALL_INDICATOR = 'overall';

export const Scoring = Type.Object(
  {
    /** Answers that count: everything else ("not applicable", no answer) leaves the denominator. */
    validCodes: Type.Array(AnswerCode, { minItems: 1, uniqueItems: true }),
    /** Of the valid answers, those that count as satisfied ("hài lòng", "rất hài lòng"). */
    satisfiedCodes: Type.Array(AnswerCode, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type Scoring = Static<typeof Scoring>;

/** How a composite indicator combines its children's values. */
export const Combine = Type.Union([
  Type.Object({ method: Type.Literal('mean') }, { additionalProperties: false }),
  Type.Object(
    {
      method: Type.Literal('weighted'),
      /** Child id → weight; renormalised over the children that have a value. */
      weights: Type.Record(Type.String({ pattern: INDICATOR_ID_PATTERN }), Type.Number({ exclusiveMinimum: 0 })),
    },
    { additionalProperties: false },
  ),
]);
export type Combine = Static<typeof Combine>;

export const CriterionIndicator = Type.Object(
  {
    id: Type.String({ pattern: INDICATOR_ID_PATTERN }),
    level: Type.Literal('criterion'),
    label: LocalizedText,
    /** Scale items of the questionnaire whose answers make the criterion (pooled over items). */
    items: Type.Array(Type.String({ pattern: ITEM_ID_PATTERN }), { minItems: 1, uniqueItems: true }),
    /** Overrides the definition's scoring for this criterion's items. */
    scoring: Type.Optional(Scoring),
  },
  { additionalProperties: false },
);

export const CompositeIndicator = Type.Object(
  {
    id: Type.String({ pattern: INDICATOR_ID_PATTERN }),
    level: Type.Union([Type.Literal('element'), Type.Literal('component'), Type.Literal('overall')]),
    label: LocalizedText,
    children: Type.Array(Type.String({ pattern: INDICATOR_ID_PATTERN }), { minItems: 1, uniqueItems: true }),
    combine: Combine,
  },
  { additionalProperties: false },
);

export const Indicator = Type.Union([CriterionIndicator, CompositeIndicator]);
export type Indicator = Static<typeof Indicator>;
export type CriterionIndicator = Static<typeof CriterionIndicator>;
export type CompositeIndicator = Static<typeof CompositeIndicator>;

export const IndexDefinition = Type.Object(
  {
    definitionId: Type.String({ pattern: FORM_ID_PATTERN }),
    version: Type.String({ pattern: FORM_VERSION_PATTERN }),
    /** A published version never changes; a change is a new version. */
    status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
    title: LocalizedText,
    method: Type.Object(
      {
        decision: Type.String({ minLength: 1 }),
        description: LocalizedText,
      },
      { additionalProperties: false },
    ),
    /** The questionnaire versions this definition scores: every criterion item must be in each of them. */
    appliesTo: Type.Array(
      Type.Object(
        {
          formId: Type.String({ pattern: FORM_ID_PATTERN }),
          versions: Type.Array(Type.String({ pattern: FORM_VERSION_PATTERN }), { minItems: 1, uniqueItems: true }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    scoring: Scoring,
    reliability: Type.Object(
      {
        /** A figure resting on fewer respondents (or effective respondents, when weighted) is marked unreliable. */
        minimumN: Type.Integer({ minimum: 1 }),
      },
      { additionalProperties: false },
    ),
    /** Criteria, elements, components and the overall index, in the order reports list them. */
    indicators: Type.Array(Indicator, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type IndexDefinition = Static<typeof IndexDefinition>;

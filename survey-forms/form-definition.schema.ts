import { Type, type Static } from '@sinclair/typebox';

/**
 * The shape of a questionnaire definition file (`survey-forms/<formId>/<version>.json`).
 *
 * A questionnaire is data: the server validates answers against it, the enumerator app
 * renders it, and neither needs a code change for a new version.
 */

/** Item ids become column names in microdata exports, so they follow Stata's rules. */
export const ITEM_ID_PATTERN = '^[a-z][a-z0-9_]{0,31}$';
export const FORM_ID_PATTERN = '^[a-z][a-z0-9-]{1,40}$';
export const FORM_VERSION_PATTERN = '^[0-9]+(\\.[0-9]+){0,2}$';

export const LocalizedText = Type.Object(
  {
    vi: Type.String({ minLength: 1 }),
    en: Type.String({ minLength: 1 }),
    /** Where the wording comes from: seen verbatim on a form, reconstructed from reports, or written by us. */
    wording: Type.Optional(Type.Union([Type.Literal('verbatim'), Type.Literal('reconstructed'), Type.Literal('draft')])),
  },
  { additionalProperties: false },
);
export type LocalizedText = Static<typeof LocalizedText>;

export const AnswerCode = Type.Union([Type.Integer(), Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' })]);
export type AnswerCode = Static<typeof AnswerCode>;

export const Option = Type.Object(
  { code: AnswerCode, label: LocalizedText },
  { additionalProperties: false },
);
export type Option = Static<typeof Option>;

/** A skip rule: when it holds, the item (or section) is asked. */
export const Condition = Type.Recursive(
  (Self) =>
    Type.Union([
      Type.Object({ item: Type.String(), equals: AnswerCode }, { additionalProperties: false }),
      Type.Object({ item: Type.String(), in: Type.Array(AnswerCode, { minItems: 1 }) }, { additionalProperties: false }),
      Type.Object({ item: Type.String(), answered: Type.Boolean() }, { additionalProperties: false }),
      Type.Object({ all: Type.Array(Self, { minItems: 1 }) }, { additionalProperties: false }),
      Type.Object({ any: Type.Array(Self, { minItems: 1 }) }, { additionalProperties: false }),
      Type.Object({ not: Self }, { additionalProperties: false }),
    ]),
  { $id: 'Condition' },
);
export type Condition = Static<typeof Condition>;

export const Scale = Type.Object(
  {
    /** What the scale measures; satisfaction items are the ones scored by the index. */
    kind: Type.Union([Type.Literal('satisfaction'), Type.Literal('agreement'), Type.Literal('other')]),
    options: Type.Array(Option, { minItems: 2 }),
    /** The "not applicable" answer: a valid answer that leaves the denominator. */
    notApplicable: Type.Optional(Option),
    /**
     * The scale's positive answers (for satisfaction: "hài lòng" and "rất hài lòng"), for showing
     * answers. What counts as satisfied in figures is the index definition's to say.
     */
    positiveCodes: Type.Array(Type.Integer(), { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type Scale = Static<typeof Scale>;

const itemBase = {
  id: Type.String({ pattern: ITEM_ID_PATTERN }),
  label: LocalizedText,
  hint: Type.Optional(LocalizedText),
  /** Must a relevant item be answered? @defaultValue true */
  required: Type.Optional(Type.Boolean()),
  /** Skip rule: the item is asked only when this holds. */
  relevant: Type.Optional(Type.Ref(Condition)),
};

export const SingleChoiceItem = Type.Object(
  {
    ...itemBase,
    type: Type.Literal('single'),
    /** Either inline options or the name of a code list of the form. */
    options: Type.Optional(Type.Array(Option, { minItems: 2 })),
    codeList: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const MultipleChoiceItem = Type.Object(
  {
    ...itemBase,
    type: Type.Literal('multiple'),
    options: Type.Optional(Type.Array(Option, { minItems: 2 })),
    codeList: Type.Optional(Type.String()),
    minSelected: Type.Optional(Type.Integer({ minimum: 0 })),
    maxSelected: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const ScaleItem = Type.Object(
  {
    ...itemBase,
    type: Type.Literal('scale'),
    scale: Type.String(),
  },
  { additionalProperties: false },
);

export const TextItem = Type.Object(
  {
    ...itemBase,
    type: Type.Literal('text'),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { additionalProperties: false },
);

export const IntegerItem = Type.Object(
  {
    ...itemBase,
    type: Type.Literal('integer'),
    minimum: Type.Optional(Type.Integer()),
    maximum: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export const Item = Type.Union([SingleChoiceItem, MultipleChoiceItem, ScaleItem, TextItem, IntegerItem]);
export type Item = Static<typeof Item>;
export type ItemType = Item['type'];

/** One row of a grid: a statement (a criterion) and the scale items asked about it, answered side by side. */
export const GridRow = Type.Object(
  {
    /** The statement the row is about; when absent, the label of the row's first item. */
    label: Type.Optional(LocalizedText),
    /** Scale items of the section, consecutive in it: perception and satisfaction of one criterion, say. */
    items: Type.Array(Type.String({ pattern: ITEM_ID_PATTERN }), { minItems: 1, maxItems: 3, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type GridRow = Static<typeof GridRow>;

/**
 * How a section lays out runs of its scale items: as a grid, one row per statement, instead of one
 * card per item. Presentation only: answers, codes and skip rules are the items' own. The same
 * description drives every rendering — the printed questionnaire, the keyed grid and the compact
 * layout on a phone — so they never disagree.
 */
export const SectionLayout = Type.Object(
  {
    kind: Type.Literal('grid'),
    /** Headings of a row's item positions (e.g. perception, satisfaction) when rows hold more than one item. */
    columns: Type.Optional(Type.Array(LocalizedText, { minItems: 1, maxItems: 3 })),
    rows: Type.Array(GridRow, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type SectionLayout = Static<typeof SectionLayout>;

export const Section = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_]{1,32}$' }),
    title: LocalizedText,
    relevant: Type.Optional(Type.Ref(Condition)),
    items: Type.Array(Item, { minItems: 1 }),
    layout: Type.Optional(SectionLayout),
  },
  { additionalProperties: false },
);
export type Section = Static<typeof Section>;

/**
 * Items whose answers classify a response for quotas and group figures. Each names a single-choice
 * item; it may have a skip rule, and a response that was not asked it belongs to no group of that
 * dimension.
 */
export const DIMENSIONS = ['respondentType', 'servingLevel', 'serviceField'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const FormDefinition = Type.Object(
  {
    formId: Type.String({ pattern: FORM_ID_PATTERN }),
    version: Type.String({ pattern: FORM_VERSION_PATTERN }),
    /** A published version never changes; a change is a new version. */
    status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
    /**
     * This version is an earlier one (of the same form) presented anew: the same items, codes, skip rules
     * and dimensions — only section layouts and quality thresholds may differ, which the loader checks.
     * Its answers are the earlier version's answers, so the index definitions that score that version
     * score this one too.
     */
    revisionOf: Type.Optional(Type.String({ pattern: FORM_VERSION_PATTERN })),
    title: LocalizedText,
    method: Type.Object(
      {
        decision: Type.String({ minLength: 1 }),
        description: LocalizedText,
      },
      { additionalProperties: false },
    ),
    scales: Type.Record(Type.String({ pattern: '^[a-z][a-zA-Z0-9]*$' }), Scale),
    codeLists: Type.Record(Type.String({ pattern: '^[a-z][a-zA-Z0-9]*$' }), Type.Array(Option, { minItems: 1 })),
    dimensions: Type.Object(
      {
        respondentType: Type.String(),
        servingLevel: Type.String(),
        serviceField: Type.String(),
      },
      { additionalProperties: false },
    ),
    quality: Type.Object(
      {
        /** An interview (mode `capi`) shorter than this is flagged as too fast, unless `modes` says otherwise. */
        minDurationSeconds: Type.Integer({ minimum: 0 }),
        /**
         * The too-fast threshold per collection mode. A mode with no entry is not judged on time: a paper
         * form keyed in 90 seconds says nothing about how long the respondent took (keying has checks of
         * its own). Without `modes`, only interviews are judged, on `minDurationSeconds`.
         */
        modes: Type.Optional(
          Type.Object(
            {
              capi: Type.Optional(Type.Object({ minDurationSeconds: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
              papi: Type.Optional(Type.Object({ minDurationSeconds: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
              cawi: Type.Optional(Type.Object({ minDurationSeconds: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    sections: Type.Array(Section, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type FormDefinition = Static<typeof FormDefinition>;

import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../survey-forms/typebox';
import { QUALITY_RULES } from '../../../survey-forms/quality-rules';
import { REVIEW_DECISIONS, REVIEW_STATUSES } from '../../../survey-forms/review-status';
import { RoundId } from '../rounds/round.schema';
import { PostOfficeCode, ProvinceCode, Username } from '../users/user.schema';
import { AUDIT_ACTIONS } from './audit.repository';

export const ReviewStatusSchema = StringEnum(REVIEW_STATUSES, {
  description:
    'unchecked: quality checks not run yet; clear: no rule fired; flagged: awaits review; approved, rejected: a supervisor decided; ' +
    'returned: sent back to its enumerator with comments (out of the figures, like rejected; the corrected resend is a new response).',
});

export const ResponseParams = Type.Object({ roundId: RoundId, responseId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const ReviewListQuery = Type.Object(
  {
    status: Type.Optional(ReviewStatusSchema),
    province: Type.Optional(ProvinceCode),
    postOffice: Type.Optional(PostOfficeCode),
    offset: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  },
  { additionalProperties: false },
);
export type ReviewListQuery = Static<typeof ReviewListQuery>;

export const QualityFlagView = Type.Object({
  rule: StringEnum(QUALITY_RULES),
  message: Type.String({ description: 'One sentence a supervisor can read (English).' }),
  evidence: Type.Record(Type.String(), Type.Unknown(), { description: 'What the rule saw, e.g. durationSeconds and minimumSeconds.' }),
});

export const ReviewComment = Type.Object(
  {
    item: Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$', description: 'The questionnaire item the comment is about (its id).' }),
    text: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S', description: 'What to correct or ask again, shown beside the item on the enumerator’s device.' }),
  },
  { additionalProperties: false },
);

export const ReviewDecisionView = Type.Object({
  decision: StringEnum(REVIEW_DECISIONS),
  reason: Type.String(),
  by: Username,
  at: Type.String({ format: 'date-time' }),
  comments: Type.Array(ReviewComment, { description: 'With returned: what to correct, item by item; empty otherwise.' }),
});

/** A response as a reviewer sees it in the queue: no answers, no personal data. */
export const ReviewItemView = Type.Object({
  id: Type.String(),
  roundId: RoundId,
  provinceCode: ProvinceCode,
  provinceName: Type.String(),
  sampleUnitId: Type.Union([Type.String(), Type.Null()]),
  postOffice: Type.Union([PostOfficeCode, Type.Null()], { description: 'The post office of the response’s unit (or of its enumerator).' }),
  correctsResponseId: Type.Union([Type.String(), Type.Null()], { description: 'For a corrected resend: the returned response it replaces.' }),
  correctedByResponseId: Type.Union([Type.String(), Type.Null()], { description: 'For a returned response: its corrected resend, once received.' }),
  submittedBy: Username,
  interviewStartedAt: Type.String({ format: 'date-time' }),
  interviewEndedAt: Type.String({ format: 'date-time' }),
  storedAt: Type.String({ format: 'date-time' }),
  reviewStatus: ReviewStatusSchema,
  qualityFlags: Type.Array(QualityFlagView),
  review: Type.Union([ReviewDecisionView, Type.Null()]),
});

export const ReviewListReply = Type.Object({ total: Type.Integer(), responses: Type.Array(ReviewItemView) });

/** One response opened for review: its answers and paradata. Names, phones and addresses live in the sample list, never here. */
export const ReviewResponseView = Type.Composite([
  ReviewItemView,
  Type.Object({
    formId: Type.String(),
    formVersion: Type.String(),
    answers: Type.Record(Type.String(), Type.Unknown()),
    paradata: Type.Record(Type.String(), Type.Unknown()),
  }),
]);

export const DecisionBody = Type.Object(
  {
    decision: StringEnum(REVIEW_DECISIONS, {
      description:
        'approved: counts in the figures; rejected: never counts; returned: goes back to its enumerator with `comments` ' +
        '(required, at least one) and leaves the figures; the corrected resend is a new response naming this one in `correctsResponseId`.',
    }),
    comments: Type.Optional(Type.Array(ReviewComment, { minItems: 1, maxItems: 200, description: 'With returned (required then, and only then): a comment per item.' })),
    reason: Type.String({ minLength: 3, maxLength: 1000, pattern: '\\S', description: 'Why, in a sentence: kept in the audit log.' }),
    expectedStatus: StringEnum(REVIEW_STATUSES, {
      description:
        'The review state the decision was made on: what the deciding page shows (`reviewStatus` of the queue or of the opened response). ' +
        'If the response is in another state now — someone decided meanwhile — nothing changes and the answer is 409 `stale_decision`.',
    }),
  },
  { additionalProperties: false },
);

export const AuditQuery = Type.Object(
  {
    responseId: Type.Optional(Type.String({ format: 'uuid' })),
    province: Type.Optional(ProvinceCode),
    offset: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const AuditEntryView = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Username,
  actorRole: Type.String(),
  action: StringEnum(AUDIT_ACTIONS),
  roundId: Type.Union([RoundId, Type.Null()]),
  provinceCode: Type.Union([ProvinceCode, Type.Null()]),
  subject: Type.String({ description: 'What was acted on: response/<id> or quota/<province>/<level>/<field>[/<respondent type>].' }),
  before: Type.Unknown({ description: 'The state before the action.' }),
  after: Type.Unknown({ description: 'The state after the action.' }),
  reason: Type.Union([Type.String(), Type.Null()]),
});
export const AuditReply = Type.Object({ total: Type.Integer(), entries: Type.Array(AuditEntryView) });

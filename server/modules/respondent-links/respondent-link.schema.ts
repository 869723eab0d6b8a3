import { Type, type Static } from '@sinclair/typebox';
import { AnswerCode } from '../../../survey-forms/form-definition.schema';
import { StringEnum } from '../../../survey-forms/typebox';
import { FormDefinition } from '../forms/form.schema';
import { Paradata } from '../responses/response.schema';
import { RoundId } from '../rounds/round.schema';
import { SampleUnitId } from '../samples/sample.schema';
import { ProvinceCode } from '../users/user.schema';
import { TOKEN_PATTERN } from './respondent-token';
import { LINK_STATUSES } from '../../../survey-forms/respondent-link-status';

/** Largest draft the respondent page may save (answers as JSON). */
export const MAX_DRAFT_BYTES = 64 * 1024;

export const TokenParams = Type.Object(
  { token: Type.String({ pattern: TOKEN_PATTERN, description: 'The respondent token of the link (/r/<token>).' }) },
  { additionalProperties: false },
);

const LocalizedWords = Type.Object({ vi: Type.String(), en: Type.String() });

export const RespondentQuestionnaireReply = Type.Object({
  roundId: RoundId,
  formId: Type.String(),
  formVersion: Type.String(),
  expiresAt: Type.String({ format: 'date-time', description: 'The link works until then: the end of the round’s fieldwork (Vietnam time).' }),
  consent: LocalizedWords,
  form: FormDefinition,
  prefill: Type.Record(Type.String(), AnswerCode, { description: 'Answers the sample already knows (respondent type, serving level, service field); the respondent may change them.' }),
  draft: Type.Union([Type.Object({ answers: Type.Record(Type.String(), Type.Unknown()), savedAt: Type.String({ format: 'date-time' }) }), Type.Null()], {
    description: 'What was last saved through this link, if anything.',
  }),
});

export const RespondentDraftBody = Type.Object(
  { answers: Type.Record(Type.String({ maxLength: 32 }), Type.Unknown(), { maxProperties: 500 }) },
  { additionalProperties: false },
);
export const RespondentDraftReply = Type.Object({ savedAt: Type.String({ format: 'date-time' }) });

export const RespondentSubmitBody = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Made once on the device when the respondent starts: the same id sent again is the same response.' }),
    answers: Type.Record(Type.String(), Type.Unknown(), { description: 'Item id → answer, checked against the round’s questionnaire version.' }),
    paradata: Paradata,
  },
  { additionalProperties: false },
);
export type RespondentSubmitBody = Static<typeof RespondentSubmitBody>;

export const RespondentSubmitReply = Type.Object({
  status: StringEnum(['accepted', 'duplicate'], { description: 'accepted: stored now. duplicate: this response was already received (a re-send).' }),
  receivedAt: Type.String({ format: 'date-time' }),
});

export const LinkListQuery = Type.Object(
  {
    province: Type.Optional(ProvinceCode),
    offset: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
    format: Type.Optional(StringEnum(['json', 'csv'], { description: 'csv: the same list as a file to print or mail-merge.' })),
  },
  { additionalProperties: false },
);

export const LinkView = Type.Object({
  unitId: SampleUnitId,
  provinceCode: ProvinceCode,
  path: Type.String({ description: 'The respondent page, /r/<token>: put it after the server’s address (on the printed form, as a QR code).' }),
  state: StringEnum(['open', 'used', 'closed'], { description: 'open: not used yet. used: answered online. closed: the unit was completed otherwise or the link withdrawn; it opens nothing.' }),
  usedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  postOffice: Type.Union([Type.String(), Type.Null()], { description: 'The post office of the unit, if any.' }),
  assignedTo: Type.Union([Type.String(), Type.Null()], { description: 'The enumerator the unit is assigned to, if any.' }),
  status: StringEnum([...LINK_STATUSES], {
    description:
      'not_opened; opened (the questionnaire was read through it); draft_saved; submitted (answered through it); completed_otherwise (an interview or a paper form completed the unit); ' +
      'expired (fieldwork over, or the round closed); withdrawn (by a supervisor: it opens nothing).',
  }),
  generation: Type.Integer({ minimum: 1, description: '1 for a unit’s first link; each reissue adds one.' }),
  issuedAt: Type.String({ format: 'date-time' }),
  openedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the questionnaire was first read through the link.' }),
  draftSavedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const LinkListReply = Type.Object({
  roundId: RoundId,
  expiresAt: Type.String({ format: 'date-time' }),
  total: Type.Integer({ description: 'Units matching the filter (all pages).' }),
  links: Type.Array(LinkView),
});

export const UnitLinkParams = Type.Object({ roundId: RoundId, unitId: SampleUnitId }, { additionalProperties: false });
export const UnitLinkReply = Type.Composite([LinkView, Type.Object({ roundId: RoundId, expiresAt: Type.String({ format: 'date-time' }) })]);

/** Why a supervisor withdraws or replaces a link (kept in the audit log). */
export const LinkChangeBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Why, for the audit log (e.g. "the household lost the paper form").' })) },
  { additionalProperties: false },
);

import type { Logger } from 'pino';
import type { CataloguedProblem } from '../../../survey-forms/ajv';
import type { FormCatalogue } from '../../../survey-forms/catalogue';
import type { AnswerCode, Dimension } from '../../../survey-forms/form-definition.schema';
import { HttpProblem, validationFailed } from '../../http/problem';
import type { JobProducer } from '../../jobs/job-contract';
import { interviewLengthClass } from '../../../survey-forms/quality-rules';
import type { ReviewCountRepository } from '../aggregates/review-count.repository';
import type { AuditRepository } from '../review/audit.repository';
import type { AssignmentRepository } from '../assignments/assignment.repository';
import type { ResponseRepository } from '../responses/response.repository';
import { contentHashOf, requestQualityChecks } from '../responses/response.service';
import type { StoredResponse } from '../responses/response.model';
import type { RoundRecord, RoundRepository } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import { ANSWERED_ONLINE_BY, type SampleUnitRecord } from '../samples/sample-unit.model';
import type { SampleUnitRepository } from '../samples/sample-unit.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import type { RespondentLinkRecord, RespondentLinkRepository } from './respondent-link.repository';
import type { RespondentSubmitBody } from './respondent-link.schema';
import { respondentPath, respondentToken, tokenHash } from './respondent-token';
import { fieldScopeOf, inFieldScope, narrowToProvince } from '../../../survey-forms/field-scope';
import { linkCanBeReplaced, linkStatus, type LinkStatus } from '../../../survey-forms/respondent-link-status';

/** Who a response submitted through a respondent link is recorded as having been submitted by (and the unit as completed by). */
export const RESPONDENT_SUBMITTER = ANSWERED_ONLINE_BY;
/** Links are first issued in generation 1; a reissued link is the next generation. */
const FIRST_GENERATION = 1;

export interface RespondentLinkDeps {
  links: RespondentLinkRepository;
  rounds: RoundRepository;
  sampleUnits: SampleUnitRepository;
  assignments: AssignmentRepository;
  responses: ResponseRepository;
  forms: FormCatalogue;
  jobs: JobProducer;
  /** Just-stored responses show as unchecked in the figures' counts at once. */
  reviewCounts: Pick<ReviewCountRepository, 'addUnchecked'>;
  logger: Logger;
  /** Withdrawals and reissues are audited. */
  audit: Pick<AuditRepository, 'append'>;
  /** The key tokens are made with (`respondentLinkKey`). */
  linkKey: Buffer;
  now?: () => Date;
}

/** Whether a round lets respondents answer online. */
export function roundAllowsCawi(round: RoundRecord): boolean {
  return round.modes.includes('cawi');
}

/** The first instant after the round's fieldwork: its last day ends at midnight, Vietnam time. */
export function linkExpiresAt(round: Pick<RoundRecord, 'fieldworkEnd'>): Date {
  return new Date(Date.parse(`${round.fieldworkEnd}T00:00:00+07:00`) + 24 * 3600 * 1000);
}

/** One unit's link as the supervisor (and the printed form) sees it. */
export interface IssuedLink {
  unitId: string;
  provinceCode: string;
  postOffice: string | null;
  /** The enumerator the unit is assigned to, if any. */
  assignedTo: string | null;
  path: string;
  /** `open`: not used yet; `used`: answered online; `closed`: the unit was completed otherwise, or the link withdrawn: it opens nothing. */
  state: 'open' | 'used' | 'closed';
  /** The finer status the supervisor filters by (`linkStatus`). */
  status: LinkStatus;
  /** 1 for the first link of a unit; each reissue adds one. */
  generation: number;
  issuedAt: Date;
  openedAt: Date | null;
  draftSavedAt: Date | null;
  usedAt: Date | null;
  withdrawnAt: Date | null;
}

/** Whether a round's links no longer open: fieldwork over, the round closed, or no longer taking `cawi`. */
function linksExpired(round: RoundRecord, now: Date): boolean {
  return round.status !== 'open' || !roundAllowsCawi(round) || now >= linkExpiresAt(round);
}

/** How a unit's current link stands. */
function describeLink(deps: RespondentLinkDeps, round: RoundRecord, unit: SampleUnitRecord, link: RespondentLinkRecord, now: Date): IssuedLink {
  const status = linkStatus({ ...link, unitCompleted: Boolean(unit.responseId), expired: linksExpired(round, now) });
  return {
    unitId: unit.unitId,
    provinceCode: unit.provinceCode,
    postOffice: unit.postOffice ?? null,
    assignedTo: unit.assignedTo ?? null,
    path: respondentPath(respondentToken(deps.linkKey, round.id, unit.unitId, link.generation)),
    state: link.usedAt ? 'used' : unit.responseId || link.withdrawnAt ? 'closed' : 'open',
    status,
    generation: link.generation,
    issuedAt: link.issuedAt,
    openedAt: link.openedAt,
    draftSavedAt: link.draftSavedAt,
    usedAt: link.usedAt,
    withdrawnAt: link.withdrawnAt,
  };
}

function assertCawiRound(round: RoundRecord): void {
  if (!roundAllowsCawi(round)) {
    throw validationFailed([{ path: '/params/roundId', code: 'cawi_not_allowed', message: `round ${round.id} does not list cawi among its modes` }]);
  }
}

/**
 * Issues the links of these units (generation 1 for a unit that has none yet) and says how each
 * stands. A unit's link is its latest generation: the token is made again from it, never read back.
 */
async function issue(deps: RespondentLinkDeps, round: RoundRecord, units: ReadonlyArray<SampleUnitRecord>): Promise<IssuedLink[]> {
  const now = deps.now?.() ?? new Date();
  const recorded = await deps.links.findForUnits(round.id, units.map((u) => u.unitId));
  const missing = units.filter((u) => !recorded.has(u.unitId));
  if (missing.length > 0) {
    await deps.links.ensure(
      missing.map((unit) => ({
        tokenHash: tokenHash(respondentToken(deps.linkKey, round.id, unit.unitId, FIRST_GENERATION)),
        roundId: round.id,
        unitId: unit.unitId,
        provinceCode: unit.provinceCode,
        generation: FIRST_GENERATION,
        issuedAt: now,
      })),
    );
    for (const [unitId, link] of await deps.links.findForUnits(round.id, missing.map((u) => u.unitId))) recorded.set(unitId, link);
  }
  return units.flatMap((unit) => {
    const link = recorded.get(unit.unitId);
    return link ? [describeLink(deps, round, unit, link, now)] : [];
  });
}

/**
 * The links of units a print asks for, by unit id — what each printed questionnaire carries next to
 * its serial. Empty when the round allows no self-completion. The caller decides who may print them.
 */
export async function respondentLinksForPrint(deps: RespondentLinkDeps, round: RoundRecord, units: ReadonlyArray<SampleUnitRecord>): Promise<Map<string, IssuedLink>> {
  if (!roundAllowsCawi(round) || units.length === 0) return new Map();
  const links = await issue(deps, round, units);
  return new Map(links.filter((l) => l.status === 'not_opened' || l.status === 'opened' || l.status === 'draft_saved').map((l) => [l.unitId, l]));
}

/** A page of a round's respondent links, for a supervisor of the units' provinces (and post office, when they have one) or an administrator. */
export async function listRespondentLinks(
  deps: RespondentLinkDeps,
  user: AuthenticatedUser,
  roundId: string,
  query: { province?: string; offset: number; limit: number },
): Promise<{ round: RoundRecord; total: number; links: IssuedLink[] }> {
  const round = await getRound(deps, roundId);
  assertCawiRound(round);
  const scope = narrowToProvince(fieldScopeOf(user), query.province);
  if (!scope) throw new HttpProblem('forbidden', `Province ${String(query.province)} is not one of your provinces.`);
  const page = await deps.sampleUnits.listUnits(round.id, { scope }, { offset: query.offset, limit: query.limit });
  return { round, total: page.total, links: await issue(deps, round, page.units) };
}

/**
 * The link of one unit — what a printed questionnaire carries next to its serial. Undefined when the
 * round allows no self-completion or has no such unit. The caller decides who may see it.
 */
export async function respondentLinkFor(deps: RespondentLinkDeps, roundId: string, unitId: string): Promise<(IssuedLink & { expiresAt: Date }) | undefined> {
  const round = await deps.rounds.findById(roundId);
  const unit = round && roundAllowsCawi(round) ? await deps.sampleUnits.findUnit(roundId, unitId) : undefined;
  if (!round || !unit) return undefined;
  const [link] = await issue(deps, round, [unit]);
  return link ? { ...link, expiresAt: linkExpiresAt(round) } : undefined;
}

/** A unit's current link, for a supervisor who may act on it (the unit in their field scope). */
async function linkInScope(deps: RespondentLinkDeps, user: AuthenticatedUser, roundId: string, unitId: string): Promise<{ round: RoundRecord; unit: SampleUnitRecord; link: IssuedLink }> {
  const round = await getRound(deps, roundId);
  assertCawiRound(round);
  const unit = await deps.sampleUnits.findUnit(round.id, unitId);
  if (!unit) throw new HttpProblem('not_found', `Round ${round.id} has no sample unit ${unitId}.`);
  if (!inFieldScope(fieldScopeOf(user), unit)) throw new HttpProblem('forbidden', `Sample unit ${unitId} is not in your provinces (or not of your post office).`);
  const [link] = await issue(deps, round, [unit]);
  if (!link) throw new HttpProblem('not_found', `Round ${round.id} has no respondent link for unit ${unitId}.`);
  return { round, unit, link };
}

function assertReplaceable(link: IssuedLink): void {
  if (!linkCanBeReplaced(link.status)) {
    throw new HttpProblem('already_completed', `Sample unit ${link.unitId} is completed (${link.status}); its link can no longer be withdrawn or replaced.`);
  }
}

async function withdrawCurrent(deps: RespondentLinkDeps, round: RoundRecord, link: IssuedLink, by: string, at: Date): Promise<void> {
  const hash = tokenHash(respondentToken(deps.linkKey, round.id, link.unitId, link.generation));
  if (await deps.links.withdraw(hash, at, by)) return;
  // Not withdrawn now: withdrawn already (fine), or used meanwhile (the unit is completed).
  const now = await deps.links.findByTokenHash(hash);
  if (now?.usedAt) throw new HttpProblem('already_completed', `Sample unit ${link.unitId} was just answered through its link.`);
}

const auditSubject = (roundId: string, unitId: string): string => `respondent-link/${roundId}/${unitId}`;

/**
 * Withdraws a unit's link: its token then opens the "withdrawn" page (410) and its draft is dropped.
 * Refused once the unit is completed; withdrawing a withdrawn link again changes nothing. Audited.
 */
export async function withdrawRespondentLink(deps: RespondentLinkDeps, user: AuthenticatedUser, roundId: string, unitId: string, reason: string | null): Promise<IssuedLink & { expiresAt: Date }> {
  const { round, unit, link } = await linkInScope(deps, user, roundId, unitId);
  if (link.status === 'withdrawn') return { ...link, expiresAt: linkExpiresAt(round) };
  assertReplaceable(link);
  const at = deps.now?.() ?? new Date();
  await withdrawCurrent(deps, round, link, user.username, at);
  const [after] = await issue(deps, round, [unit]);
  await deps.audit.append([
    {
      at,
      actor: user.username,
      actorRole: user.role,
      action: 'respondent-link.withdrawn',
      roundId: round.id,
      provinceCode: unit.provinceCode,
      postOffice: unit.postOffice ?? null,
      subject: auditSubject(round.id, unit.unitId),
      before: { generation: link.generation, status: link.status },
      after: { generation: link.generation, status: 'withdrawn' },
      reason,
    },
  ]);
  return { ...(after ?? link), expiresAt: linkExpiresAt(round) };
}

/**
 * Issues a unit a new link (the next generation, a new token) and withdraws the one it had, so the
 * old token opens nothing any more. Refused once the unit is completed. Audited; the tokens are not.
 */
export async function reissueRespondentLink(deps: RespondentLinkDeps, user: AuthenticatedUser, roundId: string, unitId: string, reason: string | null): Promise<IssuedLink & { expiresAt: Date }> {
  const { round, unit, link } = await linkInScope(deps, user, roundId, unitId);
  assertReplaceable(link);
  const at = deps.now?.() ?? new Date();
  if (link.status !== 'withdrawn') await withdrawCurrent(deps, round, link, user.username, at);
  const generation = link.generation + 1;
  await deps.links.ensure([
    { tokenHash: tokenHash(respondentToken(deps.linkKey, round.id, unit.unitId, generation)), roundId: round.id, unitId: unit.unitId, provinceCode: unit.provinceCode, generation, issuedAt: at },
  ]);
  const [after] = await issue(deps, round, [unit]);
  if (!after) throw new HttpProblem('not_found', `Round ${round.id} has no respondent link for unit ${unitId}.`);
  await deps.audit.append([
    {
      at,
      actor: user.username,
      actorRole: user.role,
      action: 'respondent-link.reissued',
      roundId: round.id,
      provinceCode: unit.provinceCode,
      postOffice: unit.postOffice ?? null,
      subject: auditSubject(round.id, unit.unitId),
      before: { generation: link.generation, status: link.status },
      after: { generation: after.generation, status: after.status },
      reason,
    },
  ]);
  return { ...after, expiresAt: linkExpiresAt(round) };
}

/** What a token opens, or why it opens nothing. */
export type TokenState =
  | { kind: 'unknown' }
  | { kind: 'used' }
  | { kind: 'withdrawn' }
  | { kind: 'expired' }
  | { kind: 'open'; link: RespondentLinkRecord; round: RoundRecord; unit: SampleUnitRecord };

/**
 * Reads a token: unknown (never issued), used (a response came through it, or the unit was completed
 * otherwise), withdrawn (by a supervisor), expired (fieldwork over, the round closed or no longer open to self-completion), or open.
 */
export async function readToken(deps: RespondentLinkDeps, token: string): Promise<TokenState> {
  const link = await deps.links.findByTokenHash(tokenHash(token));
  if (!link) return { kind: 'unknown' };
  if (link.usedAt) return { kind: 'used' };
  if (link.withdrawnAt) return { kind: 'withdrawn' };
  const [round, unit] = await Promise.all([deps.rounds.findById(link.roundId), deps.sampleUnits.findUnit(link.roundId, link.unitId)]);
  if (!round || !unit) return { kind: 'unknown' };
  if (unit.responseId) return { kind: 'used' };
  const now = deps.now?.() ?? new Date();
  if (round.status !== 'open' || !roundAllowsCawi(round) || now >= linkExpiresAt(round)) return { kind: 'expired' };
  return { kind: 'open', link, round, unit };
}

/** An open token, or the error its state answers with (404 unknown, 410 used or expired). */
export async function openToken(deps: RespondentLinkDeps, token: string): Promise<Extract<TokenState, { kind: 'open' }>> {
  const state = await readToken(deps, token);
  switch (state.kind) {
    case 'open':
      return state;
    case 'unknown':
      throw new HttpProblem('not_found', 'No questionnaire opens with this link.');
    case 'used':
      throw new HttpProblem('link_used');
    case 'withdrawn':
      throw new HttpProblem('link_withdrawn');
    case 'expired':
      throw new HttpProblem('link_expired');
  }
}

/** The answers the sample already knows (respondent type, serving level, service field): filled in, the respondent may change them. */
export function prefillFor(deps: Pick<RespondentLinkDeps, 'forms'>, round: RoundRecord, unit: SampleUnitRecord): Record<string, AnswerCode> {
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) return {};
  const prefill: Record<string, AnswerCode> = {};
  for (const [dimension, itemId] of Object.entries(form.definition.dimensions) as Array<[Dimension, string]>) {
    const code = unit[dimension];
    const formItem = form.itemById.get(itemId);
    if (formItem?.codes.includes(code) && !formItem.item.relevant) prefill[itemId] = code;
  }
  return prefill;
}

export async function saveRespondentDraft(deps: RespondentLinkDeps, token: string, answers: Record<string, unknown>): Promise<Date> {
  const { link } = await openToken(deps, token);
  const at = deps.now?.() ?? new Date();
  if (!(await deps.links.saveDraft(link.tokenHash, answers, at))) throw new HttpProblem('link_used');
  return at;
}

/**
 * Stores the respondent's response (mode `cawi`) and completes the unit. One response per link: the
 * link is claimed first, so of two submissions at once only one goes through; the same response sent
 * again after a lost reply is answered as received (`duplicate`) and finishes what the first began,
 * even after the link has expired.
 */
export async function submitThroughLink(deps: RespondentLinkDeps, token: string, body: RespondentSubmitBody): Promise<{ status: 'accepted' | 'duplicate'; receivedAt: Date }> {
  const hash = tokenHash(token);
  const found = await deps.links.findByTokenHash(hash);
  const earlier = found?.usedAt && found.responseId === body.id ? { link: found, usedAt: found.usedAt } : undefined;
  const resend = earlier !== undefined;
  const { round, unit } = earlier ? await roundAndUnitOf(deps, earlier.link) : await openToken(deps, token);
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new HttpProblem('not_found', `Questionnaire ${round.formId} ${round.formVersion} is not installed.`);
  const problems: CataloguedProblem[] = form.validateAnswers(body.answers);
  if (Date.parse(body.paradata.endedAt) < Date.parse(body.paradata.startedAt)) problems.push({ path: '/paradata/endedAt', code: 'too_small', message: 'must not be before startedAt' });
  if (problems.length > 0) throw validationFailed(problems.map((p) => ({ ...p, path: `/body${p.path}` })));

  // A respondent's device says nothing of where they are: no location is kept.
  const { location: _location, ...paradata } = body.paradata;
  const contentHash = contentHashOf({ id: body.id, roundId: round.id, sampleUnitId: unit.unitId, answers: body.answers, paradata });
  const storedHash = (await deps.responses.findHashes([body.id])).get(body.id);
  if (storedHash !== undefined && (!resend || storedHash !== contentHash)) {
    throw validationFailed([{ path: '/body/id', code: 'conflict', message: 'a response with this id is already stored with different content' }]);
  }
  const now = deps.now?.() ?? new Date();
  if (!resend && !(await deps.links.claim(hash, body.id, now))) throw new HttpProblem('link_used');
  const receivedAt = earlier?.usedAt ?? now;
  if (storedHash === undefined) {
    const response: StoredResponse = {
        id: body.id,
        roundId: round.id,
        formId: round.formId,
        formVersion: round.formVersion,
        provinceCode: unit.provinceCode,
        mode: 'cawi',
        serial: null,
        answers: body.answers,
        paradata,
        sampleUnitId: unit.unitId,
        contentHash,
        submittedBy: RESPONDENT_SUBMITTER,
        storedAt: receivedAt,
        interviewStartedAt: new Date(body.paradata.startedAt),
        interviewEndedAt: new Date(body.paradata.endedAt),
        reviewStatus: 'unchecked',
        qualityFlags: [],
        interviewLengthClass: interviewLengthClass(new Date(body.paradata.startedAt), new Date(body.paradata.endedAt)),
        checkedAt: null,
        review: null,
        verification: null,
        postOffice: unit.postOffice ?? null,
        correctsResponseId: null,
        correctedByResponseId: null,
    };
    await deps.responses.insertNew([response]);
  }
  await finishSubmission(deps, round.id, unit.unitId, body.id, receivedAt);
  return { status: resend ? 'duplicate' : 'accepted', receivedAt };
}

async function roundAndUnitOf(deps: RespondentLinkDeps, link: RespondentLinkRecord): Promise<{ round: RoundRecord; unit: SampleUnitRecord }> {
  const [round, unit] = await Promise.all([deps.rounds.findById(link.roundId), deps.sampleUnits.findUnit(link.roundId, link.unitId)]);
  if (!round || !unit) throw new HttpProblem('not_found', 'No questionnaire opens with this link.');
  return { round, unit };
}

/** Completes the unit and asks for the quality checks; both are safe to repeat. */
async function finishSubmission(deps: RespondentLinkDeps, roundId: string, unitId: string, responseId: string, at: Date): Promise<void> {
  const marked = await deps.assignments.markCompleted([{ roundId, unitId, responseId }], at, RESPONDENT_SUBMITTER);
  if (marked === 0) deps.logger.warn({ roundId, unitId }, 'a unit answered online had been completed by another response meanwhile');
  const stored = await deps.responses.findById(responseId);
  if (stored) await requestQualityChecks(deps, [stored]);
}

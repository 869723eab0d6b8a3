import type { AppDeps } from '../../deps';
import { CACHE, csvReply, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { HttpProblem } from '../../http/problem';
import { RESPONDENT_CONSENT, presentLink, presentLinksCsv } from './respondent-link.present';
import {
  LinkChangeBody,
  LinkListQuery,
  LinkListReply,
  RespondentDraftBody,
  RespondentDraftReply,
  RespondentQuestionnaireReply,
  RespondentSubmitBody,
  RespondentSubmitReply,
  TokenParams,
  UnitLinkParams,
  UnitLinkReply,
} from './respondent-link.schema';
import {
  linkExpiresAt,
  listRespondentLinks,
  openToken,
  prefillFor,
  reissueRespondentLink,
  respondentLinkFor,
  saveRespondentDraft,
  submitThroughLink,
  withdrawRespondentLink,
  type IssuedLink,
  type RespondentLinkDeps,
} from './respondent-link.service';
import { respondentLinkKey } from './respondent-token';
import { RoundParams } from '../rounds/round.schema';
import { fieldScopeOf, inFieldScope } from '../../../survey-forms/field-scope';
import { MAX_DRAFT_BYTES } from './respondent-link.schema';
import { jsonByteLength } from '../../http/json-bounds';

export function respondentLinkDeps(deps: AppDeps): RespondentLinkDeps {
  return {
    links: deps.repos.respondentLinks,
    rounds: deps.repos.rounds,
    sampleUnits: deps.repos.sampleUnits,
    assignments: deps.repos.assignments,
    responses: deps.repos.responses,
    forms: deps.forms,
    jobs: deps.jobs,
    reviewCounts: deps.repos.reviewCounts,
    logger: deps.logger,
    audit: deps.repos.audit,
    linkKey: respondentLinkKey(deps.config.PERSONAL_DATA_KEY),
  };
}

const TOKEN_ERRORS = {
  404: { description: 'No link has this token' },
  410: {
    description:
      'The link was used (link_used: the answers were received), withdrawn by a supervisor (link_withdrawn) or has expired (link_expired: fieldwork is over, or the round closed)',
  },
  429: { description: 'Too many requests with this token or from this address, or too many unknown tokens from this address (too_many_requests); Retry-After says when to try again' },
};

function unitLinkReply(roundId: string, link: IssuedLink & { expiresAt: Date }) {
  return jsonReply({ ...presentLink(link), roundId, expiresAt: link.expiresAt.toISOString() }, { cacheControl: CACHE.noStore });
}

/** The respondent's API (no account: the token is the key) and the supervisor's list of links. */
export function respondentLinkRoutes(deps: AppDeps): RouteSpec[] {
  const linkDeps = respondentLinkDeps(deps);
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/respondent-links',
      tag: 'respondent links',
      summary: "A round's respondent links, one per sample unit (supervisor: own provinces; admin)",
      description:
        'Issues each listed unit its link (a one-time token bound to the round and the unit, valid until the end of fieldwork) and says how it stands. ' +
        'Only the SHA-256 of a token is stored; the server can give a unit its link again at any time. The round must list cawi among its modes. ' +
        'Each link says its status (not opened, opened, draft saved, submitted, completed otherwise, expired, withdrawn). A supervisor with a post office sees its units only. ' +
        'format=csv gives the same page as a file to print or mail-merge. No names, phones or addresses.',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      query: LinkListQuery,
      responses: {
        200: { description: 'A page of links, ordered by province and unit id', schema: LinkListReply, contentTypes: ['text/csv'] },
        400: { description: 'The round does not allow self-completion (cawi_not_allowed), or a bad query' },
        403: { description: 'The province is not one of yours' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, query, user }) => {
        const page = await listRespondentLinks(linkDeps, user, params.roundId, query);
        const reply = { roundId: page.round.id, expiresAt: linkExpiresAt(page.round).toISOString(), total: page.total, links: page.links.map(presentLink) };
        if (query.format === 'csv') return csvReply(presentLinksCsv(reply), { fileName: `${page.round.id}-respondent-links-${query.offset}.csv`, cacheControl: CACHE.noStore });
        return jsonReply(reply, { cacheControl: CACHE.noStore });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/respondent-links/:unitId',
      tag: 'respondent links',
      summary: "One sample unit's respondent link, e.g. for its printed questionnaire (supervisor: own provinces; admin)",
      access: { roles: ['supervisor', 'admin'] },
      params: UnitLinkParams,
      responses: {
        200: { description: 'The link', schema: UnitLinkReply },
        403: { description: 'The unit is not in one of your provinces' },
        404: { description: 'No such round or unit, or the round does not allow self-completion' },
      },
      handler: async ({ params, user }) => {
        const link = await respondentLinkFor(linkDeps, params.roundId, params.unitId);
        if (!link) throw new HttpProblem('not_found', `Round ${params.roundId} has no respondent link for unit ${params.unitId}.`);
        if (!inFieldScope(fieldScopeOf(user), link)) throw new HttpProblem('forbidden', 'The unit is not in one of your provinces (or not of your post office).');
        return unitLinkReply(params.roundId, link);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/respondent-links/:unitId/withdraw',
      tag: 'respondent links',
      summary: "Withdraw a sample unit's respondent link (supervisor: own provinces and post office; admin)",
      description:
        'The link then opens nothing: its page is 410 "withdrawn" and the respondent API answers 410 link_withdrawn; a draft saved through it is dropped. ' +
        'Withdrawing a withdrawn link again changes nothing. Refused (409 already_completed) once the unit is completed, online or otherwise. ' +
        'Audited (respondent-link.withdrawn, with the reason); the token is never written down.',
      access: { roles: ['supervisor', 'admin'] },
      params: UnitLinkParams,
      body: LinkChangeBody,
      responses: {
        200: { description: 'The link, now withdrawn', schema: UnitLinkReply },
        400: { description: 'The round does not allow self-completion (cawi_not_allowed), or a bad reason' },
        403: { description: 'The unit is not in your provinces or not of your post office' },
        404: { description: 'No such round or unit' },
        409: { description: 'The unit is completed (already_completed)' },
      },
      handler: async ({ params, body, user }) => {
        const link = await withdrawRespondentLink(linkDeps, user, params.roundId, params.unitId, body.reason ?? null);
        return unitLinkReply(params.roundId, link);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/respondent-links/:unitId/reissue',
      tag: 'respondent links',
      summary: 'Issue a sample unit a new respondent link, withdrawing the one it had (supervisor: own provinces and post office; admin)',
      description:
        'The new link has a new token (the next generation); the old one opens nothing any more (410). The links list, the CSV and the print view ' +
        'give the new one from now on. Refused (409 already_completed) once the unit is completed. Audited (respondent-link.reissued, with the reason).',
      access: { roles: ['supervisor', 'admin'] },
      params: UnitLinkParams,
      body: LinkChangeBody,
      successStatus: 201,
      responses: {
        201: { description: 'The new link', schema: UnitLinkReply },
        400: { description: 'The round does not allow self-completion (cawi_not_allowed), or a bad reason' },
        403: { description: 'The unit is not in your provinces or not of your post office' },
        404: { description: 'No such round or unit' },
        409: { description: 'The unit is completed (already_completed)' },
      },
      handler: async ({ params, body, user }) => {
        const link = await reissueRespondentLink(linkDeps, user, params.roundId, params.unitId, body.reason ?? null);
        return unitLinkReply(params.roundId, link);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/respond/:token',
      tag: 'respondent',
      summary: 'The questionnaire a respondent link opens (no account: the token is the key)',
      description:
        'The round’s questionnaire version, the consent text, the answers the sample already knows and the draft saved last. ' +
        'Never a name, phone or address, and never the answers of a submitted response.',
      access: 'public',
      params: TokenParams,
      responses: { 200: { description: 'The questionnaire', schema: RespondentQuestionnaireReply }, ...TOKEN_ERRORS },
      handler: async ({ params }) => {
        const { link, round, unit } = await openToken(linkDeps, params.token);
        const form = deps.forms.get(round.formId, round.formVersion);
        if (!form) throw new HttpProblem('not_found', `Questionnaire ${round.formId} ${round.formVersion} is not installed.`);
        // The supervisor's list says the link was opened.
        await linkDeps.links.markOpened(link.tokenHash, new Date());
        return {
          roundId: round.id,
          formId: round.formId,
          formVersion: round.formVersion,
          expiresAt: linkExpiresAt(round).toISOString(),
          consent: RESPONDENT_CONSENT,
          form: form.definition,
          prefill: prefillFor(linkDeps, round, unit),
          draft: link.draft && link.draftSavedAt ? { answers: link.draft, savedAt: link.draftSavedAt.toISOString() } : null,
        };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/respond/:token/draft',
      tag: 'respondent',
      summary: 'Save the respondent’s answers so far (a draft, not checked)',
      access: 'public',
      params: TokenParams,
      body: RespondentDraftBody,
      responses: { 200: { description: 'Saved', schema: RespondentDraftReply }, 400: { description: 'Not a draft, or larger than 64 KiB' }, ...TOKEN_ERRORS },
      handler: async ({ params, body }) => {
        if (jsonByteLength(body.answers) > MAX_DRAFT_BYTES) {
          throw new HttpProblem('validation_failed', `A draft is at most ${MAX_DRAFT_BYTES / 1024} KiB of JSON.`, [
            { path: '/body/answers', code: 'too_large', message: `is larger than ${MAX_DRAFT_BYTES} bytes of JSON` },
          ]);
        }
        return { savedAt: (await saveRespondentDraft(linkDeps, params.token, body.answers)).toISOString() };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/respond/:token/submit',
      tag: 'respondent',
      summary: 'Submit the respondent’s answers: one response (mode cawi) per link, which completes the sample unit',
      description:
        'The answers are checked against the round’s questionnaire version with the same validator as every response. Accepted, the response ' +
        'is stored with mode cawi, the unit is completed, and the link opens nothing any more (410 link_used). The same id sent again after ' +
        'a lost reply is answered duplicate.',
      access: 'public',
      params: TokenParams,
      body: RespondentSubmitBody,
      successStatus: 201,
      responses: {
        201: { description: 'Received', schema: RespondentSubmitReply },
        200: { description: 'This response was already received (a re-send)', schema: RespondentSubmitReply },
        400: { description: 'Answers the questionnaire refuses; `details` names each with its path (/body/answers/<item>)' },
        ...TOKEN_ERRORS,
      },
      handler: async ({ params, body }) => {
        const outcome = await submitThroughLink(linkDeps, params.token, body);
        const reply = { status: outcome.status, receivedAt: outcome.receivedAt.toISOString() };
        return outcome.status === 'duplicate' ? jsonReply(reply, { status: 200 }) : reply;
      },
    }),
  ];
}

import type { AppDeps } from '../../deps';
import { countDecision } from '../aggregates/tally-changes.service';
import { CACHE, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { RoundParams } from '../rounds/round.schema';
import { getRound } from '../rounds/round.service';
import { presentAuditEntry, presentReviewItem, presentReviewResponse } from './review.present';
import { AuditQuery, AuditReply, DecisionBody, ResponseParams, ReviewListQuery, ReviewListReply, ReviewResponseView } from './review.schema';
import { decide, listForReview, openResponse, readAuditLog, type ReviewDeps } from './review.service';

export function reviewRoutes(deps: AppDeps): RouteSpec[] {
  const reviewDeps = (): ReviewDeps => ({
    rounds: deps.repos.rounds,
    responses: deps.repos.responses,
    review: deps.repos.review,
    audit: deps.repos.audit,
    logger: deps.logger,
    countDecision: (change) =>
      countDecision(
        { rounds: deps.repos.rounds, tallyFeed: deps.repos.tallyFeed, tallies: deps.repos.tallies, forms: deps.forms, definitions: deps.definitions, jobs: deps.jobs, reviewCounts: deps.repos.reviewCounts },
        change,
      ),
    forms: deps.forms,
    assignments: deps.repos.assignments,
    postOffices: deps.repos.postOffices,
  });
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/review',
      tag: 'review',
      summary: 'The review queue: responses of your provinces in one review state, oldest first (supervisor, admin)',
      description: 'By default the flagged responses, which await a decision. Each carries its quality flags with their evidence; answers are read one at a time.',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      query: ReviewListQuery,
      responses: {
        200: { description: 'A page of the queue', schema: ReviewListReply },
        403: { description: 'The province asked for is not one of yours' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, query, user }) => {
        const round = await getRound(deps.repos, params.roundId);
        const page = await listForReview(reviewDeps(), user, round.id, { ...query, status: query.status ?? 'flagged' });
        return jsonReply({ total: page.total, responses: page.responses.map((r) => presentReviewItem(r, round, deps.provinces)) }, { cacheControl: CACHE.noStore });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/responses/:responseId',
      tag: 'review',
      summary: 'Open one response: answers, paradata, flags and decision (supervisor of its province, admin)',
      description: 'No personal data: names, phones and addresses stay in the sample list.',
      access: { roles: ['supervisor', 'admin'] },
      params: ResponseParams,
      responses: {
        200: { description: 'The response', schema: ReviewResponseView },
        403: { description: 'The response is of a province that is not yours' },
        404: { description: 'No such response in this round' },
      },
      handler: async ({ params, user }) => {
        const round = await getRound(deps.repos, params.roundId);
        const response = presentReviewResponse(await openResponse(reviewDeps(), user, round.id, params.responseId), round, deps.provinces);
        return jsonReply(response, { cacheControl: CACHE.noStore });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/responses/:responseId/review',
      tag: 'review',
      summary: 'Approve, reject or return a response, with a reason (supervisor of its province or post office, admin)',
      description:
        'An approved response counts in the figures, a rejected one never does; the worker recomputes the province. ' +
        'A returned one leaves the figures too and goes back to its enumerator with a comment per item (`comments`): it is listed at ' +
        '`GET /me/returned`, its unit reopens, and the corrected resend (a new response id naming it in `correctsResponseId`) is checked again. ' +
        'Every decision goes to the audit log with the state before and after. The decision names the review state it was made on ' +
        '(`expectedStatus`, required: what the deciding page shows); if the response is in another state now, nothing changes and the ' +
        'answer is 409 `stale_decision` — reload and decide again. Deciding what is already decided the same way changes nothing, and ' +
        'so does repeating one\'s own standing decision (a resend after a lost reply).',
      access: { roles: ['supervisor', 'admin'] },
      params: ResponseParams,
      body: DecisionBody,
      responses: {
        200: { description: 'The response as it is now', schema: ReviewResponseView },
        403: { description: 'The response is of a province that is not yours' },
        404: { description: 'No such response in this round' },
        409: {
          description:
            'Not checked yet (`not_checked_yet`), or the response is no longer in the `expectedStatus` the decision was made on: ' +
            'someone decided meanwhile (`stale_decision`); nothing changed',
        },
      },
      handler: async ({ params, body, user }) => {
        const round = await getRound(deps.repos, params.roundId);
        return jsonReply(presentReviewResponse(await decide(reviewDeps(), user, round.id, params.responseId, body), round, deps.provinces), {
          cacheControl: CACHE.noStore,
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/audit-log',
      tag: 'review',
      summary: 'The audit log of a round: who did what, when, before and after; newest first (supervisor: own provinces; admin)',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      query: AuditQuery,
      responses: {
        200: { description: 'A page of entries', schema: AuditReply },
        403: { description: 'The province asked for, or the province of the response asked for, is not one of yours' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, query, user }) => {
        const page = await readAuditLog(reviewDeps(), user, params.roundId, query);
        return jsonReply({ total: page.total, entries: page.entries.map(presentAuditEntry) }, { cacheControl: CACHE.noStore });
      },
    }),
  ];
}

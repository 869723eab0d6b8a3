import type { AppDeps } from '../../deps';
import { defineRoute, type RouteSpec } from '../../http/route';
import { RoundParams } from '../rounds/round.schema';
import { createAggregateReplyCache } from './aggregate-reply-cache';
import { AggregatesQuery, AggregatesReply, RecomputeReply } from './aggregate.schema';
import { requestRecompute, type AggregateDeps } from './aggregate.service';

export function aggregateRoutes(deps: AppDeps): RouteSpec[] {
  const aggregateDeps: AggregateDeps = {
    rounds: deps.repos.rounds,
    tallyFeed: deps.repos.tallyFeed,
    tallies: deps.repos.tallies,
    aggregates: deps.repos.aggregates,
    reviewCounts: deps.repos.reviewCounts,
    review: deps.repos.review,
    verification: deps.repos.verification,
    forms: deps.forms,
    definitions: deps.definitions,
    provinces: deps.provinces,
    jobs: deps.jobs,
  };
  const replies = createAggregateReplyCache();
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/aggregates',
      tag: 'aggregates',
      summary: 'Index figures of a round: one indicator, one estimate, rows per province or group',
      description:
        'Figures as last computed by the worker (`computedAt` says when) with the index definition the round names. ' +
        'Rows carry n, value and, when asked with `fields`, the 95% interval, rank, reliability flag and the change against ' +
        'the round\'s previous round (points and places). `summary` gives the median, quartiles and range of the provincial values. ' +
        'The JSON table carries an ETag that changes whenever anything it shows changes (new figures, review or keying counts, the round): ' +
        'a request with `If-None-Match` naming it is answered 304 without a body.',
      access: { roles: ['analyst', 'supervisor', 'admin'] },
      params: RoundParams,
      query: AggregatesQuery,
      responses: {
        200: {
          description: 'The table (with `download`, `format=csv` or `format=xlsx`: a file, named after the round, indicator, estimate, grouping and edition)',
          schema: AggregatesReply,
          contentTypes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        },
        304: { description: 'Not modified: the JSON table named by If-None-Match is still current' },
        400: { description: 'An unknown indicator or field, an edition the round cannot be shown on, a weighted estimate of an unweighted round, or rows by mode of figures computed before they existed (ask for a recompute)' },
        404: { description: 'No such round' },
      },
      handler: ({ params, query }) => replies.read({ ...aggregateDeps, review: deps.repos.review }, params.roundId, query),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/recompute',
      tag: 'aggregates',
      summary: 'Recompute all figures of a round from its stored responses (admin, analyst)',
      description:
        'Queues a job that re-tallies every province and recomputes every figure. Watch it at `statusUrl` ' +
        '(GET /api/v1/jobs/:jobId): its progress counts cells (province × respondent type × serving level × service field) done of total. ' +
        'Asking again before any new response arrives returns the same job.',
      access: { roles: ['admin', 'analyst'] },
      params: RoundParams,
      successStatus: 202,
      responses: {
        202: { description: 'Queued (or already queued, running or done for the same data)', schema: RecomputeReply },
        404: { description: 'No such round' },
        503: { description: 'The job queue is not reachable; nothing was queued' },
      },
      handler: async ({ params, user }) => {
        const { jobId, state } = await requestRecompute(aggregateDeps, params.roundId, user.username);
        return { jobId, state, statusUrl: `/api/v1/jobs/${jobId}` };
      },
    }),
  ];
}

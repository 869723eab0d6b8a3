import type { AppDeps } from '../../deps';
import { defineRoute, type RouteSpec } from '../../http/route';
import { RoundParams } from '../rounds/round.schema';
import { aggregateCodebook, aggregatesWorkbook, downloadMetadata } from '../exports/aggregate-download';
import { aggregatesToCsv, groupLabel, presentAggregates } from './aggregate.present';
import { AggregatesQuery, AggregatesReply, RecomputeReply } from './aggregate.schema';
import { getAggregateTable, requestRecompute, type AggregateDeps } from './aggregate.service';

export function aggregateRoutes(deps: AppDeps): RouteSpec[] {
  const aggregateDeps: AggregateDeps = {
    rounds: deps.repos.rounds,
    tallyFeed: deps.repos.tallyFeed,
    tallies: deps.repos.tallies,
    aggregates: deps.repos.aggregates,
    review: deps.repos.review,
    forms: deps.forms,
    definitions: deps.definitions,
    provinces: deps.provinces,
    jobs: deps.jobs,
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/aggregates',
      tag: 'aggregates',
      summary: 'Index figures of a round: one indicator, one estimate, rows per province or group',
      description:
        'Figures as last computed by the worker (`computedAt` says when) with the index definition the round names. ' +
        'Rows carry n, value and, when asked with `fields`, the 95% interval, rank, reliability flag and the change against ' +
        'the round\'s previous round (points and places). `summary` gives the median, quartiles and range of the provincial values.',
      access: { roles: ['analyst', 'supervisor', 'admin'] },
      params: RoundParams,
      query: AggregatesQuery,
      responses: {
        200: {
          description: 'The table (with `download`, `format=csv` or `format=xlsx`: a file, named after the round, indicator, estimate, grouping and edition)',
          schema: AggregatesReply,
          contentTypes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        },
        400: { description: 'An unknown indicator or field, an edition the round cannot be shown on, or a weighted estimate of an unweighted round' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, query, res }) => {
        const table = await getAggregateTable(aggregateDeps, params.roundId, query);
        const view = presentAggregates(table, deps.provinces, { suppress: query.suppress });
        const fileName = `${view.roundId}-${view.indicator}-${view.estimate}-${view.by}-${view.boundaryEdition}${view.suppressed ? '-suppressed' : ''}`;
        if (query.format === 'csv') {
          res.status(200).type('text/csv; charset=utf-8').attachment(`${fileName}.csv`).send(aggregatesToCsv(view.fields, view.rows));
          return undefined;
        }
        if (query.format === 'json' && !query.download) return view;
        const metadata = downloadMetadata(view, {
          roundYear: table.round.year,
          review: await deps.repos.review.reviewBreakdown(table.round.id),
          generatedAt: new Date(),
          reliability: table.rows.map((r) => ({ group: r.group, label: groupLabel(table.by, r.group, table.edition, table.form, deps.provinces), n: r.n, reliable: r.reliable })),
        });
        const codebook = aggregateCodebook(view, table.definition, deps.provinces);
        if (query.format === 'xlsx') {
          res
            .status(200)
            .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
            .attachment(`${fileName}.xlsx`)
            .send(await aggregatesWorkbook(view, codebook, metadata));
          return undefined;
        }
        res.status(200).attachment(`${fileName}.json`).json({ ...view, metadata, codebook });
        return undefined;
      },
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

import type { AppDeps } from '../../deps';
import { defineRoute, type RouteSpec } from '../../http/route';
import { RoundParams } from '../rounds/round.schema';
import { getRound } from '../rounds/round.service';
import { aggregatesToCsv, presentAggregates } from './aggregate.present';
import { AggregatesQuery, AggregatesReply } from './aggregate.schema';

export function aggregateRoutes(deps: AppDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/aggregates',
      tag: 'aggregates',
      summary: 'Satisfaction per province or per administrative-unit type',
      description: 'Figures as last computed by the worker; `computedAt` says when.',
      access: { roles: ['analyst', 'supervisor', 'admin'] },
      params: RoundParams,
      query: AggregatesQuery,
      responses: {
        200: { description: 'The table', schema: AggregatesReply, contentTypes: ['text/csv'] },
        404: { description: 'No such round' },
      },
      handler: async ({ params, query, res }) => {
        const round = await getRound(deps.repos, params.roundId);
        const view = presentAggregates(round, await deps.repos.aggregates.findAggregate(round.id), query.by, deps.provinces);
        if (query.format === 'csv') {
          res
            .status(200)
            .type('text/csv; charset=utf-8')
            .attachment(`${round.id}-${query.by}.csv`)
            .send(aggregatesToCsv(view.rows));
          return undefined;
        }
        return view;
      },
    }),
  ];
}

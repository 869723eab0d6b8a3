import type { AppDeps } from '../../deps';
import { defineRoute, type RouteSpec } from '../../http/route';
import { PostOfficeListQuery, PostOfficeListReply, PostOfficeUpsertBody, PostOfficeUpsertReply } from './post-office.schema';
import { listPostOffices, upsertPostOffices } from './post-office.service';

export function postOfficeRoutes(deps: AppDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/post-offices',
      tag: 'post-offices',
      summary: 'Post offices within your scope: all for national roles, your provinces’ for a supervisor, your own for post-office staff',
      access: { roles: ['admin', 'supervisor', 'enumerator', 'analyst'] },
      query: PostOfficeListQuery,
      responses: { 200: { description: 'Post offices by province and code', schema: PostOfficeListReply }, 403: { description: 'The province is not one of yours' } },
      handler: async ({ query, user }) => ({ postOffices: await listPostOffices(deps.repos.postOffices, user, query.province) }),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/post-offices',
      tag: 'post-offices',
      summary: 'Add or rename post offices (admin)',
      description: 'Idempotent: sending the same list again changes nothing. Every province code must be one of either boundary edition.',
      access: { roles: ['admin'] },
      body: PostOfficeUpsertBody,
      responses: { 200: { description: 'The post offices now known', schema: PostOfficeUpsertReply }, 400: { description: 'An unknown province (`unknown_province`) or a code given twice' } },
      handler: async ({ body }) => upsertPostOffices({ postOffices: deps.repos.postOffices, provinces: deps.provinces }, body),
    }),
  ];
}

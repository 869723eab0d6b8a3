import type { AppDeps } from '../../deps';
import { defineRoute, type RouteSpec } from '../../http/route';
import { ROLES } from '../users/user.schema';
import { presentRound } from './round.present';
import { CreateRoundBody, RoundListReply, RoundParams, RoundView, UpdateRoundBody } from './round.schema';
import { createRound, getRound, updateRound } from './round.service';

export function roundRoutes(deps: AppDeps): RouteSpec[] {
  const roundDeps = { rounds: deps.repos.rounds, forms: deps.forms, definitions: deps.definitions };
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds',
      tag: 'rounds',
      summary: 'Create a survey round (admin)',
      description:
        'A round names its questionnaire version, the index definition its figures are computed with (by default the latest published one ' +
        'that scores the questionnaire version), its boundary edition (63 or 34 provinces), its fieldwork dates, and optionally the ' +
        'previous round that changes in points and places are measured against; the modes it takes responses in (`modes`, default capi only) ' +
        'and the share of paper forms keyed twice (`doubleEntryShare`, default 0).',
      access: { roles: ['admin'] },
      body: CreateRoundBody,
      successStatus: 201,
      responses: { 201: { description: 'Created', schema: RoundView }, 409: { description: 'The id is taken (`already_exists`)' } },
      handler: async ({ body, user }) => presentRound(await createRound(roundDeps, body, user.username)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds',
      tag: 'rounds',
      summary: 'List rounds, newest first',
      access: { roles: ROLES },
      responses: { 200: { description: 'All rounds', schema: RoundListReply } },
      handler: async () => ({ rounds: (await deps.repos.rounds.list()).map(presentRound) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId',
      tag: 'rounds',
      summary: 'One round',
      access: { roles: ROLES },
      params: RoundParams,
      responses: { 200: { description: 'The round', schema: RoundView }, 404: { description: 'No such round' } },
      handler: async ({ params }) => presentRound(await getRound(roundDeps, params.roundId)),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/rounds/:roundId',
      tag: 'rounds',
      summary: 'Open or close a round, move its fieldwork dates, name its previous round, or change its modes and double-entry share (admin)',
      access: { roles: ['admin'] },
      params: RoundParams,
      body: UpdateRoundBody,
      responses: { 200: { description: 'The updated round', schema: RoundView }, 404: { description: 'No such round' } },
      handler: async ({ params, body }) => presentRound(await updateRound(roundDeps, params.roundId, body)),
    }),
  ];
}

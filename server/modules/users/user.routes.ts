import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../deps';
import { defineRoute, type RouteSpec } from '../../http/route';
import { presentUser } from './user.present';
import { CreateUserBody, UserView } from './user.schema';
import { createUser } from './user.service';

export function userRoutes(deps: AppDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/users',
      tag: 'users',
      summary: 'Create a user (admin)',
      access: { roles: ['admin'] },
      body: CreateUserBody,
      successStatus: 201,
      responses: { 201: { description: 'Created', schema: UserView }, 409: { description: 'The username is taken (`already_exists`)' } },
      handler: async ({ body }) => presentUser(await createUser(deps.repos.users, body, new Date(), deps.repos.postOffices)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/users',
      tag: 'users',
      summary: 'List users (admin)',
      access: { roles: ['admin'] },
      responses: { 200: { description: 'All users', schema: Type.Object({ users: Type.Array(UserView) }) } },
      handler: async () => ({ users: (await deps.repos.users.list()).map(presentUser) }),
    }),
  ];
}

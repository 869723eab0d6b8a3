import type { AppDeps } from '../../deps';
import { CACHE, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { uploadedCsv } from '../uploads/spreadsheet-upload';
import { presentUser } from './user.present';
import {
  CreateUserBody,
  PasswordResetReply,
  UpdateUserBody,
  UserImportBody,
  UserImportQuery,
  UserImportReply,
  UserListQuery,
  UserListReply,
  UserParams,
  UserView,
} from './user.schema';
import { createUser, importUsers, resetPassword, updateUser, type UserAdminDeps } from './user.service';

export function userRoutes(deps: AppDeps): RouteSpec[] {
  const adminDeps = (): UserAdminDeps => ({ users: deps.repos.users, sessions: deps.repos.sessions, provinces: deps.provinces });
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/users',
      tag: 'users',
      summary: 'Create a user (admin)',
      description:
        'The password must have at least 10 characters, not be only spaces, not be one of the most common passwords and not contain ' +
        'the username; otherwise a 400 `validation_failed` names `/body/password` with each reason (`password_too_short`, ' +
        '`password_blank`, `password_common`, `password_contains_username`).',
      access: { roles: ['admin'] },
      body: CreateUserBody,
      successStatus: 201,
      responses: { 201: { description: 'Created', schema: UserView }, 400: { description: 'Not valid, or a weak password (`validation_failed`)' }, 409: { description: 'The username is taken (`already_exists`)' } },
      handler: async ({ body }) => presentUser(await createUser(deps.repos.users, body, new Date(), deps.repos.postOffices)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/users',
      tag: 'users',
      summary: 'List users, with search and filters (admin)',
      access: { roles: ['admin'] },
      query: UserListQuery,
      responses: { 200: { description: 'A page of the users matching the filter, by username', schema: UserListReply } },
      handler: async ({ query }) => {
        const { offset, limit, ...filter } = query;
        const page = await deps.repos.users.search(filter, { offset, limit });
        return { total: page.total, users: page.users.map(presentUser) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/users/:username',
      tag: 'users',
      summary: 'Change a user: display name, provinces, or deactivate them with `{"active": false}` (admin)',
      description:
        'A deactivated user cannot log in, and every token they hold gets 401 on its next request. The units assigned to them stay ' +
        'assigned (and listed) so that they can be reassigned. `{"active": true}` lets them log in again. Nobody deactivates themselves.',
      access: { roles: ['admin'] },
      params: UserParams,
      body: UpdateUserBody,
      responses: {
        200: { description: 'The user as it is now', schema: UserView },
        400: { description: 'Deactivating yourself (`not_allowed`)' },
        404: { description: 'No such user' },
      },
      handler: async ({ params, body, user }) => presentUser(await updateUser(adminDeps(), user, params.username, body)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/users/:username/password-reset',
      tag: 'users',
      summary: 'Give a user a new random password, shown once; their sessions end (admin)',
      access: { roles: ['admin'] },
      params: UserParams,
      responses: { 200: { description: 'The new password', schema: PasswordResetReply }, 404: { description: 'No such user' } },
      // A password: never kept by any cache.
      handler: async ({ params }) => jsonReply(await resetPassword(adminDeps(), params.username), { cacheControl: CACHE.noStore }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/users/import',
      tag: 'users',
      summary: 'Create enumerators from a list: CSV, XLSX (base64) or JSON (admin)',
      description:
        'Columns username, display_name, provinces (codes separated by spaces or semicolons). Every problem of every row is reported ' +
        '(line, field, reason); a list with problems creates nobody unless skipInvalid=true; dryRun=true only reports. A username ' +
        'already taken is a problem of its row, so the same list imported twice creates nobody twice. Each account gets a random ' +
        'password, in `credentials`, shown this once.',
      access: { roles: ['admin'] },
      query: UserImportQuery,
      body: UserImportBody,
      responses: {
        200: { description: 'Created (or, on a dry run, checked)', schema: UserImportReply },
        400: { description: 'Rows with problems (nobody created), or an unreadable file; `details` lists each problem with its line' },
      },
      handler: async ({ query, body }) => {
        const csv = await uploadedCsv(body);
        const outcome = await importUsers(adminDeps(), csv !== undefined ? { csv } : { users: body.users }, query);
        return jsonReply(outcome, { cacheControl: CACHE.noStore });
      },
    }),
  ];
}

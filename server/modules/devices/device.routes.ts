import type { AppDeps } from '../../deps';
import { CACHE, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { RoundParams } from '../rounds/round.schema';
import { getRound } from '../rounds/round.service';
import { scopeToShow } from '../post-offices/post-office.service';
import { DeviceListQuery, DeviceListReply, DeviceReceiptBody, UnsentReply } from './device.schema';
import { listDevices, recordReceipt, unsentOnDevices } from './device.service';
import { Type } from '@sinclair/typebox';

export function deviceRoutes(deps: AppDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/me/device-receipts',
      tag: 'devices',
      summary: 'A receipt of this device’s outbox, sent with every sync (enumerator, supervisor, admin)',
      description:
        'How many completed responses the device holds unsent, the oldest one’s age, the app version and the last successful sync; optionally ' +
        'the unsent responses’ ids. The server keeps the latest receipt per device and user (by the device clock `at`): an older one is acknowledged and changes nothing.',
      access: { roles: ['enumerator', 'supervisor', 'admin'] },
      body: DeviceReceiptBody,
      responses: { 200: { description: 'Received', schema: Type.Object({ kept: Type.Boolean({ description: 'false: a newer receipt of this device was already stored.' }) }) } },
      handler: async ({ body, user }) => ({ kept: await recordReceipt(deps.repos.devices, user, body, new Date()) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/devices',
      tag: 'devices',
      summary: 'Devices within your scope by their latest receipts: unsent work, silence, app version (supervisor, admin)',
      description:
        'Filters: `province`, `postOffice` (each must be yours, else 403), `silentDays` (not heard from for at least N days), ' +
        '`unsentOlderThanHours` (holding unsent work older than that), `versionBehind` (app version older than `currentVersion`, by default the newest reported).',
      access: { roles: ['supervisor', 'admin'] },
      query: DeviceListQuery,
      responses: { 200: { description: 'The devices', schema: DeviceListReply }, 403: { description: 'The province or post office is not one of yours' } },
      handler: async ({ query, user }) => {
        const scope = await scopeToShow(deps.repos.postOffices, user, query);
        return jsonReply(await listDevices(deps.repos.devices, scope, query, new Date()), { cacheControl: CACHE.noStore });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/devices/unsent',
      tag: 'devices',
      summary: 'Responses of the round that devices hold and the server does not have, and on which devices (supervisor: your scope; admin)',
      description: 'Read from each device’s latest receipt: what to chase before closing the round.',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      responses: { 200: { description: 'What is only on devices', schema: UnsentReply }, 404: { description: 'No such round' } },
      handler: async ({ params, user }) => {
        const round = await getRound(deps.repos, params.roundId);
        const scope = await scopeToShow(deps.repos.postOffices, user, {});
        return jsonReply(await unsentOnDevices({ devices: deps.repos.devices, responses: deps.repos.responses }, scope, round.id), { cacheControl: CACHE.noStore });
      },
    }),
  ];
}

import type { AppDeps } from '../../deps';
import { CACHE, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { SampleParams, SampleUnitView } from '../samples/sample.schema';
import { sampleDeps } from '../samples/sample.routes';
import { presentAssignment, presentMyAssignments } from './assignment.present';
import { spreadUnits } from './assignment-spread.service';
import { AssignBody, AssignReply, MyAssignmentsReply, MyUnitParams, SpreadBody, SpreadReply, StatusBody } from './assignment.schema';
import { assignUnits, myAssignment, myAssignments, reportStatus } from './assignment.service';

export function assignmentRoutes(deps: AppDeps): RouteSpec[] {
  const assignmentDeps = () => ({ ...sampleDeps(deps), assignments: deps.repos.assignments, users: deps.repos.users });
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/assignments',
      tag: 'assignments',
      summary: 'Assign sample units to an enumerator, or take them back (supervisor: own provinces; admin)',
      description: 'All or nothing: if any unit is unknown, outside your provinces or the enumerator’s, or completed, nothing moves and each problem is listed.',
      access: { roles: ['supervisor', 'admin'] },
      params: SampleParams,
      body: AssignBody,
      responses: {
        200: { description: 'Assigned', schema: AssignReply },
        400: { description: 'Some units cannot be assigned; `details` says which and why' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, body, user }) => ({
        roundId: params.roundId,
        enumerator: body.enumerator,
        assigned: await assignUnits(assignmentDeps(), user, params.roundId, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/assignments/spread',
      tag: 'assignments',
      summary: 'Give units, named or selected by a filter, to one enumerator or spread them evenly over several (supervisor: own provinces; admin)',
      description:
        'Units are taken in order of province and unit id and shared in contiguous blocks whose sizes differ by at most one. ' +
        'A refused or unreachable unit given to another enumerator starts again as not-started. All or nothing: an unknown or ' +
        'deactivated enumerator, a completed unit, a unit outside your provinces, or a unit in a province where one of the ' +
        'enumerators does not work is reported and nothing moves.',
      access: { roles: ['supervisor', 'admin'] },
      params: SampleParams,
      body: SpreadBody,
      responses: {
        200: { description: 'Assigned; what each enumerator got', schema: SpreadReply },
        400: { description: 'Nothing moved; `details` says why' },
        403: { description: 'The filter names a province that is not yours' },
        404: { description: 'No such round' },
      },
      handler: ({ params, body, user }) => spreadUnits(assignmentDeps(), user, params.roundId, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/me/assignments',
      tag: 'assignments',
      summary: 'My sample units in open rounds, with contacts and status (enumerator)',
      description: 'Everything the enumerator app downloads to work offline: the units, their contacts, and the rounds with their questionnaire versions.',
      access: { roles: ['enumerator'] },
      responses: { 200: { description: 'The units assigned to you', schema: MyAssignmentsReply } },
      handler: async ({ user }) => {
        // Personal data: never kept by a shared cache.
        return jsonReply(presentMyAssignments(await myAssignments(assignmentDeps(), user), deps.provinces), { cacheControl: CACHE.noStore });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/me/assignments/:roundId/:unitId',
      tag: 'assignments',
      summary: 'One of my sample units (enumerator)',
      access: { roles: ['enumerator'] },
      params: MyUnitParams,
      responses: {
        200: { description: 'The unit', schema: SampleUnitView },
        404: { description: 'No such unit assigned to you (a unit of another enumerator is a 404 too)' },
      },
      handler: async ({ params, user }) => {
        const { round, unit, contact } = await myAssignment(assignmentDeps(), user, params.roundId, params.unitId);
        return jsonReply(presentAssignment(unit, contact, round, deps.provinces), { cacheControl: CACHE.noStore });
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/me/assignments/:roundId/:unitId/status',
      tag: 'assignments',
      summary: 'Report the status of one of my units: interview started, refused, not reachable (enumerator)',
      description:
        'Safe to repeat and to send late: a report older (by `at`) than the stored one is acknowledged and changes nothing. ' +
        '`completed` is set only by an accepted response that names the unit (sampleUnitId).',
      access: { roles: ['enumerator'] },
      params: MyUnitParams,
      body: StatusBody,
      responses: {
        200: { description: 'The unit as it is now', schema: SampleUnitView },
        404: { description: 'No such unit assigned to you' },
        409: { description: 'The unit is completed; its status no longer changes (`already_completed`)' },
      },
      handler: async ({ params, body, user }) => {
        const { round, unit, contact } = await reportStatus(assignmentDeps(), user, params.roundId, params.unitId, body);
        return jsonReply(presentAssignment(unit, contact, round, deps.provinces), { cacheControl: CACHE.noStore });
      },
    }),
  ];
}

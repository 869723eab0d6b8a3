import type { CataloguedProblem } from '../../../survey-forms/ajv';
import { fieldScopeOf, inFieldScope } from '../../../survey-forms/field-scope';
import type { PersonalData } from '../../../survey-forms/sample-frame';
import { HttpProblem, notFound, validationFailed } from '../../http/problem';
import type { RoundRecord } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import { sampleUnitKey, type SampleUnitRecord } from '../samples/sample-unit.model';
import { provinceScope, withContacts, type SampleDeps } from '../samples/sample.service';
import type { UserRepository } from '../users/user.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import type { AssignmentRepository } from './assignment.repository';
import type { AssignBody, StatusBody } from './assignment.schema';

export interface AssignmentDeps extends SampleDeps {
  assignments: AssignmentRepository;
  users: UserRepository;
}

/**
 * Gives units of a round to an enumerator (or takes them back with `null`). All or nothing: an
 * unknown unit, a unit outside the caller's provinces or the enumerator's (an enumerator without
 * provinces works in none), or a completed unit is reported and nothing moves.
 */
export async function assignUnits(deps: AssignmentDeps, user: AuthenticatedUser, roundId: string, body: AssignBody): Promise<number> {
  const round = await getRound(deps, roundId);
  const problems: CataloguedProblem[] = [];
  let enumeratorProvinces: ReadonlySet<string> | undefined;
  let enumeratorPostOffice: string | null = null;
  if (body.enumerator !== null) {
    const enumerator = await deps.users.findByUsername(body.enumerator);
    if (!enumerator) problems.push({ path: '/body/enumerator', code: 'unknown_user', message: `no user is named ${body.enumerator}` });
    else if (enumerator.role !== 'enumerator') problems.push({ path: '/body/enumerator', code: 'not_allowed', message: `${body.enumerator} is a ${enumerator.role}, not an enumerator` });
    else if (!enumerator.active) problems.push({ path: '/body/enumerator', code: 'user_inactive', message: `${body.enumerator} is deactivated` });
    // An enumerator submits only in their own provinces (submission-policy.ts): one without provinces gets no units.
    else {
      enumeratorProvinces = new Set(enumerator.provinces);
      enumeratorPostOffice = enumerator.postOffice;
    }
  }
  const units = await deps.sampleUnits.findUnits(body.unitIds.map((id) => sampleUnitKey(round.id, id)));
  const scope = provinceScope(user);
  const fieldScope = fieldScopeOf(user);
  body.unitIds.forEach((unitId, i) => {
    const at = `/body/unitIds/${i}`;
    const unit = units.get(sampleUnitKey(round.id, unitId));
    if (!unit) problems.push({ path: at, code: 'unknown_sample_unit', message: `${unitId} is not in the sample of round ${round.id}` });
    else if (scope && !scope.has(unit.provinceCode)) problems.push({ path: at, code: 'forbidden', message: `${unitId} is in province ${unit.provinceCode}, not one of yours` });
    else if (!inFieldScope(fieldScope, unit)) problems.push({ path: at, code: 'post_office_not_yours', message: `${unitId} is of post office ${String(unit.postOffice)}, not yours` });
    else if (enumeratorPostOffice !== null && unit.postOffice !== null && unit.postOffice !== enumeratorPostOffice) {
      problems.push({ path: at, code: 'not_allowed', message: `${unitId} is worked by post office ${unit.postOffice}, not ${enumeratorPostOffice} where ${String(body.enumerator)} works` });
    }
    else if (unit.status === 'completed') problems.push({ path: at, code: 'already_completed', message: `${unitId} is completed; it stays with its enumerator` });
    else if (enumeratorProvinces && !enumeratorProvinces.has(unit.provinceCode)) {
      problems.push({ path: at, code: 'not_allowed', message: `${unitId} is in province ${unit.provinceCode}, where ${String(body.enumerator)} does not work` });
    }
  });
  if (problems.length > 0) throw validationFailed(problems);
  return deps.assignments.assign(round.id, body.unitIds, body.enumerator, user.username, deps.now?.() ?? new Date());
}

/** The units assigned to an enumerator in open rounds, with contacts, and those rounds. */
export async function myAssignments(
  deps: Omit<AssignmentDeps, 'users'>,
  user: AuthenticatedUser,
): Promise<{ rounds: RoundRecord[]; units: Array<{ unit: SampleUnitRecord; contact: PersonalData; round: RoundRecord }> }> {
  const rounds = (await deps.rounds.list()).filter((r) => r.status === 'open');
  const byId = new Map(rounds.map((r) => [r.id, r]));
  const units = await withContacts(deps, await deps.assignments.unitsAssignedTo(user.username, rounds.map((r) => r.id)));
  const used = new Set(units.map((u) => u.unit.roundId));
  return {
    rounds: rounds.filter((r) => used.has(r.id)),
    units: units.map((u) => ({ ...u, round: byId.get(u.unit.roundId) as RoundRecord })),
  };
}

/** One unit of the enumerator's; another's unit is a 404, so nobody learns which units exist. */
export async function myAssignment(deps: Omit<AssignmentDeps, 'users'>, user: AuthenticatedUser, roundId: string, unitId: string) {
  const round = await getRound(deps, roundId);
  const unit = await deps.sampleUnits.findUnit(round.id, unitId);
  if (!unit || unit.assignedTo !== user.username) throw notFound(`Sample unit ${unitId} assigned to you in round ${roundId}`);
  const [opened] = await withContacts(deps, [unit]);
  return { round, unit, contact: (opened as { contact: PersonalData }).contact };
}

/**
 * Records what happened at a unit: interview started, refused, not reachable. Reports may arrive
 * late and out of order from devices that were offline: an older report than the stored one is
 * acknowledged and changes nothing. A completed unit keeps its status (409).
 */
export async function reportStatus(
  deps: Omit<AssignmentDeps, 'users'>,
  user: AuthenticatedUser,
  roundId: string,
  unitId: string,
  body: StatusBody,
): Promise<{ round: RoundRecord; unit: SampleUnitRecord; contact: PersonalData }> {
  if ((body.status === 'appointment') !== (body.appointmentAt !== undefined)) {
    throw validationFailed([
      body.status === 'appointment'
        ? { path: '/body/appointmentAt', code: 'required', message: 'an appointment needs its date and time' }
        : { path: '/body/appointmentAt', code: 'not_allowed', message: 'only an appointment has a date and time' },
    ]);
  }
  const { round, contact } = await myAssignment(deps, user, roundId, unitId);
  const result = await deps.assignments.recordStatus(round.id, unitId, {
    status: body.status,
    appointmentAt: body.appointmentAt === undefined ? null : new Date(body.appointmentAt),
    note: body.note?.trim() || null,
    at: new Date(body.at),
    by: user.username,
  });
  if (!result.unit) throw notFound(`Sample unit ${unitId}`);
  if (!result.applied && result.unit.status === 'completed') {
    throw new HttpProblem('already_completed', `Sample unit ${unitId} is completed by response ${String(result.unit.responseId)}; its status no longer changes.`);
  }
  return { round, unit: result.unit, contact };
}

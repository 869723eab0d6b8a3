import type { CataloguedProblem } from '../../../survey-forms/ajv';
import { HttpProblem, validationFailed } from '../../http/problem';
import { getRound } from '../rounds/round.service';
import { sampleUnitKey, type SampleUnitRecord } from '../samples/sample-unit.model';
import { provinceScope } from '../samples/sample.service';
import type { AuthenticatedUser } from '../users/user.schema';
import type { AssignmentDeps } from './assignment.service';
import { MAX_ASSIGN, type SpreadBody } from './assignment.schema';

/**
 * How n units are shared by k enumerators: in order, in contiguous blocks (so each keeps units that
 * lie together in the list, by province and unit id), the first n mod k blocks one larger. Pure.
 */
export function evenShares(units: number, enumerators: number): number[] {
  const base = Math.floor(units / enumerators);
  return Array.from({ length: enumerators }, (_, i) => base + (i < units % enumerators ? 1 : 0));
}

/**
 * Gives units — named, or selected by a filter — to one enumerator or spreads them evenly over
 * several. All or nothing: an unknown or deactivated enumerator, a unit outside the caller's
 * provinces, a completed unit, or a unit in a province where one of the enumerators does not
 * work is reported and nothing moves.
 */
export async function spreadUnits(
  deps: AssignmentDeps,
  user: AuthenticatedUser,
  roundId: string,
  body: SpreadBody,
): Promise<{ roundId: string; assigned: number; shares: Array<{ enumerator: string; units: number }> }> {
  const round = await getRound(deps, roundId);
  const scope = provinceScope(user);
  const problems: CataloguedProblem[] = [];
  const enumerators = await Promise.all(body.enumerators.map((name) => deps.users.findByUsername(name)));
  body.enumerators.forEach((name, i) => {
    const at = `/body/enumerators/${i}`;
    const found = enumerators[i];
    if (!found) problems.push({ path: at, code: 'unknown_user', message: `no user is named ${name}` });
    else if (found.role !== 'enumerator') problems.push({ path: at, code: 'not_allowed', message: `${name} is a ${found.role}, not an enumerator` });
    else if (!found.active) problems.push({ path: at, code: 'user_inactive', message: `${name} is deactivated` });
  });

  let units: SampleUnitRecord[] = [];
  if (body.unitIds) {
    const found = await deps.sampleUnits.findUnits(body.unitIds.map((id) => sampleUnitKey(round.id, id)));
    body.unitIds.forEach((unitId, i) => {
      const at = `/body/unitIds/${i}`;
      const unit = found.get(sampleUnitKey(round.id, unitId));
      if (!unit) problems.push({ path: at, code: 'unknown_sample_unit', message: `${unitId} is not in the sample of round ${round.id}` });
      else if (scope && !scope.has(unit.provinceCode)) problems.push({ path: at, code: 'forbidden', message: `${unitId} is in province ${unit.provinceCode}, not one of yours` });
      else if (unit.status === 'completed') problems.push({ path: at, code: 'already_completed', message: `${unitId} is completed; it stays with its enumerator` });
      else units.push(unit);
    });
    units.sort((a, b) => a.provinceCode.localeCompare(b.provinceCode) || a.unitId.localeCompare(b.unitId));
  } else {
    const filter = body.filter ?? {};
    if (filter.province && scope && !scope.has(filter.province)) throw new HttpProblem('forbidden', `Province ${filter.province} is not one of your provinces.`);
    if (filter.status === 'completed') problems.push({ path: '/body/filter/status', code: 'already_completed', message: 'completed units stay with their enumerator' });
    const provinces = filter.province ? [filter.province] : scope ? [...scope] : undefined;
    units = await deps.sampleUnits.selectOpenUnits(
      round.id,
      {
        ...(provinces ? { scope: { provinces } } : {}),
        ...(filter.unassigned ? { assignedTo: null } : filter.assignedTo ? { assignedTo: filter.assignedTo } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.servingLevel !== undefined ? { servingLevel: filter.servingLevel } : {}),
        ...(filter.serviceField !== undefined ? { serviceField: filter.serviceField } : {}),
      },
      MAX_ASSIGN + 1,
    );
    if (units.length > MAX_ASSIGN) problems.push({ path: '/body/filter', code: 'too_many', message: `selects more than ${MAX_ASSIGN} units; narrow it (by province, say)` });
    else if (units.length === 0) problems.push({ path: '/body/filter', code: 'too_few', message: 'selects no unit that is not completed' });
  }

  // An enumerator submits only in their own provinces (submission-policy.ts): each must work in every province of the units.
  const unitProvinces = [...new Set(units.map((u) => u.provinceCode))];
  enumerators.forEach((found, i) => {
    if (!found || found.role !== 'enumerator') return;
    const missing = unitProvinces.filter((p) => !found.provinces.includes(p));
    if (missing.length > 0) {
      problems.push({ path: `/body/enumerators/${i}`, code: 'not_allowed', message: `${found.username} does not work in province ${missing.join(', ')}, where some of the units are` });
    }
  });
  if (problems.length > 0) throw validationFailed(problems);

  const now = deps.now?.() ?? new Date();
  const shares = evenShares(units.length, body.enumerators.length);
  let start = 0;
  let assigned = 0;
  const result: Array<{ enumerator: string; units: number }> = [];
  for (const [i, enumerator] of body.enumerators.entries()) {
    const block = units.slice(start, start + (shares[i] as number)).map((u) => u.unitId);
    start += block.length;
    const moved = block.length > 0 ? await deps.assignments.assign(round.id, block, enumerator, user.username, now) : 0;
    assigned += moved;
    result.push({ enumerator, units: moved });
  }
  return { roundId: round.id, assigned, shares: result };
}

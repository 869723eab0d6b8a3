/**
 * Who may submit a response for which province and which sample unit: one pure rule, no I/O, so
 * every role × scope combination is tested as a table (test/unit/submission-policy.test.ts) and the
 * submission service only looks the unit up and asks.
 *
 * - An enumerator submits only in their own provinces, and a response naming a unit only for a unit
 *   assigned to them. An enumerator with no provinces submits nowhere.
 * - A supervisor submits only in their own provinces, and never for a unit assigned to someone else
 *   (an enumerator's household is theirs until a supervisor reassigns it).
 * - A post-office supervisor (a supervisor with a post office) submits, for a unit, only for a unit
 *   of their post office.
 * - An administrator submits in any province, and also never for a unit assigned to someone else.
 * - An analyst never submits.
 *
 * The answer is a list of problems of the item (empty: allowed), so one item refused never refuses
 * the rest of its batch.
 */
import type { CataloguedProblem } from '../../../survey-forms/ajv';
import type { Role } from '../users/user.schema';

/** The roles that collect responses. */
export const SUBMITTING_ROLES: ReadonlyArray<Role> = ['enumerator', 'supervisor', 'admin'];

/** Who sends the item. */
export interface Submitter {
  username: string;
  role: Role;
  /** Their provinces; an administrator's are ignored (every province is theirs). */
  provinces: ReadonlyArray<string>;
  /** Their post office, if they belong to one. */
  postOffice?: string | null;
}

/** What the item claims: its province, and the sample unit it names, if any. */
export interface SubmissionClaim {
  provinceCode: string;
  sampleUnitId?: string | undefined;
}

/** The named sample unit as stored (undefined when the item names none or an unknown one). */
export interface UnitOnRecord {
  unitId: string;
  provinceCode: string;
  assignedTo: string | null;
  postOffice?: string | null;
}

function inScope(user: Submitter, provinceCode: string): boolean {
  return user.role === 'admin' || user.provinces.includes(provinceCode);
}

/**
 * The access problems of one item, with the JSON path each is about; empty when this user may
 * submit it. A unit outside the user's provinces is not described further (to whom it is assigned
 * stays unsaid).
 */
export function submissionAccessProblems(user: Submitter, item: SubmissionClaim, unit: UnitOnRecord | undefined): CataloguedProblem[] {
  if (!SUBMITTING_ROLES.includes(user.role)) {
    return [{ path: '', code: 'forbidden', message: `a user with the role ${user.role} does not submit responses` }];
  }
  const problems: CataloguedProblem[] = [];
  if (!inScope(user, item.provinceCode)) {
    problems.push({ path: '/provinceCode', code: 'province_not_yours', message: `province ${item.provinceCode} is not one of yours` });
  }
  if (!unit) return problems;
  const unitInScope = inScope(user, unit.provinceCode);
  if (!unitInScope && unit.provinceCode !== item.provinceCode) {
    problems.push({ path: '/sampleUnitId', code: 'province_not_yours', message: `sample unit ${unit.unitId} is in province ${unit.provinceCode}, which is not one of yours` });
  }
  if (user.role === 'supervisor' && user.postOffice && unitInScope && (unit.postOffice ?? null) !== user.postOffice) {
    problems.push({ path: '/sampleUnitId', code: 'post_office_not_yours', message: `sample unit ${unit.unitId} is not of your post office ${user.postOffice}` });
    return problems;
  }
  if (user.role === 'enumerator') {
    if (unit.assignedTo !== user.username) problems.push({ path: '/sampleUnitId', code: 'not_assigned', message: `sample unit ${unit.unitId} is not assigned to you` });
  } else if (unitInScope && unit.assignedTo !== null && unit.assignedTo !== user.username) {
    problems.push({
      path: '/sampleUnitId',
      code: 'assigned_to_other',
      message: `sample unit ${unit.unitId} is assigned to ${unit.assignedTo}; reassign it before submitting a response for it`,
    });
  }
  return problems;
}

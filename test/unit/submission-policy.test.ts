import type { Role } from '../../server/modules/users/user.schema';
import { submissionAccessProblems, type SubmissionClaim, type UnitOnRecord } from '../../server/modules/responses/submission-policy';

/** The user of every row works in province 01 (an admin's provinces do not matter); "other" is another enumerator. */
const ME = 'me';
const OTHER = 'other-enumerator';

interface Scope {
  name: string;
  item: SubmissionClaim;
  unit?: UnitOnRecord;
  /** The user has no provinces at all. */
  noProvinces?: boolean;
}

const unit = (provinceCode: string, assignedTo: string | null): UnitOnRecord => ({ unitId: `U-${provinceCode}`, provinceCode, assignedTo });

const SCOPES: Record<string, Scope> = {
  ownProvince: { name: 'no unit, own province', item: { provinceCode: '01' } },
  otherProvince: { name: 'no unit, another province', item: { provinceCode: '79' } },
  noProvinces: { name: 'no unit, a user without provinces', item: { provinceCode: '01' }, noProvinces: true },
  ownUnassigned: { name: 'own province, unit assigned to nobody', item: { provinceCode: '01', sampleUnitId: 'U-01' }, unit: unit('01', null) },
  ownMine: { name: 'own province, unit assigned to me', item: { provinceCode: '01', sampleUnitId: 'U-01' }, unit: unit('01', ME) },
  ownTheirs: { name: 'own province, unit assigned to another', item: { provinceCode: '01', sampleUnitId: 'U-01' }, unit: unit('01', OTHER) },
  otherUnassigned: { name: 'another province, unit assigned to nobody', item: { provinceCode: '79', sampleUnitId: 'U-79' }, unit: unit('79', null) },
  otherTheirs: { name: 'another province, unit assigned to another', item: { provinceCode: '79', sampleUnitId: 'U-79' }, unit: unit('79', OTHER) },
  otherUnitClaimedMine: { name: "a unit of another province, the item claiming my province", item: { provinceCode: '01', sampleUnitId: 'U-79' }, unit: unit('79', OTHER) },
  mineClaimedOther: { name: 'my unit, the item claiming another province', item: { provinceCode: '79', sampleUnitId: 'U-01' }, unit: unit('01', ME) },
};

type Expected = Array<[string, string]>;
const PNY_ITEM: [string, string] = ['/provinceCode', 'province_not_yours'];
const PNY_UNIT: [string, string] = ['/sampleUnitId', 'province_not_yours'];
const NOT_ASSIGNED: [string, string] = ['/sampleUnitId', 'not_assigned'];
const TAKEN: [string, string] = ['/sampleUnitId', 'assigned_to_other'];

/** Every role × every scope: the problems (path, code) the rule answers; none means allowed. */
const TABLE: Record<Role, Record<keyof typeof SCOPES, Expected>> = {
  enumerator: {
    ownProvince: [],
    otherProvince: [PNY_ITEM],
    noProvinces: [PNY_ITEM],
    ownUnassigned: [NOT_ASSIGNED],
    ownMine: [],
    ownTheirs: [NOT_ASSIGNED],
    otherUnassigned: [PNY_ITEM, NOT_ASSIGNED],
    otherTheirs: [PNY_ITEM, NOT_ASSIGNED],
    otherUnitClaimedMine: [PNY_UNIT, NOT_ASSIGNED],
    mineClaimedOther: [PNY_ITEM],
  },
  supervisor: {
    ownProvince: [],
    otherProvince: [PNY_ITEM],
    noProvinces: [PNY_ITEM],
    ownUnassigned: [],
    ownMine: [],
    ownTheirs: [TAKEN],
    otherUnassigned: [PNY_ITEM],
    otherTheirs: [PNY_ITEM],
    otherUnitClaimedMine: [PNY_UNIT],
    mineClaimedOther: [PNY_ITEM],
  },
  admin: {
    ownProvince: [],
    otherProvince: [],
    noProvinces: [],
    ownUnassigned: [],
    ownMine: [],
    ownTheirs: [TAKEN],
    otherUnassigned: [],
    otherTheirs: [TAKEN],
    otherUnitClaimedMine: [TAKEN],
    mineClaimedOther: [],
  },
  analyst: Object.fromEntries(Object.keys(SCOPES).map((k) => [k, [['', 'forbidden']]])),
};

describe('who may submit a response for which province and unit (submission-policy.ts)', () => {
  const rows = (Object.entries(TABLE) as Array<[Role, Record<string, Expected>]>).flatMap(([role, byScope]) =>
    Object.entries(byScope).map(([scope, expected]) => ({ role, scope: SCOPES[scope] as Scope, expected })),
  );

  test.each(rows)('when a $role submits with $scope.name, then the problems are $expected', ({ role, scope, expected }) => {
    const user = { username: ME, role, provinces: scope.noProvinces ? [] : ['01'] };
    const problems = submissionAccessProblems(user, scope.item, scope.unit);
    expect(problems.map((p) => [p.path, p.code])).toEqual(expected);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(10);
  });

  test('when the table is read, then it covers every role and every scope', () => {
    expect(Object.keys(TABLE).sort()).toEqual(['admin', 'analyst', 'enumerator', 'supervisor']);
    for (const byScope of Object.values(TABLE)) expect(Object.keys(byScope).sort()).toEqual(Object.keys(SCOPES).sort());
  });

  test('when a unit outside a supervisor\'s provinces is assigned to someone, then the answer does not say to whom', () => {
    const [problem] = submissionAccessProblems({ username: ME, role: 'supervisor', provinces: ['01'] }, { provinceCode: '79', sampleUnitId: 'U-79' }, unit('79', OTHER));
    expect(problem?.message).not.toContain(OTHER);
  });

  test('when an enumerator works in several provinces, then each of them is theirs', () => {
    const user = { username: ME, role: 'enumerator' as const, provinces: ['01', '79'] };
    expect(submissionAccessProblems(user, { provinceCode: '79' }, undefined)).toEqual([]);
    expect(submissionAccessProblems(user, { provinceCode: '79', sampleUnitId: 'U-79' }, unit('79', ME))).toEqual([]);
    expect(submissionAccessProblems(user, { provinceCode: '46' }, undefined).map((p) => p.code)).toEqual(['province_not_yours']);
  });
});

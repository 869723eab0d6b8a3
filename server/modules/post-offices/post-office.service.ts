import type { CataloguedProblem } from '../../../survey-forms/ajv';
import { fieldScopeOf, narrowToPostOffice, narrowToProvince, type FieldScope, type PostOffice } from '../../../survey-forms/field-scope';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { HttpProblem, validationFailed } from '../../http/problem';
import type { AuthenticatedUser } from '../users/user.schema';
import type { PostOfficeRepository } from './post-office.repository';
import type { PostOfficeUpsertBody } from './post-office.schema';

/** The post offices a user may see: their own for post-office staff, their provinces' for provincial staff, all for national roles. */
export async function listPostOffices(repo: PostOfficeRepository, user: AuthenticatedUser, province: string | undefined): Promise<PostOffice[]> {
  const scope = narrowToProvince(fieldScopeOf(user), province);
  if (!scope) throw new HttpProblem('forbidden', `Province ${String(province)} is not one of your provinces.`);
  const offices = await repo.list(scope.provinces);
  return scope.postOffice === undefined ? offices : offices.filter((o) => o.code === scope.postOffice);
}

/** Adds or renames post offices; every problem reported, nothing stored when there is one. */
export async function upsertPostOffices(
  deps: { postOffices: PostOfficeRepository; provinces: ProvinceReference; now?: () => Date },
  body: PostOfficeUpsertBody,
): Promise<{ changed: number; postOffices: PostOffice[] }> {
  const problems: CataloguedProblem[] = [];
  const seen = new Set<string>();
  body.postOffices.forEach((o, i) => {
    if (seen.has(o.code)) problems.push({ path: `/body/postOffices/${i}/code`, code: 'repeated', message: `${o.code} is given twice` });
    seen.add(o.code);
    if (!deps.provinces.province(63, o.provinceCode) && !deps.provinces.province(34, o.provinceCode)) {
      problems.push({ path: `/body/postOffices/${i}/provinceCode`, code: 'unknown_province', message: `${o.provinceCode} is a province of neither edition` });
    }
  });
  if (problems.length > 0) throw validationFailed(problems);
  const offices = body.postOffices.map((o) => ({ code: o.code, name: o.name.trim(), provinceCode: o.provinceCode }));
  const changed = await deps.postOffices.upsert(offices, deps.now?.() ?? new Date());
  return { changed, postOffices: await deps.postOffices.list() };
}

/**
 * Checks a user's post office: it must exist, and the user works in its province (their provinces
 * default to it). Returns the provinces the user is stored with.
 */
export async function provincesWithPostOffice(
  repo: PostOfficeRepository,
  postOffice: string | null | undefined,
  provinces: ReadonlyArray<string> | undefined,
): Promise<string[]> {
  const given = [...(provinces ?? [])].sort();
  if (!postOffice) return given;
  const office = await repo.find(postOffice);
  if (!office) throw validationFailed([{ path: '/body/postOffice', code: 'unknown_post_office', message: `no post office has the code ${postOffice}` }]);
  if (given.length === 0) return [office.provinceCode];
  if (given.length !== 1 || given[0] !== office.provinceCode) {
    throw validationFailed([{ path: '/body/provinces', code: 'not_allowed', message: `a user of post office ${postOffice} works in its province ${office.provinceCode} only` }]);
  }
  return given;
}

/**
 * The part of the field a listing covers: the province and post office asked for (each must lie
 * within the user's scope, else 403) or the user's whole scope.
 */
export async function scopeToShow(
  postOffices: PostOfficeRepository,
  user: AuthenticatedUser,
  query: { province?: string | undefined; postOffice?: string | undefined },
): Promise<FieldScope> {
  const byProvince = narrowToProvince(fieldScopeOf(user), query.province);
  if (!byProvince) throw new HttpProblem('forbidden', `Province ${String(query.province)} is not one of your provinces.`);
  if (query.postOffice === undefined) return byProvince;
  const office = await postOffices.find(query.postOffice);
  const scope = narrowToPostOffice(byProvince, office, query.postOffice);
  if (!scope) throw new HttpProblem('forbidden', `Post office ${query.postOffice} is not one of yours.`);
  return scope;
}

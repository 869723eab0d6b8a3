/**
 * Who sees which part of the field: national roles everything, a provincial supervisor their
 * provinces, a post-office supervisor their post office's units, enumerators and responses. Pure,
 * so every endpoint asks the same question and the levels are tested as a table.
 */

/** Post-office codes go into URLs and keys: upper-case letters, digits, dot, dash, underscore. */
export const POST_OFFICE_CODE_PATTERN = '^[A-Z0-9][A-Z0-9._-]{1,31}$';

/** A post office of the postal service: its code, its name and the province it serves. */
export interface PostOffice {
  code: string;
  name: string;
  provinceCode: string;
}

/** The part of a user that decides what they see. */
export interface ScopedUser {
  role: string;
  provinces: ReadonlyArray<string>;
  /** The post office a user belongs to; a supervisor with one sees only that post office. */
  postOffice?: string | null;
}

/**
 * What a user sees: `provinces` undefined means every province; `postOffice` set means only that
 * post office within them.
 */
export interface FieldScope {
  provinces?: ReadonlyArray<string>;
  postOffice?: string;
}

/** Where a unit, a response or a user sits in the field. */
export interface FieldPlace {
  provinceCode: string;
  postOffice?: string | null;
}

/** The level a scope works at, for roll-ups and for saying why something is out of reach. */
export type ScopeLevel = 'national' | 'province' | 'post-office';

/** Administrators and analysts are national; everyone else is held to their provinces and, when they have one, their post office. */
export function fieldScopeOf(user: ScopedUser): FieldScope {
  if (user.role === 'admin' || user.role === 'analyst') return {};
  return { provinces: user.provinces, ...(user.postOffice ? { postOffice: user.postOffice } : {}) };
}

export function scopeLevel(scope: FieldScope): ScopeLevel {
  return scope.postOffice !== undefined ? 'post-office' : scope.provinces === undefined ? 'national' : 'province';
}

/** Whether a place lies within a scope. A place of no post office is outside every post-office scope. */
export function inFieldScope(scope: FieldScope, place: FieldPlace): boolean {
  if (scope.provinces !== undefined && !scope.provinces.includes(place.provinceCode)) return false;
  if (scope.postOffice !== undefined && place.postOffice !== scope.postOffice) return false;
  return true;
}

/** Narrows a scope to one province (which must lie within it) or leaves it whole. Undefined: the province is out of scope. */
export function narrowToProvince(scope: FieldScope, province: string | undefined): FieldScope | undefined {
  if (province === undefined) return scope;
  if (scope.provinces !== undefined && !scope.provinces.includes(province)) return undefined;
  return { ...scope, provinces: [province] };
}

/** Narrows a scope to one post office of a known province. Undefined: the post office is out of scope. */
export function narrowToPostOffice(scope: FieldScope, office: PostOffice | undefined, code: string | undefined): FieldScope | undefined {
  if (code === undefined) return scope;
  if (scope.postOffice !== undefined && scope.postOffice !== code) return undefined;
  if (!office) return { ...scope, postOffice: code };
  const narrowed = narrowToProvince(scope, office.provinceCode);
  return narrowed ? { ...narrowed, postOffice: code } : undefined;
}

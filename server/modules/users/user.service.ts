import { problemOfRow, type RowProblem } from '../../../survey-forms/import-rows';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { checkUserRows, MAX_USER_IMPORT_ROWS, readUserCsv, readUserJson } from '../../../survey-forms/user-import';
import { notFound, validationFailed } from '../../http/problem';
import { hashPassword } from '../auth/auth.service';
import type { SessionRepository } from '../auth/session.repository';
import { generatePassword } from './user-password';
import { passwordProblems } from './password-policy';
import type { PostOfficeRepository } from '../post-offices/post-office.repository';
import { provincesWithPostOffice } from '../post-offices/post-office.service';
import type { UserRecord, UserRepository } from './user.repository';
import type { AuthenticatedUser, CreateUserBody, UpdateUserBody } from './user.schema';

/** Creates a user; a weak password is a 400 naming `password` and why, a taken username a 409. */
export async function createUser(users: UserRepository, input: CreateUserBody, now = new Date(), postOffices?: PostOfficeRepository): Promise<UserRecord> {
  const problems = passwordProblems(input.password, input.username);
  if (problems.length > 0) throw validationFailed(problems);
  return storeUser(users, input, now, postOffices);
}

/** Stores a user; a user of a post office works in its province. */
async function storeUser(users: UserRepository, input: CreateUserBody, now = new Date(), postOffices?: PostOfficeRepository): Promise<UserRecord> {
  const provinces = postOffices ? await provincesWithPostOffice(postOffices, input.postOffice, input.provinces) : [...(input.provinces ?? [])].sort();
  const user: UserRecord = {
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    displayName: input.displayName ?? input.username,
    provinces,
    postOffice: input.postOffice ?? null,
    active: true,
    createdAt: now,
  };
  await users.insert(user);
  return user;
}

/**
 * Creates the first administrator from the environment when no user of that name exists. An
 * existing account is left alone: changing ADMIN_PASSWORD later does not reset a password. The
 * operator chose this password: start-up warns when it breaks the password policy, never refuses it.
 */
export async function ensureFirstAdmin(users: UserRepository, username: string, password: string): Promise<boolean> {
  if (await users.findByUsername(username)) return false;
  try {
    await storeUser(users, { username, password, role: 'admin', displayName: 'Administrator' });
    return true;
  } catch (error) {
    // Two processes starting at once: the other one created it.
    if (await users.findByUsername(username)) return false;
    throw error;
  }
}

export interface UserAdminDeps {
  users: UserRepository;
  sessions: SessionRepository;
  provinces: ProvinceReference;
  now?: () => Date;
}

async function existingUser(users: UserRepository, username: string): Promise<UserRecord> {
  const user = await users.findByUsername(username);
  if (!user) throw notFound(`User ${username}`);
  return user;
}

/**
 * Changes a user's display name, provinces or whether they are active. Deactivating ends every
 * session of theirs at once (their tokens get 401 on the next request); the units assigned to them
 * stay assigned, and visible, until someone reassigns them. Nobody deactivates themselves, so an
 * installation never loses its last administrator by a slip.
 */
export async function updateUser(deps: UserAdminDeps, actor: AuthenticatedUser, username: string, changes: UpdateUserBody): Promise<UserRecord> {
  await existingUser(deps.users, username);
  if (changes.active === false && username === actor.username) {
    throw validationFailed([{ path: '/body/active', code: 'not_allowed', message: 'you cannot deactivate yourself; ask another administrator' }]);
  }
  const updated = await deps.users.update(username, { ...changes, ...(changes.provinces ? { provinces: [...changes.provinces].sort() } : {}) });
  if (!updated) throw notFound(`User ${username}`);
  if (changes.active === false) await deps.sessions.deleteForUser(username);
  return updated;
}

/** Gives a user a new random password, shown once, and ends their sessions (a reset is often because the old one leaked). */
export async function resetPassword(deps: UserAdminDeps, username: string): Promise<{ username: string; password: string }> {
  await existingUser(deps.users, username);
  const password = generatePassword();
  await deps.users.update(username, { passwordHash: await hashPassword(password) });
  await deps.sessions.deleteForUser(username);
  return { username, password };
}

export interface UserImportOutcome {
  imported: number;
  valid: number;
  skipped: number;
  dryRun: boolean;
  problems: RowProblem[];
  credentials: Array<{ username: string; password: string }>;
}

/**
 * Creates enumerators from a list (CSV text or JSON objects). Every problem of every row is
 * reported; a list with problems creates nobody unless `skipInvalid`. A username already taken is
 * a problem of its row, so importing the same list twice creates nobody twice. Each account gets a
 * random password, returned this once.
 */
export async function importUsers(
  deps: UserAdminDeps,
  body: { csv?: string | undefined; users?: unknown[] | undefined },
  options: { skipInvalid: boolean; dryRun: boolean },
): Promise<UserImportOutcome> {
  const { rows, fileProblems } = body.csv !== undefined ? readUserCsv(body.csv) : readUserJson(body.users ?? []);
  if (rows.length > MAX_USER_IMPORT_ROWS) throw validationFailed([{ path: '/body', code: 'too_many', message: `must have at most ${MAX_USER_IMPORT_ROWS} rows` }]);
  if ((body.csv !== undefined && fileProblems.length > 0) || rows.length === 0) {
    throw validationFailed(
      fileProblems.length > 0 ? fileProblems.map(problemOfRow) : [{ path: '/body', code: 'too_few', message: 'the list has no rows' }],
      `The list cannot be imported: ${fileProblems[0] ? problemOfRow(fileProblems[0]).message : 'it has no rows'}.`,
    );
  }
  const usernames = rows.map((r) => r.values.username).filter((u) => typeof u === 'string').map((u) => u.trim().toLowerCase());
  const existing = await deps.users.existingUsernames(usernames);
  const isProvince = (code: string) => Boolean(deps.provinces.province(63, code) ?? deps.provinces.province(34, code));
  const { users, problems: rowProblems } = checkUserRows(rows, { isProvince, existing });
  const problems = [...fileProblems, ...rowProblems].sort((a, b) => a.line - b.line);
  const badLines = new Set(problems.map((p) => p.line));
  const valid = users.filter((u) => !badLines.has(u.line));
  const outcome = { valid: valid.length, skipped: badLines.size, problems, credentials: [] as UserImportOutcome['credentials'] };
  if (options.dryRun) return { ...outcome, imported: 0, dryRun: true };
  if (problems.length > 0 && !options.skipInvalid) {
    throw validationFailed(
      problems.map(problemOfRow),
      `${badLines.size} of ${rows.length} rows have problems; nobody was created. Fix them, or send skipInvalid=true to create the ${valid.length} valid rows.`,
    );
  }
  const now = deps.now?.() ?? new Date();
  const made = await Promise.all(
    valid.map(async (u) => {
      const password = generatePassword();
      const record: UserRecord = { username: u.username, passwordHash: await hashPassword(password), role: 'enumerator', displayName: u.displayName, provinces: u.provinces, postOffice: null, active: true, createdAt: now };
      return { line: u.line, record, password };
    }),
  );
  const raced = await deps.users.insertMany(made.map((m) => m.record));
  for (const m of made) if (raced.has(m.record.username)) problems.push({ line: m.line, field: 'username', code: 'already_exists', message: 'was taken meanwhile' });
  const created = made.filter((m) => !raced.has(m.record.username));
  return {
    imported: created.length,
    valid: created.length,
    skipped: new Set(problems.map((p) => p.line)).size,
    dryRun: false,
    problems: problems.sort((a, b) => a.line - b.line),
    credentials: created.map((m) => ({ username: m.record.username, password: m.password })),
  };
}

import { validationFailed } from '../../http/problem';
import { hashPassword } from '../auth/auth.service';
import { passwordProblems } from './password-policy';
import type { UserRecord, UserRepository } from './user.repository';
import type { CreateUserBody } from './user.schema';

/** Creates a user; a weak password is a 400 naming `password` and why, a taken username a 409. */
export async function createUser(users: UserRepository, input: CreateUserBody, now = new Date()): Promise<UserRecord> {
  const problems = passwordProblems(input.password, input.username);
  if (problems.length > 0) throw validationFailed(problems);
  return storeUser(users, input, now);
}

async function storeUser(users: UserRepository, input: CreateUserBody, now = new Date()): Promise<UserRecord> {
  const user: UserRecord = {
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    displayName: input.displayName ?? input.username,
    provinces: [...(input.provinces ?? [])].sort(),
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

import { hashPassword } from '../auth/auth.service';
import type { PostOfficeRepository } from '../post-offices/post-office.repository';
import { provincesWithPostOffice } from '../post-offices/post-office.service';
import type { UserRecord, UserRepository } from './user.repository';
import type { CreateUserBody } from './user.schema';

/** Creates a user; a taken username is a 409. A user of a post office works in its province. */
export async function createUser(users: UserRepository, input: CreateUserBody, now = new Date(), postOffices?: PostOfficeRepository): Promise<UserRecord> {
  const provinces = postOffices ? await provincesWithPostOffice(postOffices, input.postOffice, input.provinces) : [...(input.provinces ?? [])].sort();
  const user: UserRecord = {
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    displayName: input.displayName ?? input.username,
    provinces,
    postOffice: input.postOffice ?? null,
    createdAt: now,
  };
  await users.insert(user);
  return user;
}

/**
 * Creates the first administrator from the environment when no user of that name exists. An
 * existing account is left alone: changing ADMIN_PASSWORD later does not reset a password.
 */
export async function ensureFirstAdmin(users: UserRepository, username: string, password: string): Promise<boolean> {
  if (await users.findByUsername(username)) return false;
  try {
    await createUser(users, { username, password, role: 'admin', displayName: 'Administrator' });
    return true;
  } catch (error) {
    // Two processes starting at once: the other one created it.
    if (await users.findByUsername(username)) return false;
    throw error;
  }
}

import type { UserRecord } from './user.repository';
import type { AuthenticatedUser, UserView } from './user.schema';

/** A user as the API shows it: never the password hash. */
export function presentUser(user: UserRecord): UserView {
  return {
    username: user.username,
    role: user.role,
    displayName: user.displayName,
    provinces: user.provinces,
    active: user.active,
    postOffice: user.postOffice,
    createdAt: user.createdAt.toISOString(),
  };
}

export function presentMe(user: AuthenticatedUser): Omit<UserView, 'createdAt' | 'active'> {
  return { username: user.username, role: user.role, displayName: user.displayName, provinces: user.provinces, postOffice: user.postOffice };
}

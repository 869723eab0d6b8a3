import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../survey-forms/typebox';

export const ROLES = ['admin', 'supervisor', 'enumerator', 'analyst'] as const;
/** What a user may do: administer, supervise provinces, collect responses, or read figures. */
export type Role = (typeof ROLES)[number];

export const Username = Type.String({ pattern: '^[a-z0-9._-]{3,40}$', description: 'Lower-case letters, digits, dot, dash, underscore.' });
export const ProvinceCode = Type.String({ pattern: '^[0-9]{2}$', description: 'Two-digit province code.' });

export const CreateUserBody = Type.Object(
  {
    username: Username,
    password: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'At least 10 characters, not only spaces, not a common password, not containing the username (server/modules/users/password-policy.ts).',
    }),
    role: StringEnum(ROLES),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    /** For supervisors (and enumerators): the provinces they work in. */
    provinces: Type.Optional(Type.Array(ProvinceCode, { uniqueItems: true, maxItems: 63 })),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UserView = Type.Object({
  username: Username,
  role: StringEnum(ROLES),
  displayName: Type.String(),
  provinces: Type.Array(ProvinceCode),
  createdAt: Type.String({ format: 'date-time' }),
});
export type UserView = Static<typeof UserView>;

/** The user behind a request, as the auth middleware found it. */
export interface AuthenticatedUser {
  username: string;
  role: Role;
  displayName: string;
  provinces: string[];
}

import { Type, type Static } from '@sinclair/typebox';
import { POST_OFFICE_CODE_PATTERN } from '../../../survey-forms/field-scope';
import { StringEnum } from '../../../survey-forms/typebox';

export const ROLES = ['admin', 'supervisor', 'enumerator', 'analyst'] as const;
/** What a user may do: administer, supervise provinces, collect responses, or read figures. */
export type Role = (typeof ROLES)[number];

export const Username = Type.String({ pattern: '^[a-z0-9._-]{3,40}$', description: 'Lower-case letters, digits, dot, dash, underscore.' });
export const ProvinceCode = Type.String({ pattern: '^[0-9]{2}$', description: 'Two-digit province code.' });

export const PostOfficeCode = Type.String({ pattern: POST_OFFICE_CODE_PATTERN, description: 'Code of a post office (GET /api/v1/post-offices).' });

export const CreateUserBody = Type.Object(
  {
    username: Username,
    password: Type.String({ minLength: 8, maxLength: 200 }),
    role: StringEnum(ROLES),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    /** For supervisors (and enumerators): the provinces they work in. */
    provinces: Type.Optional(Type.Array(ProvinceCode, { uniqueItems: true, maxItems: 63 })),
    /**
     * The post office the user belongs to. An enumerator works for it; a supervisor with one is a
     * post-office supervisor and sees only its units, enumerators and responses. Its province is the user's.
     */
    postOffice: Type.Optional(Type.Union([PostOfficeCode, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UserView = Type.Object({
  username: Username,
  role: StringEnum(ROLES),
  displayName: Type.String(),
  provinces: Type.Array(ProvinceCode),
  postOffice: Type.Union([PostOfficeCode, Type.Null()], { description: 'The post office the user belongs to; null for none (provincial or national).' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type UserView = Static<typeof UserView>;

/** The user behind a request, as the auth middleware found it. */
export interface AuthenticatedUser {
  username: string;
  role: Role;
  displayName: string;
  provinces: string[];
  /** Their post office; a supervisor with one sees only that post office. */
  postOffice: string | null;
}

import { Type, type Static } from '@sinclair/typebox';
import { POST_OFFICE_CODE_PATTERN } from '../../../survey-forms/field-scope';
import { StringEnum } from '../../../survey-forms/typebox';
import { MAX_USER_IMPORT_ROWS } from '../../../survey-forms/user-import';
import { XlsxUpload } from '../uploads/upload.schema';

export const ROLES = ['admin', 'supervisor', 'enumerator', 'analyst'] as const;
/** What a user may do: administer, supervise provinces, collect responses, or read figures. */
export type Role = (typeof ROLES)[number];

export const Username = Type.String({ pattern: '^[a-z0-9._-]{3,40}$', description: 'Lower-case letters, digits, dot, dash, underscore.' });
export const ProvinceCode = Type.String({ pattern: '^[0-9]{2}$', description: 'Two-digit province code.' });

export const PostOfficeCode = Type.String({ pattern: POST_OFFICE_CODE_PATTERN, description: 'Code of a post office (GET /api/v1/post-offices).' });

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
  active: Type.Boolean({ description: 'false: deactivated; the user cannot log in and their tokens no longer work.' }),
  postOffice: Type.Union([PostOfficeCode, Type.Null()], { description: 'The post office the user belongs to; null for none (provincial or national).' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type UserView = Static<typeof UserView>;

export const UserParams = Type.Object({ username: Username }, { additionalProperties: false });

export const UserListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the username or display name (any case).' })),
    role: Type.Optional(StringEnum(ROLES)),
    province: Type.Optional(ProvinceCode),
    active: Type.Optional(Type.Boolean()),
    offset: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 1000 }),
  },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;

export const UserListReply = Type.Object({
  total: Type.Integer({ description: 'Users matching the filter (all pages).' }),
  users: Type.Array(UserView, { description: 'A page, ordered by username.' }),
});

export const UpdateUserBody = Type.Object(
  {
    active: Type.Optional(Type.Boolean({ description: 'false deactivates the user: their tokens get 401 on the next request; their assignments stay, to be reassigned.' })),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    provinces: Type.Optional(Type.Array(ProvinceCode, { uniqueItems: true, maxItems: 63 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const PasswordResetReply = Type.Object({
  username: Username,
  password: Type.String({ description: 'The new password, generated at random; shown this once and stored only as a hash.' }),
});

export const UserImportBody = Type.Object(
  {
    csv: Type.Optional(Type.String({ minLength: 1, description: 'CSV text (UTF-8, header line): username, display_name, provinces (codes separated by spaces or semicolons).' })),
    xlsx: Type.Optional(XlsxUpload),
    users: Type.Optional(Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_USER_IMPORT_ROWS, description: 'Objects with username, displayName, provinces.' })),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'One of csv, xlsx or users.' },
);
export type UserImportBody = Static<typeof UserImportBody>;

export const UserImportQuery = Type.Object(
  {
    skipInvalid: Type.Boolean({ default: false, description: 'false: a list with any bad row is refused whole. true: the valid rows are created and the bad ones reported.' }),
    dryRun: Type.Boolean({ default: false, description: 'true: report every problem (always a 200) and create nobody.' }),
  },
  { additionalProperties: false },
);

export const UserImportReply = Type.Object({
  imported: Type.Integer({ description: 'Enumerators created now.' }),
  valid: Type.Integer({ description: 'Rows without problems (on a dry run: those that would be created).' }),
  skipped: Type.Integer({ description: 'Rows left out because of their problems.' }),
  dryRun: Type.Boolean(),
  problems: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() })),
  credentials: Type.Array(Type.Object({ username: Username, password: Type.String() }), {
    description: 'The created accounts with their passwords, generated at random and shown this once.',
  }),
});

/** The user behind a request, as the auth middleware found it. */
export interface AuthenticatedUser {
  username: string;
  role: Role;
  displayName: string;
  provinces: string[];
  /** Their post office; a supervisor with one sees only that post office. */
  postOffice: string | null;
}

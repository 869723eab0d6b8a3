import { Type } from '@sinclair/typebox';

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const LoginReply = Type.Object({
  token: Type.String({ description: 'Send as `Authorization: Bearer <token>`.' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

/** Who a token belongs to (GET /api/v1/me). */
export const MeReply = Type.Object({ username: Type.String(), role: Type.String(), displayName: Type.String(), provinces: Type.Array(Type.String()) });

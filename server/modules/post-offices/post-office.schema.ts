import { Type, type Static } from '@sinclair/typebox';
import { PostOfficeCode, ProvinceCode } from '../users/user.schema';

export const PostOfficeView = Type.Object({
  code: PostOfficeCode,
  name: Type.String({ description: 'The post office’s name, e.g. "Bưu điện Trung tâm Hoàn Kiếm".' }),
  provinceCode: ProvinceCode,
});

export const PostOfficeListQuery = Type.Object({ province: Type.Optional(ProvinceCode) }, { additionalProperties: false });
export const PostOfficeListReply = Type.Object({ postOffices: Type.Array(PostOfficeView) });

export const PostOfficeUpsertBody = Type.Object(
  {
    postOffices: Type.Array(
      Type.Object({ code: PostOfficeCode, name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }), provinceCode: ProvinceCode }, { additionalProperties: false }),
      { minItems: 1, maxItems: 5000 },
    ),
  },
  { additionalProperties: false },
);
export type PostOfficeUpsertBody = Static<typeof PostOfficeUpsertBody>;
export const PostOfficeUpsertReply = Type.Object({ changed: Type.Integer({ description: 'Post offices added or renamed now.' }), postOffices: Type.Array(PostOfficeView) });

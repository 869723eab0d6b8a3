import { hashPassword } from '../../server/modules/auth/auth.service';

describe('password hashing', () => {
  test('when a password is hashed, then it is argon2id with a fresh salt each time', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
  });
});

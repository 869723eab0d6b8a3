import { randomBytes } from 'node:crypto';
import { createPersonalDataCipher, PersonalDataError } from '../../server/modules/samples/personal-data.cipher';

const key = randomBytes(32).toString('base64');
const person = { name: 'Nguyễn Thị Hoa', phone: '0912 345 678', address: 'Số 3, ngõ 5, phố Hàng Bông' };

describe('personal-data cipher', () => {
  const cipher = createPersonalDataCipher(key);

  test('when data is sealed and opened with the same key and unit, then it comes back unchanged', () => {
    const sealed = cipher.seal(person, 'r1|U-1');
    expect(sealed).not.toContain('Hoa');
    expect(sealed).not.toContain('0912');
    expect(cipher.open(sealed, 'r1|U-1')).toEqual(person);
  });

  test('when the same data is sealed twice, then the two sealed values differ (fresh IV each time)', () => {
    expect(cipher.seal(person, 'r1|U-1')).not.toBe(cipher.seal(person, 'r1|U-1'));
  });

  test('when a sealed value is moved to another unit, altered or opened with another key, then it does not open', () => {
    const sealed = cipher.seal(person, 'r1|U-1');
    expect(() => cipher.open(sealed, 'r1|U-2')).toThrow(PersonalDataError);
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = `${body?.startsWith('A') ? 'B' : 'A'}${body?.slice(1) ?? ''}`;
    expect(() => cipher.open([v, iv, tag, flipped].join('.'), 'r1|U-1')).toThrow(PersonalDataError);
    expect(() => createPersonalDataCipher(randomBytes(32).toString('base64')).open(sealed, 'r1|U-1')).toThrow(/does not open/);
  });

  test('when one phone is written in several ways, then its hash is the same; another key gives another hash', () => {
    const hashes = new Set(['0912 345 678', '0912.345.678', '+84 912 345 678', '+84912345678'].map((p) => cipher.hashPhone(p)));
    expect(hashes.size).toBe(1);
    expect(createPersonalDataCipher(randomBytes(32).toString('base64')).hashPhone('0912345678')).not.toBe([...hashes][0]);
  });

  test('when the key is not 32 bytes, then the cipher refuses to start', () => {
    expect(() => createPersonalDataCipher(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

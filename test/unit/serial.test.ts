import { ALPHABET, checkDigitsOf, parseSerial, serialFor } from '../../survey-forms/serial';

const SERIALS = [serialFor('sipas-2024', 'HN-0001'), serialFor('sipas-2022', 'a'), serialFor('test-1-abc', 'Unit_9.x-Z'), serialFor('r00', '0')];

/** Every string one character away from the serial (any character a keyboard gives, in any place). */
function singleCharacterErrors(serial: string): string[] {
  const keys = `${ALPHABET} *`;
  const out: string[] = [];
  for (let i = 0; i < serial.length; i += 1) {
    for (const key of keys) if (key !== serial[i]) out.push(serial.slice(0, i) + key + serial.slice(i + 1));
  }
  return out;
}

function adjacentSwaps(serial: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < serial.length; i += 1) {
    if (serial[i] !== serial[i + 1]) out.push(serial.slice(0, i) + serial[i + 1] + serial[i] + serial.slice(i + 2));
  }
  return out;
}

describe('serial numbers of printed questionnaires', () => {
  test('a serial names its round and unit and reads back', () => {
    expect(serialFor('sipas-2024', 'HN-0001')).toMatch(/^sipas-2024\/HN-0001\/\d{2}$/);
    for (const serial of SERIALS) expect(parseSerial(serial).ok).toBe(true);
    expect(parseSerial(` ${serialFor('sipas-2024', 'HN-0001')} `)).toEqual({ ok: true, roundId: 'sipas-2024', unitId: 'HN-0001' });
  });

  test('every single-character error is refused', () => {
    for (const serial of SERIALS) {
      const errors = singleCharacterErrors(serial);
      expect(errors.length).toBeGreaterThan(100);
      const accepted = errors.filter((e) => parseSerial(e).ok);
      expect(accepted).toEqual([]);
    }
  });

  test('every swap of two neighbouring characters is refused', () => {
    for (const serial of SERIALS) {
      const swaps = adjacentSwaps(serial);
      expect(swaps.length).toBeGreaterThan(3);
      expect(swaps.filter((s) => parseSerial(s).ok)).toEqual([]);
    }
  });

  test('every single-digit error and neighbour swap in a long numeric unit id is caught by the check digits themselves', () => {
    const payload = 'sipas-2024/0123456789012';
    const check = checkDigitsOf(payload);
    for (let i = 0; i < payload.length; i += 1) {
      for (const d of '0123456789') {
        if (d === payload[i] || !/\d/.test(payload[i] ?? '')) continue;
        expect(checkDigitsOf(payload.slice(0, i) + d + payload.slice(i + 1))).not.toBe(check);
      }
      if (i + 1 < payload.length && payload[i] !== payload[i + 1]) {
        expect(checkDigitsOf(payload.slice(0, i) + payload[i + 1] + payload[i] + payload.slice(i + 2))).not.toBe(check);
      }
    }
  });

  test('a wrong check digit and a wrong shape are told apart', () => {
    const serial = serialFor('sipas-2024', 'HN-0001');
    const wrong = `${serial.slice(0, -2)}${serial.endsWith('00') ? '01' : '00'}`;
    expect(parseSerial(wrong)).toEqual({ ok: false, code: 'wrong_check_digit' });
    expect(parseSerial('sipas-2024/HN-0001')).toEqual({ ok: false, code: 'wrong_format' });
    expect(parseSerial('')).toEqual({ ok: false, code: 'wrong_format' });
  });
});

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { configure } from 'safe-stable-stringify';
import { canonicalJson } from '../../server/modules/responses/content-hash';
import { contentHashOf } from '../../server/modules/responses/response.service';

describe('response content hash', () => {
  test('when the same response is re-sent with its keys in another order, then the hash is the same', () => {
    const a = { id: 'x', answers: { c01_s: 4, c02_s: 5 }, paradata: { startedAt: 's', endedAt: 'e' } };
    const b = { paradata: { endedAt: 'e', startedAt: 's' }, answers: { c02_s: 5, c01_s: 4 }, id: 'x' };
    expect(contentHashOf(a)).toBe(contentHashOf(b));
  });

  test('when one answer differs, then the hash differs', () => {
    expect(contentHashOf({ answers: { c01_s: 4 } })).not.toBe(contentHashOf({ answers: { c01_s: 5 } }));
    expect(contentHashOf({ answers: { c01_s: 4 } })).not.toBe(contentHashOf({ answers: { c01_s: '4' } }));
  });
});

describe('canonical JSON', () => {
  // Stored responses carry hashes of the library's text: ours must be the same, byte for byte, or re-sends would turn into conflicts.
  const reference = configure({ deterministic: true, circularValue: Error });
  test('when any JSON value is written, then the text is exactly what safe-stable-stringify writes in deterministic mode', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6, stringUnit: 'binary' }), fc.string({ unit: 'binary' }), (value, key) => {
        const withOddKey = { [key]: value, '\ud800': 'lone', 'é': [1.5e300, -0, 1e-7] };
        expect(canonicalJson(value)).toBe(reference(value));
        expect(canonicalJson(withOddKey)).toBe(reference(withOddKey));
      }),
      { numRuns: 200 },
    );
  });
  test('when the hash is taken, then it is the SHA-256 of that text', () => {
    const item = { b: [1, 'x', null], a: { z: true, y: 'ư' } };
    expect(contentHashOf(item)).toBe(createHash('sha256').update(reference(item) ?? '').digest('hex'));
  });
});

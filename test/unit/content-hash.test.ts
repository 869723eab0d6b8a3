import { createHash } from 'node:crypto';
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
  // Stored responses carry hashes of this text: a change would turn every re-send of them into a conflict.
  const reference = configure({ deterministic: true, circularValue: Error });
  test('when the hash is taken, then it is the SHA-256 of the deterministic text, and the text has the bytes of JSON.stringify', () => {
    const item = { b: [1, 'x', null], a: { z: true, y: 'ư', lone: '\ud800' } };
    expect(canonicalJson(item)).toBe('{"a":{"lone":"\\ud800","y":"ư","z":true},"b":[1,"x",null]}');
    expect(Buffer.byteLength(canonicalJson(item))).toBe(Buffer.byteLength(JSON.stringify(item)));
    expect(contentHashOf(item)).toBe(createHash('sha256').update(reference(item) ?? '').digest('hex'));
  });
});

import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';
import { canonicalItemJson, canonicalJson } from '../../server/modules/responses/content-hash';
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

describe('canonical JSON of an item with its answers', () => {
  test('when an item is made canonical with its answers apart, then both texts are those of canonicalJson, whatever the keys, values and order', () => {
    const items: unknown[] = [
      { id: 'x', answers: { c01_s: 4, c02_s: 5 }, paradata: { startedAt: 's', endedAt: 'e' } },
      { paradata: { endedAt: 'e', startedAt: 's', extra: [1, { b: 2, a: [] }] }, answers: { z: 'ư', a: [1.5, -0, 1e21], m: { y: null, x: '\ud800"\n' } }, id: 'x', Answers: 1, __proto__x: 2 },
      { answers: {}, 'a"b': 'q', '': 0, é: true },
      { answers: 'not an object', roundId: 'r' },
      { noAnswers: true },
      [1, { answers: 2 }],
      'text',
      null,
      JSON.parse('{"__proto__": {"a": 1}, "answers": {"k": 1}}'),
    ];
    for (let n = 0; n < 200; n += 1) {
      const answers: Record<string, unknown> = {};
      for (let k = 0; k < 20; k += 1) answers[`q${(n * 7 + k * 13) % 50}`] = k % 3 === 0 ? String(k) : k % 3 === 1 ? k * 1.25 : [k, { v: k }];
      items.push({ [`k${n % 5}`]: n, answers, id: `i${n}`, ...(n % 2 ? { weight: 0.5 } : {}) });
    }
    for (const item of items) {
      const { item: text, answers } = canonicalItemJson(item);
      expect(text).toBe(canonicalJson(item));
      const hasAnswers = typeof item === 'object' && item !== null && !Array.isArray(item) && 'answers' in item;
      expect(answers).toBe(hasAnswers ? canonicalJson(item.answers) : undefined);
    }
  });
});

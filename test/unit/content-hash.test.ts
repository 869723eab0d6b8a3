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

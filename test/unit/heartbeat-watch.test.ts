import { heartbeatBoundMs, stuckHeartbeats } from '../../server/db/heartbeat-watch';

describe('stuck MongoDB heartbeats', () => {
  test('when connecting and its handshake each take their whole timeout, then the bound still covers them and a streaming check', () => {
    const bound = heartbeatBoundMs({ connectTimeoutMS: 10_000, heartbeatFrequencyMS: 10_000 });
    expect(bound).toBeGreaterThan(2 * 10_000);
    expect(bound).toBeGreaterThan(10_000 + 10_000);
    expect(bound).toBe(31_000);
  });

  test('when a heartbeat has run past the bound, then its server is stuck; one within it, or none at all, is not', () => {
    const now = 100_000;
    const inFlight = new Map([
      ['b:27017', now - 31_001],
      ['a:27017', now - 40_000],
      ['c:27017', now - 31_000],
      ['d:27017', now - 5],
    ]);
    expect(stuckHeartbeats(inFlight, now, 31_000)).toEqual(['a:27017', 'b:27017']);
    expect(stuckHeartbeats(new Map(), now, 31_000)).toEqual([]);
  });
});

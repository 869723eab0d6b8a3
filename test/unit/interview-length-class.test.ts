import fc from 'fast-check';
import { INTERVIEW_LENGTH_CLASSES, interviewLengthClass, interviewLengthClassSpanMs, overlapWindows } from '../../survey-forms/quality-rules';

const MIN = 60_000;
const t0 = Date.UTC(2024, 8, 1, 8);

describe('interview length classes (the bounded overlap windows)', () => {
  test('when an interview lasts up to 4^k minutes, then it is in the smallest class that holds it', () => {
    expect(interviewLengthClass(new Date(t0), new Date(t0))).toBe(0);
    expect(interviewLengthClass(new Date(t0), new Date(t0 + MIN))).toBe(0);
    expect(interviewLengthClass(new Date(t0), new Date(t0 + MIN + 1))).toBe(1);
    expect(interviewLengthClass(new Date(t0), new Date(t0 + 16 * MIN))).toBe(2);
    expect(interviewLengthClass(new Date(t0), new Date(t0 + 25 * MIN))).toBe(3);
    expect(interviewLengthClass(new Date(-8.64e15), new Date(8.64e15))).toBe(INTERVIEW_LENGTH_CLASSES - 1);
  });

  test('when any two intervals overlap, then the other one starts inside the window of its class, and every window is bounded', () => {
    const interval = fc
      .tuple(fc.integer({ min: -1e13, max: 1e13 }), fc.oneof(fc.integer({ min: 0, max: 3 * 3600_000 }), fc.integer({ min: 0, max: 1e13 })))
      .map(([start, length]) => ({ start: new Date(start), end: new Date(start + length) }));
    fc.assert(
      fc.property(interval, interval, (batch, other) => {
        const windows = overlapWindows(batch.start, batch.end);
        for (const w of windows) expect(w.startedBefore.getTime() - w.startedAfter.getTime()).toBeLessThanOrEqual(batch.end.getTime() - batch.start.getTime() + interviewLengthClassSpanMs(w.lengthClass));
        const overlaps = other.start < batch.end && other.end > batch.start;
        if (!overlaps) return;
        const lengthClass = interviewLengthClass(other.start, other.end);
        const window = windows[lengthClass];
        expect(window && other.start > window.startedAfter && other.start < window.startedBefore).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

import {
  checkDuplicateRespondent,
  checkOutOfArea,
  checkOverlappingInterviews,
  checkStraightLining,
  checkTooFast,
  DEFAULT_QUALITY_THRESHOLDS as T,
  distanceToBoxKm,
  haversineKm,
  runQualityRules,
  satisfactionAnswersOf,
  type QualityFacts,
} from '../../survey-forms/quality-rules';

const at = (minute: number, second = 0): Date => new Date(Date.UTC(2024, 8, 1, 8, minute, second));

// Hà Nội's bounding box, roughly.
const HA_NOI = { minLat: 20.56, minLon: 105.28, maxLat: 21.39, maxLon: 106.02 };

function facts(overrides: Partial<QualityFacts> = {}): QualityFacts {
  return {
    responseId: 'r1',
    startedAt: at(0),
    endedAt: at(20),
    minDurationSeconds: 240,
    satisfactionAnswers: { c01_s: 4, c02_s: 5, c03_s: 4, c04_s: 3, c05_s: 4, c06_s: 5, c07_s: 4, c08_s: 4 },
    sameSampleUnit: [],
    samePhone: [],
    enumeratorInterviews: [],
    location: { lat: 21.03, lon: 105.85, accuracy: 15 },
    provinceBox: HA_NOI,
    ...overrides,
  };
}

describe('quality rules', () => {
  test('when an ordinary interview is checked, then no rule fires', () => {
    expect(runQualityRules(facts())).toEqual([]);
  });

  describe('too fast', () => {
    test('when the interview lasts exactly the minimum, then it passes; one second less is flagged', () => {
      expect(checkTooFast(facts({ endedAt: at(4, 0) }))).toBeUndefined();
      expect(checkTooFast(facts({ endedAt: at(3, 59) }))).toEqual({
        rule: 'too-fast',
        message: 'Interview took 239 s; the questionnaire needs at least 240 s.',
        evidence: { durationSeconds: 239, minimumSeconds: 240 },
      });
    });

    test('when the end is before the start (a device clock jump), then it is flagged as too fast', () => {
      expect(checkTooFast(facts({ endedAt: at(0), startedAt: at(1) }))?.evidence).toEqual({ durationSeconds: -60, minimumSeconds: 240 });
    });
  });

  describe('straight-lining', () => {
    const same = (n: number, value = 5): Record<string, number> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}_s`, value]));

    test('when all of at least the minimum number of answers are equal, then it is flagged', () => {
      expect(checkStraightLining(facts({ satisfactionAnswers: same(T.straightLiningMinItems) }), T)).toEqual({
        rule: 'straight-lining',
        message: `All ${T.straightLiningMinItems} satisfaction answers are 5.`,
        evidence: { value: 5, items: T.straightLiningMinItems },
      });
    });

    test('when there is one answer fewer than the minimum, then no pattern is judged', () => {
      expect(checkStraightLining(facts({ satisfactionAnswers: same(T.straightLiningMinItems - 1) }), T)).toBeUndefined();
    });

    test('when a single answer differs, then it passes', () => {
      expect(checkStraightLining(facts({ satisfactionAnswers: { ...same(20, 4), c3_s: 5 } }), T)).toBeUndefined();
    });
  });

  describe('duplicate respondent', () => {
    test('when the sample unit has another response, then it is flagged with that response', () => {
      expect(checkDuplicateRespondent(facts({ sameSampleUnit: ['r0'] }))?.evidence).toEqual({ by: 'sample-unit', otherResponseIds: ['r0'] });
    });

    test('when only the phone matches, then it is flagged by phone, listing each other response once', () => {
      expect(checkDuplicateRespondent(facts({ samePhone: ['r9', 'r2', 'r9'] }))?.evidence).toEqual({ by: 'phone', otherResponseIds: ['r2', 'r9'] });
    });
  });

  describe('overlapping interviews', () => {
    test('when another interview overlaps by exactly the tolerance, then it passes; one second more is flagged', () => {
      const edge = { responseId: 'r2', startedAt: at(19), endedAt: at(40) };
      expect(checkOverlappingInterviews(facts({ enumeratorInterviews: [edge] }), T)).toBeUndefined();
      const over = { responseId: 'r2', startedAt: at(18, 59), endedAt: at(40) };
      expect(checkOverlappingInterviews(facts({ enumeratorInterviews: [over] }), T)?.evidence).toEqual({
        overlaps: [{ responseId: 'r2', overlapSeconds: 61 }],
      });
    });

    test('when interviews follow each other without overlap, then it passes', () => {
      const next = { responseId: 'r2', startedAt: at(20), endedAt: at(45) };
      const before = { responseId: 'r3', startedAt: at(-30), endedAt: at(-5) };
      expect(checkOverlappingInterviews(facts({ enumeratorInterviews: [next, before] }), T)).toBeUndefined();
    });

    test('when one interview lies inside another, then the overlap is the inner one', () => {
      const inner = { responseId: 'r2', startedAt: at(5), endedAt: at(10) };
      expect(checkOverlappingInterviews(facts({ enumeratorInterviews: [inner] }), T)?.evidence).toEqual({
        overlaps: [{ responseId: 'r2', overlapSeconds: 300 }],
      });
    });
  });

  describe('out of area', () => {
    test('when the distance is measured, then it is the great-circle distance to the box', () => {
      // Hà Nội to TP HCM: 10.2516° of latitude (1139.9 km) and 0.8467° of longitude at ~16° N (90.6 km).
      expect(haversineKm({ lat: 21.0285, lon: 105.8542 }, { lat: 10.7769, lon: 106.7009 })).toBeCloseTo(Math.hypot(1139.9, 90.6), 0);
      expect(distanceToBoxKm({ lat: 21, lon: 105.5 }, HA_NOI)).toBe(0);
      // Due south of the box by 0.18° of latitude: about 20 km.
      expect(distanceToBoxKm({ lat: 20.38, lon: 105.5 }, HA_NOI)).toBeCloseTo(20.0, 0);
    });

    test('when a location is just inside the threshold, then it passes; beyond it, it is flagged', () => {
      expect(checkOutOfArea(facts({ location: { lat: 20.39, lon: 105.5 } }), T)).toBeUndefined();
      const flag = checkOutOfArea(facts({ location: { lat: 20.3, lon: 105.5 } }), T);
      expect(flag?.rule).toBe('out-of-area');
      expect(flag?.evidence).toMatchObject({ distanceKm: 28.9 });
    });

    test('when the GPS accuracy covers the gap, then it is not flagged', () => {
      expect(checkOutOfArea(facts({ location: { lat: 20.3, lon: 105.5, accuracy: 10_000 } }), T)).toBeUndefined();
    });

    test('when there is no location or no province area, then the rule cannot judge and stays silent', () => {
      const { location: _l, ...noLocation } = facts();
      expect(checkOutOfArea(noLocation, T)).toBeUndefined();
      const { provinceBox: _b, ...noBox } = facts({ location: { lat: 10.8, lon: 106.7 } });
      expect(checkOutOfArea(noBox, T)).toBeUndefined();
    });
  });

  test('when several rules fire, then flags come in a fixed order', () => {
    const flags = runQualityRules(
      facts({ endedAt: at(1), sameSampleUnit: ['r0'], location: { lat: 10.8, lon: 106.7 }, satisfactionAnswers: { a: 5, b: 5, c: 5, d: 5, e: 5, f: 5, g: 5, h: 5 } }),
    );
    expect(flags.map((f) => f.rule)).toEqual(['too-fast', 'straight-lining', 'duplicate-respondent', 'out-of-area']);
  });
});

describe('satisfaction answers of a questionnaire', () => {
  const items = [
    { item: { id: 'c01_s' }, scale: { kind: 'satisfaction', options: [1, 2, 3, 4, 5].map((code) => ({ code })) } },
    { item: { id: 'c02_s' }, scale: { kind: 'satisfaction', options: [1, 2, 3, 4, 5].map((code) => ({ code })) } },
    { item: { id: 'c01_p' }, scale: { kind: 'agreement', options: [1, 2, 3, 4, 5].map((code) => ({ code })) } },
    { item: { id: 'sex' } },
  ];
  test('when answers include "not applicable", perception items and missing ones, then only valid satisfaction answers are kept', () => {
    expect(satisfactionAnswersOf(items, { c01_s: 9, c02_s: 4, c01_p: 4, sex: 1 })).toEqual({ c02_s: 4 });
  });
});

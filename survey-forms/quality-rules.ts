/**
 * Quality rules: pure functions from a response and the facts around it to flags with evidence.
 * No I/O here; the quality service gathers the facts (other responses of the same sample unit,
 * phone or enumerator; the province's area) and stores the flags.
 */

import type { ResponseMode } from './modes';

export const QUALITY_RULES = ['too-fast', 'straight-lining', 'duplicate-respondent', 'overlapping-interviews', 'out-of-area', 'identical-keyed-form'] as const;
/** Why a response was flagged. */
export type QualityRule = (typeof QUALITY_RULES)[number];

/** A flag: the rule that fired and the evidence a supervisor needs to judge it. */
export interface QualityFlag {
  rule: QualityRule;
  /** One sentence a supervisor can read. */
  message: string;
  evidence: Record<string, unknown>;
}

/** Thresholds from configuration (the too-fast threshold comes from the questionnaire). */
export interface QualityThresholds {
  /** Straight-lining needs at least this many valid satisfaction answers to be judged. */
  straightLiningMinItems: number;
  /** Two interviews of one enumerator may overlap this much (clock drift, a handover) unflagged. */
  overlapToleranceSeconds: number;
  /** A location further than this outside the province's bounding box is out of area. */
  outOfAreaKm: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = {
  straightLiningMinItems: 8,
  overlapToleranceSeconds: 60,
  outOfAreaKm: 20,
};

export interface GeoBox {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}

export interface Interval {
  responseId: string;
  startedAt: Date;
  endedAt: Date;
}

/** What the rules look at. Lists of other responses exclude the response itself. */
export interface QualityFacts {
  responseId: string;
  startedAt: Date;
  endedAt: Date;
  /** How the response was collected (absent: capi); the rules that run depend on it ({@link qualityRulesFor}). */
  mode?: ResponseMode;
  /** The questionnaire's minimum plausible duration for the mode; undefined: the mode is not judged on time. */
  minDurationSeconds: number | undefined;
  /** Other keyed paper forms of the round with exactly the same answers (a keying check). */
  identicalKeyedForms?: string[];
  /** Valid answers (not "not applicable", not missing) to the form's satisfaction items, by item id. */
  satisfactionAnswers: Record<string, number>;
  /** Other responses of the round for the same sample unit. */
  sameSampleUnit: string[];
  /** Other responses of the round whose sample unit has the same (hashed) phone number. */
  samePhone: string[];
  /** Other interviews of the same enumerator. */
  enumeratorInterviews: Interval[];
  location?: { lat: number; lon: number; accuracy?: number };
  /** The assigned province's bounding box, when known. */
  provinceBox?: GeoBox;
}

const seconds = (ms: number): number => Math.round(ms / 1000);

/** Flags an interview shorter than the questionnaire's minimum duration. Exactly the minimum passes. */
export function checkTooFast(facts: QualityFacts): QualityFlag | undefined {
  if (facts.minDurationSeconds === undefined) return undefined;
  const duration = seconds(facts.endedAt.getTime() - facts.startedAt.getTime());
  if (duration >= facts.minDurationSeconds) return undefined;
  return {
    rule: 'too-fast',
    message: `Interview took ${duration} s; the questionnaire needs at least ${facts.minDurationSeconds} s.`,
    evidence: { durationSeconds: duration, minimumSeconds: facts.minDurationSeconds },
  };
}

/**
 * Flags the same answer given to every satisfaction item. "Not applicable" is not an answer here,
 * and too few valid answers cannot show a pattern.
 */
export function checkStraightLining(facts: QualityFacts, thresholds: QualityThresholds): QualityFlag | undefined {
  const values = Object.values(facts.satisfactionAnswers);
  if (values.length < thresholds.straightLiningMinItems) return undefined;
  const first = values[0];
  if (values.some((v) => v !== first)) return undefined;
  return {
    rule: 'straight-lining',
    message: `All ${values.length} satisfaction answers are ${String(first)}.`,
    evidence: { value: first, items: values.length },
  };
}

/** Flags a respondent answered twice: the same sample unit, or the same phone number. */
export function checkDuplicateRespondent(facts: QualityFacts): QualityFlag | undefined {
  if (facts.sameSampleUnit.length === 0 && facts.samePhone.length === 0) return undefined;
  const by = facts.sameSampleUnit.length > 0 ? 'sample-unit' : 'phone';
  const others = [...new Set([...facts.sameSampleUnit, ...facts.samePhone])].sort();
  return {
    rule: 'duplicate-respondent',
    message: by === 'sample-unit' ? 'This sample unit already has another response.' : 'Another response has the same phone number.',
    evidence: { by, otherResponseIds: others },
  };
}

/** Flags interviews of one enumerator that overlap in time beyond the tolerance. */
export function checkOverlappingInterviews(facts: QualityFacts, thresholds: QualityThresholds): QualityFlag | undefined {
  const overlaps = facts.enumeratorInterviews
    .map((other) => ({
      responseId: other.responseId,
      overlap: seconds(Math.min(facts.endedAt.getTime(), other.endedAt.getTime()) - Math.max(facts.startedAt.getTime(), other.startedAt.getTime())),
    }))
    .filter((o) => o.overlap > thresholds.overlapToleranceSeconds)
    .sort((a, b) => a.responseId.localeCompare(b.responseId));
  if (overlaps.length === 0) return undefined;
  return {
    rule: 'overlapping-interviews',
    message: `Overlaps in time with ${overlaps.length} other interview(s) of the same enumerator.`,
    evidence: { overlaps: overlaps.map((o) => ({ responseId: o.responseId, overlapSeconds: o.overlap })) },
  };
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km. */
export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance in km from a point to the nearest point of a box; 0 inside it. */
export function distanceToBoxKm(point: { lat: number; lon: number }, box: GeoBox): number {
  const nearest = {
    lat: Math.min(Math.max(point.lat, box.minLat), box.maxLat),
    lon: Math.min(Math.max(point.lon, box.minLon), box.maxLon),
  };
  return haversineKm(point, nearest);
}

/**
 * Flags a location further than the threshold outside the province. The GPS accuracy is given the
 * benefit of the doubt: a fix 30 km out with 25 km accuracy may well be inside.
 */
export function checkOutOfArea(facts: QualityFacts, thresholds: QualityThresholds): QualityFlag | undefined {
  if (!facts.location || !facts.provinceBox) return undefined;
  const distance = distanceToBoxKm(facts.location, facts.provinceBox);
  const accuracyKm = (facts.location.accuracy ?? 0) / 1000;
  if (distance - accuracyKm <= thresholds.outOfAreaKm) return undefined;
  const km = Math.round(distance * 10) / 10;
  return {
    rule: 'out-of-area',
    message: `Recorded ${km} km outside the assigned province.`,
    evidence: { lat: facts.location.lat, lon: facts.location.lon, accuracyMeters: facts.location.accuracy ?? null, distanceKm: km },
  };
}

/**
 * A keying check: a paper form keyed with exactly the answers of another keyed form of the round is
 * most likely one paper keyed twice under two serials (or a copied form).
 */
export function checkIdenticalKeyedForm(facts: QualityFacts): QualityFlag | undefined {
  const others = facts.identicalKeyedForms ?? [];
  if (others.length === 0) return undefined;
  return {
    rule: 'identical-keyed-form',
    message: `The answers are identical to ${others.length} other keyed form(s) of the round.`,
    evidence: { otherResponseIds: [...others].sort() },
  };
}

/**
 * The rules that run for a mode. Interviews (capi) and online self-completion (cawi) are judged on
 * time where the questionnaire names a threshold for the mode; keyed paper forms (papi) never are —
 * keying fast says nothing about the respondent — and get keying checks instead. Straight-lining,
 * duplicate respondent and out-of-area apply to every mode; overlapping interviews only to interviews.
 */
export function qualityRulesFor(mode: ResponseMode, minDurationSeconds: number | undefined): QualityRule[] {
  const timed: QualityRule[] = minDurationSeconds === undefined ? [] : ['too-fast'];
  switch (mode) {
    case 'capi':
      return [...timed, 'straight-lining', 'duplicate-respondent', 'overlapping-interviews', 'out-of-area'];
    case 'cawi':
      return [...timed, 'straight-lining', 'duplicate-respondent', 'out-of-area'];
    case 'papi':
      return ['straight-lining', 'duplicate-respondent', 'out-of-area', 'identical-keyed-form'];
  }
}

/** Every rule of the response's mode, in a fixed order, so the same facts always give the same flags. */
export function runQualityRules(facts: QualityFacts, thresholds: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS): QualityFlag[] {
  const rules = new Set(qualityRulesFor(facts.mode ?? 'capi', facts.minDurationSeconds));
  const checks: Record<QualityRule, () => QualityFlag | undefined> = {
    'too-fast': () => checkTooFast(facts),
    'straight-lining': () => checkStraightLining(facts, thresholds),
    'duplicate-respondent': () => checkDuplicateRespondent(facts),
    'overlapping-interviews': () => checkOverlappingInterviews(facts, thresholds),
    'out-of-area': () => checkOutOfArea(facts, thresholds),
    'identical-keyed-form': () => checkIdenticalKeyedForm(facts),
  };
  return QUALITY_RULES.filter((rule) => rules.has(rule))
    .map((rule) => checks[rule]())
    .filter((flag): flag is QualityFlag => flag !== undefined);
}

/** Valid answers to a questionnaire's satisfaction items: items on a scale of kind `satisfaction`, "not applicable" and missing left out. */
export function satisfactionAnswersOf(
  items: ReadonlyArray<{ item: { id: string }; scale?: { kind: string; options: ReadonlyArray<{ code: string | number }> } }>,
  answers: Readonly<Record<string, unknown>>,
): Record<string, number> {
  const valid: Record<string, number> = {};
  for (const { item, scale } of items) {
    if (scale?.kind !== 'satisfaction') continue;
    const answer = answers[item.id];
    if (typeof answer === 'number' && scale.options.some((o) => o.code === answer)) valid[item.id] = answer;
  }
  return valid;
}

/**
 * Interview length classes, so that "which of an enumerator's interviews overlap [start, end]" reads a
 * window bounded on both sides. Class k holds interviews lasting at most 4^k minutes; one of them can
 * overlap [start, end] only if it started in (start − 4^k min, end). Asking each class for its own
 * window reads, per class, only interviews that began shortly before the batch, never the
 * enumerator's history; 21 classes cover every span JavaScript dates can hold (4^20 min > 2 × 8.64e15 ms).
 */
export const INTERVIEW_LENGTH_CLASSES = 21;
const MINUTE_MS = 60_000;
/** The earliest instant a JavaScript date holds. */
const EARLIEST_DATE_MS = -8.64e15;

/** The longest interview of a class, in milliseconds. */
export function interviewLengthClassSpanMs(lengthClass: number): number {
  return MINUTE_MS * 4 ** lengthClass;
}

/** The smallest class whose span holds this interview (integers only: no rounding can put it in too small a class). */
export function interviewLengthClass(startedAt: Date, endedAt: Date): number {
  const length = endedAt.getTime() - startedAt.getTime();
  let lengthClass = 0;
  while (lengthClass < INTERVIEW_LENGTH_CLASSES - 1 && interviewLengthClassSpanMs(lengthClass) < length) lengthClass += 1;
  return lengthClass;
}

/**
 * For each class, the window of start times in which an interview of that class can overlap
 * [start, end]: every window is bounded on both sides.
 */
export function overlapWindows(start: Date, end: Date): Array<{ lengthClass: number; startedAfter: Date; startedBefore: Date }> {
  return Array.from({ length: INTERVIEW_LENGTH_CLASSES }, (_, lengthClass) => ({
    lengthClass,
    startedAfter: new Date(Math.max(EARLIEST_DATE_MS, start.getTime() - interviewLengthClassSpanMs(lengthClass))),
    startedBefore: end,
  }));
}

/**
 * Quota progress, pace and forecast: pure arithmetic over counts the repository reads from stored
 * responses and sample units. No I/O here, so every figure can be checked by hand.
 */
import type { AnswerCode } from './form-definition.schema';
import { quotaCellKey, type QuotaCell } from './quota-targets';
import { isCounted, type ReviewStatus } from './review-status';

/** Responses of one cell in one review state, as the aggregation pipeline groups them. */
export interface ResponseGroup {
  provinceCode: string;
  servingLevel: AnswerCode | null;
  serviceField: AnswerCode | null;
  respondentType: AnswerCode | null;
  reviewStatus: ReviewStatus;
  /** Whether these responses carry quality flags (whatever was decided since). */
  flagged: boolean;
  responses: number;
}

/** Sample units of one cell with one status. */
export interface OutcomeGroup {
  provinceCode: string;
  servingLevel: AnswerCode;
  serviceField: AnswerCode;
  respondentType: AnswerCode;
  status: string;
  units: number;
}

export interface ProgressCounts {
  /** Clear or approved: what counts in the figures and towards the target. */
  accepted: number;
  /** Flagged and not decided yet. */
  awaitingReview: number;
  /** Ever flagged by a quality rule, whatever was decided since. */
  flagged: number;
  rejected: number;
  /** Sent back to the enumerator to correct; its corrected resend is a response of its own. */
  returned: number;
  /** Stored, quality checks not run yet. */
  unchecked: number;
  /** Completed units ÷ units with a final outcome (completed, refused, not reachable); null before any. */
  responseRate: number | null;
}

const EMPTY = { accepted: 0, awaitingReview: 0, flagged: 0, rejected: 0, returned: 0, unchecked: 0 };
const FINAL_OUTCOMES = new Set(['completed', 'refused', 'not-reachable']);

/** Rounded half away from zero to `digits` decimals, as every published figure. */
export function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return (Math.sign(value) * Math.round(Math.abs(value) * f)) / f;
}

/** Adds response groups into counts. */
export function countResponses(groups: ReadonlyArray<ResponseGroup>): Omit<ProgressCounts, 'responseRate'> {
  const counts = { ...EMPTY };
  for (const g of groups) {
    if (isCounted(g.reviewStatus)) counts.accepted += g.responses;
    else if (g.reviewStatus === 'flagged') counts.awaitingReview += g.responses;
    else if (g.reviewStatus === 'rejected') counts.rejected += g.responses;
    else if (g.reviewStatus === 'returned') counts.returned += g.responses;
    else counts.unchecked += g.responses;
    if (g.flagged) counts.flagged += g.responses;
  }
  return counts;
}

/** Completed ÷ final outcomes, to four decimals; null when no unit has a final outcome. */
export function responseRateOf(groups: ReadonlyArray<OutcomeGroup>): number | null {
  let completed = 0;
  let final = 0;
  for (const g of groups) {
    if (!FINAL_OUTCOMES.has(g.status)) continue;
    final += g.units;
    if (g.status === 'completed') completed += g.units;
  }
  return final === 0 ? null : roundTo(completed / final, 4);
}

/** Whether a group falls in a cell; a cell without a respondent type takes every type. */
export function inCell(cell: QuotaCell, g: { provinceCode: string; servingLevel: AnswerCode | null; serviceField: AnswerCode | null; respondentType: AnswerCode | null }): boolean {
  return (
    g.provinceCode === cell.provinceCode &&
    g.servingLevel === cell.servingLevel &&
    g.serviceField === cell.serviceField &&
    (cell.respondentType === null || g.respondentType === cell.respondentType)
  );
}

const DAY_MS = 86_400_000;

/** The date `days` after an ISO date (YYYY-MM-DD). */
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export interface Pace {
  /** Interviews (not rejected) completed in the seven days ending on `asOf`, that day included. */
  lastSevenDays: number;
  /** Their mean per day, to two decimals. */
  perDay: number;
}

/** The pace over the last seven days, from interviews per day (by the day they ended, Vietnam time). */
export function paceOf(daily: ReadonlyArray<{ day: string; responses: number }>, asOf: string): Pace {
  const from = addDays(asOf, -6);
  const lastSevenDays = daily.filter((d) => d.day >= from && d.day <= asOf).reduce((sum, d) => sum + d.responses, 0);
  return { lastSevenDays, perDay: roundTo(lastSevenDays / 7, 2) };
}

export type ForecastStatus = 'reached' | 'on-track' | 'late' | 'stalled' | 'no-target';

export interface Forecast {
  status: ForecastStatus;
  /** Interviews still needed: target − collected, never below 0; null without a target. */
  remaining: number | null;
  /** The day the target is reached at the current pace; null when reached, stalled or without target. */
  projectedDate: string | null;
  /** Days between the projected date and the end of fieldwork (positive: that many days late). */
  daysLate: number | null;
}

/**
 * When the target is reached at the current pace. `collected` counts every interview that may still
 * count (accepted, awaiting review, not yet checked): rejected ones never will.
 */
export function forecastOf(input: { target: number | null; collected: number; perDay: number; asOf: string; fieldworkEnd: string }): Forecast {
  if (input.target === null || input.target === 0) return { status: 'no-target', remaining: null, projectedDate: null, daysLate: null };
  const remaining = Math.max(0, input.target - input.collected);
  if (remaining === 0) return { status: 'reached', remaining, projectedDate: null, daysLate: null };
  if (input.perDay <= 0) return { status: 'stalled', remaining, projectedDate: null, daysLate: null };
  const projectedDate = addDays(input.asOf, Math.ceil(remaining / input.perDay));
  const daysLate = Math.round((Date.parse(projectedDate) - Date.parse(input.fieldworkEnd)) / DAY_MS);
  return { status: daysLate > 0 ? 'late' : 'on-track', remaining, projectedDate, daysLate };
}

/** One enumerator's responses, as the aggregation pipeline counts them. */
export interface EnumeratorGroup {
  username: string;
  responses: number;
  flagged: number;
  /** Rejected or returned: withdrawn from the figures by a decision. */
  rejected: number;
  /** Days with at least one interview. */
  activeDays: number;
  lastDay: string;
}

export interface EnumeratorProductivity extends EnumeratorGroup {
  /** Interviews not rejected per active day, to two decimals. */
  completedPerDay: number;
  /** Share of their responses a quality rule flagged, to four decimals. */
  shareFlagged: number;
}

export function productivityOf(e: EnumeratorGroup): EnumeratorProductivity {
  const kept = e.responses - e.rejected;
  return {
    ...e,
    completedPerDay: e.activeDays === 0 ? 0 : roundTo(kept / e.activeDays, 2),
    shareFlagged: e.responses === 0 ? 0 : roundTo(e.flagged / e.responses, 4),
  };
}

export interface CellProgress extends QuotaCell, ProgressCounts {
  target: number | null;
  /** accepted ÷ target, to four decimals; null without a target. */
  share: number | null;
}

/**
 * Progress of every cell with a target, and of cells where responses arrived without one (their
 * respondent type left open), in a stable order.
 */
export function cellProgress(
  targets: ReadonlyArray<QuotaCell & { target: number }>,
  responses: ReadonlyArray<ResponseGroup>,
  outcomes: ReadonlyArray<OutcomeGroup>,
): CellProgress[] {
  const rows: CellProgress[] = [];
  const covered = new Set<ResponseGroup>();
  const make = (cell: QuotaCell, target: number | null, from: ReadonlyArray<ResponseGroup>): CellProgress => {
    const mine = from.filter((g) => inCell(cell, g));
    for (const g of mine) covered.add(g);
    const counts = countResponses(mine);
    return {
      ...cell,
      target,
      ...counts,
      responseRate: responseRateOf(outcomes.filter((o) => inCell(cell, o))),
      share: target === null || target === 0 ? null : roundTo(counts.accepted / target, 4),
    };
  };
  for (const t of targets) rows.push(make({ provinceCode: t.provinceCode, servingLevel: t.servingLevel, serviceField: t.serviceField, respondentType: t.respondentType }, t.target, responses));
  // Responses no target covers, in cells of their own (respondent type left open).
  const uncovered = responses.filter((g) => !covered.has(g) && g.servingLevel !== null && g.serviceField !== null);
  const untargeted = new Map<string, QuotaCell>();
  for (const g of uncovered) {
    const cell = { provinceCode: g.provinceCode, servingLevel: g.servingLevel as AnswerCode, serviceField: g.serviceField as AnswerCode, respondentType: null };
    untargeted.set(quotaCellKey(cell), cell);
  }
  for (const cell of untargeted.values()) rows.push(make(cell, null, uncovered));
  return rows.sort((a, b) => quotaCellKey(a).localeCompare(quotaCellKey(b), 'en', { numeric: true }));
}

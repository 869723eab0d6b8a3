/**
 * Progress rolled up the field's levels — enumerator → post office → province → national — from the
 * same groups the quota progress reads, so every level adds up to the one above it. Pure.
 */
import {
  countResponses,
  forecastOf,
  paceOf,
  responseRateOf,
  roundTo,
  type Forecast,
  type OutcomeGroup,
  type Pace,
  type ProgressCounts,
  type ResponseGroup,
} from './quota-progress';

/** How a part of the field is doing against its target, in the words supervisors use. */
export const PACE_STATUSES = ['on-track', 'behind', 'at-risk', 'no-target'] as const;
export type PaceStatus = (typeof PACE_STATUSES)[number];

/** Days late beyond which a late forecast is at risk rather than merely behind. */
export const AT_RISK_DAYS_LATE = 7;

/** reached or on track: on track; late by up to a week: behind; later, or no interviews this week: at risk. */
export function paceStatusOf(forecast: Forecast): PaceStatus {
  switch (forecast.status) {
    case 'reached':
    case 'on-track':
      return 'on-track';
    case 'late':
      return (forecast.daysLate ?? 0) > AT_RISK_DAYS_LATE ? 'at-risk' : 'behind';
    case 'stalled':
      return 'at-risk';
    default:
      return 'no-target';
  }
}

/** Where a group sits in the field. */
export interface Placed {
  provinceCode: string;
  postOffice: string | null;
}

export interface RollupInputs {
  responses: ReadonlyArray<ResponseGroup & Placed>;
  outcomes: ReadonlyArray<OutcomeGroup & Placed & { assignedTo: string | null }>;
  daily: ReadonlyArray<Placed & { day: string; responses: number }>;
  targets: ReadonlyArray<{ provinceCode: string; target: number }>;
  asOf: string;
  fieldworkEnd: string;
}

export interface LevelSummary extends ProgressCounts {
  target: number | null;
  share: number | null;
  pace: Pace;
  forecast: Forecast;
  paceStatus: PaceStatus;
}

/** The summary of the part of the field `within` picks (targets are per province: a post office has none). */
export function summariseLevel(inputs: RollupInputs, within: (g: Placed) => boolean, targetsWithin: (t: { provinceCode: string }) => boolean): LevelSummary {
  const counts = countResponses(inputs.responses.filter(within));
  const targetCells = inputs.targets.filter(targetsWithin);
  const target = targetCells.length === 0 ? null : targetCells.reduce((sum, t) => sum + t.target, 0);
  const byDay = new Map<string, number>();
  for (const d of inputs.daily.filter(within)) byDay.set(d.day, (byDay.get(d.day) ?? 0) + d.responses);
  const pace = paceOf([...byDay].map(([day, responses]) => ({ day, responses })), inputs.asOf);
  const forecast = forecastOf({
    target,
    collected: counts.accepted + counts.awaitingReview + counts.unchecked,
    perDay: pace.perDay,
    asOf: inputs.asOf,
    fieldworkEnd: inputs.fieldworkEnd,
  });
  return {
    target,
    ...counts,
    responseRate: responseRateOf(inputs.outcomes.filter(within)),
    share: target === null || target === 0 ? null : roundTo(counts.accepted / target, 4),
    pace,
    forecast,
    paceStatus: paceStatusOf(forecast),
  };
}

/** Each post office's summary, in province and code order; units and responses of no post office are left to their province. */
export function postOfficeSummaries(inputs: RollupInputs): Array<LevelSummary & { provinceCode: string; postOffice: string }> {
  const offices = new Map<string, string>();
  for (const g of [...inputs.responses, ...inputs.outcomes]) if (g.postOffice !== null) offices.set(g.postOffice, g.provinceCode);
  return [...offices]
    .sort(([a, pa], [b, pb]) => pa.localeCompare(pb) || a.localeCompare(b))
    .map(([postOffice, provinceCode]) => ({
      provinceCode,
      postOffice,
      ...summariseLevel(inputs, (g) => g.postOffice === postOffice, () => false),
    }));
}

/** Completed ÷ final outcomes of the units assigned to each enumerator. */
export function responseRatesByEnumerator(outcomes: RollupInputs['outcomes']): Map<string, number | null> {
  const byUser = new Map<string, Array<OutcomeGroup>>();
  for (const o of outcomes) if (o.assignedTo !== null) byUser.set(o.assignedTo, [...(byUser.get(o.assignedTo) ?? []), o]);
  return new Map([...byUser].map(([user, groups]) => [user, responseRateOf(groups)]));
}

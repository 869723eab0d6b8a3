/** Merging a province read again by the delta poll into the view it belongs to. Pure: unit tests load it. */
import type { QuotaProgressReply } from '../../shared/api-client';

type Totals = QuotaProgressReply['totals'];
const ADDITIVE = ['accepted', 'awaitingReview', 'flagged', 'rejected', 'returned', 'unchecked'] as const;

/**
 * The view's totals with one province's counts replaced: the counts that add up (accepted, awaiting
 * review, …, interviews of the last seven days) move by the province's change, and the progress
 * follows; the rates and the forecast stay as the last full read gave them.
 */
function shiftTotals(totals: Totals, before: Totals | undefined, after: Totals | undefined): Totals {
  if (!before || !after) return totals;
  const next = { ...totals, pace: { ...totals.pace, lastSevenDays: totals.pace.lastSevenDays - before.pace.lastSevenDays + after.pace.lastSevenDays } };
  for (const key of ADDITIVE) next[key] = totals[key] - before[key] + after[key];
  if (next.target) next.share = Math.round((next.accepted / next.target) * 10000) / 10000;
  return next;
}

/** Replaces one province's rows in a national reply with those of a fresh reply of that province alone. */
export function mergeProvince(whole: QuotaProgressReply, fresh: QuotaProgressReply, code: string): QuotaProgressReply {
  const row = fresh.provinces.find((p) => p.provinceCode === code);
  return {
    ...whole,
    totals: shiftTotals(whole.totals, whole.provinces.find((p) => p.provinceCode === code), row),
    provinces: row ? whole.provinces.map((p) => (p.provinceCode === code ? row : p)) : whole.provinces,
    postOffices: [...whole.postOffices.filter((o) => o.provinceCode !== code), ...fresh.postOffices].sort(
      (a, b) => a.provinceCode.localeCompare(b.provinceCode) || a.postOffice.localeCompare(b.postOffice),
    ),
    enumerators: [...whole.enumerators.filter((e) => e.provinceCode !== code), ...fresh.enumerators].sort((a, b) => a.username.localeCompare(b.username)),
  };
}


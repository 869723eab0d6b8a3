/**
 * Double entry of paper questionnaires: which forms are keyed twice, how two keyings compare, and
 * the keying error rate of a keyer. Pure and browser-safe (the keyer's app asks the same question).
 */

/**
 * Where a keyed form stands in double entry (the response's `verification`; null: not double-keyed).
 * - `awaiting-second-keying`: chosen for double entry, keyed once;
 * - `awaiting-verification`: keyed twice, the keyings differ, a supervisor has not decided yet;
 * - `agreed`: keyed twice, identically; `verified`: a supervisor decided every differing item.
 */
export const VERIFICATION_STATES = ['awaiting-second-keying', 'awaiting-verification', 'agreed', 'verified'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];
/** The states whose responses are left out of the figures until double entry is done. */
export const UNVERIFIED_STATES: ReadonlyArray<VerificationState> = ['awaiting-second-keying', 'awaiting-verification'];

/** Whether a response is left out of the figures whatever its review state, until double entry is done with it. */
export function awaitsDoubleEntry(state: VerificationState | null | undefined): boolean {
  return state !== null && state !== undefined && UNVERIFIED_STATES.includes(state);
}

/** FNV-1a, 32 bits: a fixed, well-spread hash that needs no crypto library in the browser. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Whether the paper form with this serial is keyed twice, for a round keying `share` percent of its
 * forms twice. Decided by the serial alone, so nobody picks which forms are checked, and the same
 * form gets the same answer on every device and every day. Steps of 0.01 %.
 */
export function isDoubleKeyed(serial: string, share: number): boolean {
  if (share <= 0) return false;
  if (share >= 100) return true;
  return fnv1a(serial) % 10_000 < Math.round(share * 100);
}

/** One item on which the two keyings differ (undefined: left blank in that keying). */
export interface KeyingDifference {
  itemId: string;
  first: unknown;
  second: unknown;
}

export interface KeyingComparison {
  /** Items answered in at least one of the two keyings. */
  itemsCompared: number;
  differences: KeyingDifference[];
}

/** An answer as compared: the options of a multiple choice in any order, text without outer or doubled spaces. */
function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return (value as unknown[]).map(normalised).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (typeof value === 'string') return value.trim().replace(/\s+/g, ' ');
  return value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalised(a)) === JSON.stringify(normalised(b));
}

/** Compares two keyings item by item, in questionnaire order (`itemIds`); answers to unknown items are compared last. */
export function compareKeyings(itemIds: ReadonlyArray<string>, first: Readonly<Record<string, unknown>>, second: Readonly<Record<string, unknown>>): KeyingComparison {
  const known = new Set(itemIds);
  const extra = [...new Set([...Object.keys(first), ...Object.keys(second)])].filter((id) => !known.has(id)).sort();
  let itemsCompared = 0;
  const differences: KeyingDifference[] = [];
  for (const itemId of [...itemIds, ...extra]) {
    const a = first[itemId];
    const b = second[itemId];
    if (a === undefined && b === undefined) continue;
    itemsCompared += 1;
    if (!same(a, b)) differences.push({ itemId, first: a, second: b });
  }
  return { itemsCompared, differences };
}

/** One double-keyed form as the error rate reads it. */
export interface KeyedPair {
  firstKeyer: string;
  secondKeyer: string;
  itemsCompared: number;
  differingItems: number;
}

export interface KeyerErrorRate {
  keyer: string;
  /** Double-keyed forms this keyer keyed (first or second). */
  forms: number;
  itemsKeyed: number;
  differingItems: number;
  /** differingItems ÷ itemsKeyed; null before any double-keyed form. */
  rate: number | null;
}

/**
 * Keying error rate per keyer: items on which the two keyings differ ÷ items keyed, over the
 * double-keyed forms the keyer keyed. A difference counts against both keyers: until the paper is
 * looked at, either may have slipped. Sorted by keyer.
 */
export function keyingErrorRates(pairs: ReadonlyArray<KeyedPair>): KeyerErrorRate[] {
  const by = new Map<string, KeyerErrorRate>();
  for (const pair of pairs) {
    for (const keyer of [pair.firstKeyer, pair.secondKeyer]) {
      const row = by.get(keyer) ?? { keyer, forms: 0, itemsKeyed: 0, differingItems: 0, rate: null };
      row.forms += 1;
      row.itemsKeyed += pair.itemsCompared;
      row.differingItems += pair.differingItems;
      by.set(keyer, row);
    }
  }
  return [...by.values()]
    .map((r) => ({ ...r, rate: r.itemsKeyed > 0 ? r.differingItems / r.itemsKeyed : null }))
    .sort((a, b) => a.keyer.localeCompare(b.keyer));
}

/** A keyer's counts over some double-keyed forms (one province's, say), as counters keep them. */
export type KeyerCounts = Omit<KeyerErrorRate, 'rate'>;

/** What one double-keyed form adds to each of its two keyers' counts. */
export function countsOfPair(pair: KeyedPair): KeyerCounts[] {
  return [pair.firstKeyer, pair.secondKeyer].map((keyer) => ({ keyer, forms: 1, itemsKeyed: pair.itemsCompared, differingItems: pair.differingItems }));
}

/** Keying error rates from counts kept per keyer (and province): the same as `keyingErrorRates` of the forms counted. */
export function errorRatesOfCounts(counts: ReadonlyArray<KeyerCounts>): KeyerErrorRate[] {
  const by = new Map<string, KeyerCounts>();
  for (const c of counts) {
    const row = by.get(c.keyer) ?? { keyer: c.keyer, forms: 0, itemsKeyed: 0, differingItems: 0 };
    row.forms += c.forms;
    row.itemsKeyed += c.itemsKeyed;
    row.differingItems += c.differingItems;
    by.set(c.keyer, row);
  }
  return [...by.values()]
    .map((r) => ({ ...r, rate: r.itemsKeyed > 0 ? r.differingItems / r.itemsKeyed : null }))
    .sort((a, b) => a.keyer.localeCompare(b.keyer));
}

/**
 * Dates and times as the API accepts them: RFC 3339 `date-time`, strictly. JavaScript's own parser
 * is too lenient and too strict at once — it rolls `2024-02-30` over into March, refuses the leap
 * second `23:59:60` (an Invalid Date that MongoDB stores as 1970) and refuses offsets without minutes
 * such as `+01` — so a value is accepted only when it is well formed here *and* JavaScript reads it as
 * the same instant. Pure and browser-safe.
 */

/** `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`; `T` and `Z` may be lower case, as RFC 3339 allows. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** What the API's schemas say about a date-time, for their descriptions. */
export const DATE_TIME_RULE = 'RFC 3339 date-time with seconds 00–59 and an offset Z or ±hh:mm, e.g. 2024-08-01T09:30:00+07:00 or 2024-08-01T02:30:00.000Z';

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The instant a date-time names, in milliseconds since 1970 (fractions below a millisecond dropped),
 * or undefined when it is not a strict RFC 3339 date-time JavaScript reads as that same instant.
 */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  const expected = utc.getTime() - offsetMinutes * 60_000;
  // What every later `new Date(text)` will give: it must be the same instant.
  const parsed = Date.parse(text);
  return parsed === expected ? expected : undefined;
}

/** Whether a text is a date-time the API accepts (see {@link parseDateTime}). */
export function isDateTime(text: string): boolean {
  return parseDateTime(text) !== undefined;
}

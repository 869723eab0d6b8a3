/**
 * Serial numbers of printed questionnaires: `<roundId>/<unitId>/<check>`, e.g. `sipas-2024/HN-0001/37`.
 *
 * The serial names the round and the sample unit in the words the rest of the system uses (no
 * look-up table to keep), and ends in two check digits so a keyer's slip is refused at once.
 *
 * The check is a weighted sum modulo the prime 67 over every character before it (the separators
 * included), each character valued by its place in {@link ALPHABET} (66 characters, all below 67):
 * `check = -(Σ vᵢ·2^(n-i)) mod 67`, written as two digits. Because 67 is prime and 2 is not 1 mod 67:
 * - one character typed wrong changes the sum by `2^k·(v' - v)`, never 0 mod 67;
 * - two neighbours swapped change it by `2^k·(2 - 1)·(vᵢ - vᵢ₊₁)`, never 0 mod 67 unless equal;
 * - a slip in the check digits changes the number they write; a swap across a `/` breaks the shape.
 * Pure and browser-safe: the enumerator app checks a typed serial before asking the server.
 */

/** The characters a serial's round and unit ids are made of, `/` included; a character's value is its index. */
export const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-/';
const MODULUS = 67;
const RADIX = 2;

/** The JSON Schema pattern of a serial (shape only; the check digits are checked by {@link parseSerial}). */
export const SERIAL_PATTERN = '^[a-z0-9][a-z0-9-]{2,40}/[A-Za-z0-9][A-Za-z0-9._-]{0,63}/[0-9]{2}$';
const SHAPE = new RegExp(SERIAL_PATTERN);

function weightedSum(payload: string): number | undefined {
  let sum = 0;
  for (const char of payload) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) return undefined;
    sum = (sum * RADIX + value) % MODULUS;
  }
  return sum;
}

/** The two check digits of `<roundId>/<unitId>`. */
export function checkDigitsOf(payload: string): string {
  const sum = weightedSum(payload);
  if (sum === undefined) throw new Error(`${payload} has a character a serial cannot hold`);
  return String((MODULUS - sum) % MODULUS).padStart(2, '0');
}

/** The serial of a round's sample unit. */
export function serialFor(roundId: string, unitId: string): string {
  const payload = `${roundId}/${unitId}`;
  return `${payload}/${checkDigitsOf(payload)}`;
}

export type SerialReading = { ok: true; roundId: string; unitId: string } | { ok: false; code: 'wrong_format' | 'wrong_check_digit' };

/** Reads a typed or scanned serial: its round and unit, or why it is refused (surrounding spaces are ignored). */
export function parseSerial(text: string): SerialReading {
  const serial = text.trim();
  if (!SHAPE.test(serial)) return { ok: false, code: 'wrong_format' };
  const cut = serial.lastIndexOf('/');
  const payload = serial.slice(0, cut);
  if (checkDigitsOf(payload) !== serial.slice(cut + 1)) return { ok: false, code: 'wrong_check_digit' };
  const slash = payload.indexOf('/');
  return { ok: true, roundId: payload.slice(0, slash), unitId: payload.slice(slash + 1) };
}

import { randomInt } from 'node:crypto';

// No 0/O, 1/l/I: a password read off a screen or a printed list is typed without guessing.
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const ALL = LOWER + UPPER + DIGITS;

/**
 * A strong random password for an account an administrator creates or resets: four groups of four
 * from 56 characters (about 93 bits), with at least one lower-case letter, one capital and one digit
 * and dashes between the groups, so any reasonable password policy accepts it.
 */
export function generatePassword(): string {
  for (;;) {
    const chars = Array.from({ length: 16 }, () => ALL[randomInt(ALL.length)] as string);
    const has = (set: string) => chars.some((c) => set.includes(c));
    if (has(LOWER) && has(UPPER) && has(DIGITS)) return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
  }
}

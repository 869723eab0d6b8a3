import { createHash, createHmac, hkdfSync } from 'node:crypto';

/**
 * Respondent tokens. A token is the HMAC of (round, unit, generation) under a key derived from
 * PERSONAL_DATA_KEY: 256 bits nobody can guess without the key, and the server can print a unit's
 * link again at any time without keeping the token. The database keeps only the token's SHA-256, so
 * a copy of the database opens no questionnaire.
 */

/** A token as it appears in a link: 32 bytes in base64url. */
export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';
const TOKEN_RE = new RegExp(TOKEN_PATTERN);

/** The key respondent tokens are made with, derived from the personal-data key (never the same bytes). */
export function respondentLinkKey(personalDataKeyBase64: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(personalDataKeyBase64, 'base64'), Buffer.alloc(0), 'sipas respondent links v1', 32));
}

/** The token of a unit's link; a new generation (a link withdrawn and issued anew) gives a new token. */
export function respondentToken(key: Buffer, roundId: string, unitId: string, generation: number): string {
  // JSON keeps the parts apart whatever they hold.
  return createHmac('sha256', key).update(JSON.stringify([roundId, unitId, generation])).digest('base64url');
}

/** What the database keeps of a token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether a string has the shape of a token (anything else is not looked up). */
export function isTokenShaped(value: string): boolean {
  return TOKEN_RE.test(value);
}

/** The page a respondent opens. */
export function respondentPath(token: string): string {
  return `/r/${token}`;
}

/** A token as logs may name it: the first characters of its hash, enough to tell requests apart, useless to open a page. */
export function tokenForLogs(token: string): string {
  return `sha256:${tokenHash(token).slice(0, 12)}`;
}

/** A URL with any respondent token in it masked, for access logs. */
export function maskRespondentTokens(url: string): string {
  return url.replace(/^(\/r\/|\/api\/v1\/respond\/)([^/?#]+)/, (_m, prefix: string, token: string) => `${prefix}${tokenForLogs(token)}`);
}

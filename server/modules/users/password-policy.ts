import { dictionary } from '@zxcvbn-ts/language-common';
import type { CataloguedProblem } from '../../../survey-forms/ajv';

/** Fewest characters of a new password (NIST SP 800-63B asks at least 8; a passphrase is welcome). */
export const PASSWORD_MIN_LENGTH = 10;

let common: ReadonlySet<string> | undefined;

/** The ~49,000 most common passwords of zxcvbn-ts's list, read once, in lower case. */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/**
 * What is wrong with a new password for `username`, as catalogued problems at `path` (none: it may
 * be set). Refused: only spaces, shorter than PASSWORD_MIN_LENGTH characters, on the list of common
 * passwords (whatever the case), or containing the username (whatever the case). Pure: every place
 * that sets a password (creating a user, changing or resetting one) calls it.
 */
export function passwordProblems(password: string, username: string, path = '/body/password'): CataloguedProblem[] {
  const problems: CataloguedProblem[] = [];
  const length = [...password].length;
  if (password.trim() === '') {
    problems.push({ path, code: 'password_blank', message: 'must not be only spaces' });
    return problems;
  }
  if (length < PASSWORD_MIN_LENGTH) problems.push({ path, code: 'password_too_short', message: `must have at least ${PASSWORD_MIN_LENGTH} characters (it has ${length})` });
  if (commonPasswords().has(password.trim().toLowerCase())) problems.push({ path, code: 'password_common', message: 'is one of the most common passwords: choose another' });
  const name = username.trim().toLowerCase();
  if (name.length > 0 && password.toLowerCase().includes(name)) problems.push({ path, code: 'password_contains_username', message: 'must not contain the username' });
  return problems;
}

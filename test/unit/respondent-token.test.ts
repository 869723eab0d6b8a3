import { randomBytes } from 'node:crypto';
import { isTokenShaped, maskRespondentTokens, respondentLinkKey, respondentToken, tokenHash } from '../../server/modules/respondent-links/respondent-token';

const key = respondentLinkKey(randomBytes(32).toString('base64'));

describe('respondent tokens', () => {
  test('when a unit’s link is made again, then it is the same token; another unit, round, generation or key gives another', () => {
    const token = respondentToken(key, 'sipas-2026', 'HN-1', 1);
    expect(isTokenShaped(token)).toBe(true);
    expect(respondentToken(key, 'sipas-2026', 'HN-1', 1)).toBe(token);
    const others = [
      respondentToken(key, 'sipas-2026', 'HN-2', 1),
      respondentToken(key, 'sipas-2025', 'HN-1', 1),
      respondentToken(key, 'sipas-2026', 'HN-1', 2),
      respondentToken(respondentLinkKey(randomBytes(32).toString('base64')), 'sipas-2026', 'HN-1', 1),
    ];
    expect(new Set([token, ...others]).size).toBe(5);
    // The round and unit cannot be glued differently into the same token.
    expect(respondentToken(key, 'a', 'b\nc', 1)).not.toBe(respondentToken(key, 'a\nb', 'c', 1));
  });

  test('when a token is stored or logged, then only its hash (or a prefix of it) appears', () => {
    const token = respondentToken(key, 'sipas-2026', 'HN-1', 1);
    expect(tokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
    const masked = maskRespondentTokens(`/api/v1/respond/${token}/submit?x=1`);
    expect(masked).toBe(`/api/v1/respond/sha256:${tokenHash(token).slice(0, 12)}/submit?x=1`);
    expect(maskRespondentTokens(`/r/${token}`)).not.toContain(token);
    expect(maskRespondentTokens('/api/v1/rounds')).toBe('/api/v1/rounds');
  });

  test('when a string is not shaped like a token, then it is not one', () => {
    for (const value of ['', 'abc', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, `${'A'.repeat(42)}/`]) expect(isTokenShaped(value)).toBe(false);
  });
});

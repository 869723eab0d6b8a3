import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { retryLater } from '../../http/problem';

export interface LoginThrottleLimits {
  maxAttemptsPerAccount: number;
  maxAttemptsPerAddress: number;
  windowSeconds: number;
  lockSeconds: number;
}

/**
 * Counts login attempts per username and per client address. An attempt is counted before its
 * password is checked (so a burst of concurrent guesses gets exactly the allowed number through) and
 * given back when it succeeds; past the limit the username or address is locked for a while.
 */
export interface LoginThrottle {
  /** Counts an attempt, or throws 429 `login_throttled` with `Retry-After` when either is locked. */
  attempt(username: string, address: string): Promise<void>;
  /** The attempt was right: the account's count starts again and the address gets its attempt back. */
  succeeded(username: string, address: string): Promise<void>;
}

/**
 * Counts in Redis (`<prefix>:login-account:` and `:login-address:` keys), so every API process
 * shares the counts; while Redis is away each process counts in memory instead.
 */
export function createLoginThrottle(redis: Redis, prefix: string, limits: LoginThrottleLimits, logger: Logger): LoginThrottle {
  const limiter = (scope: string, points: number): RateLimiterAbstract =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:login-${scope}`,
      points,
      duration: limits.windowSeconds,
      blockDuration: limits.lockSeconds,
      insuranceLimiter: new RateLimiterMemory({ points, duration: limits.windowSeconds, blockDuration: limits.lockSeconds }),
    });
  const account = limiter('account', limits.maxAttemptsPerAccount);
  const address = limiter('address', limits.maxAttemptsPerAddress);
  // Usernames are lower case; any other spelling is the same account for counting.
  const accountKey = (username: string): string => username.trim().toLowerCase();

  const consume = async (scope: 'account' | 'address', rateLimiter: RateLimiterAbstract, key: string, logged: Record<string, string>): Promise<void> => {
    try {
      await rateLimiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // The first refused attempt starts the lock: log the storm once, not every refused attempt.
      if (rejection.consumedPoints === rateLimiter.points + 1) {
        logger.warn({ ...logged, scope, lockSeconds: limits.lockSeconds }, 'login storm: too many failed logins, locked');
      }
      throw retryLater('login_throttled', rejection.msBeforeNext / 1000);
    }
  };

  return {
    async attempt(username, clientAddress) {
      const logged = { username: username.slice(0, 60), address: clientAddress };
      await consume('address', address, clientAddress, logged);
      await consume('account', account, accountKey(username), logged);
    },
    async succeeded(username, clientAddress) {
      await Promise.all([account.delete(accountKey(username)), address.reward(clientAddress, 1)]);
    },
  };
}

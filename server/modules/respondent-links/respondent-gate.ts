import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Rate limits of requests carrying a respondent token (the page /r/:token and the API under
 * /api/v1/respond/:token), counted in Redis so that every API process shares them: per token, per
 * address, and — slower and stricter — unknown tokens per address, which is what guessing looks like.
 * When Redis is away, each process counts in memory instead (rate-limiter-flexible's insurance).
 */
export interface RespondentGate {
  /** Undefined when the request may go on; else the seconds to wait. */
  admit(address: string, tokenKey: string): Promise<number | undefined>;
  /** Counts an unknown token sent from an address; answers how long to hold the reply, in ms (guessing is slowed). */
  recordGuess(address: string): Promise<number>;
}

export interface RespondentGateLimits {
  /** Requests per token in 10 minutes. */
  perToken: number;
  /** Requests per address in 10 minutes. */
  perAddress: number;
  /** Unknown tokens per address in 15 minutes; once they are used up the address is refused until the window has passed. */
  guessesPerAddress: number;
}

const WINDOW_SECONDS = 600;
const GUESS_WINDOW_SECONDS = 900;
/** Each unknown token holds its reply 100 ms longer than the one before, up to this. */
const MAX_GUESS_DELAY_MS = 1500;

export function createRespondentGate(redis: Redis, keyPrefix: string, limits: RespondentGateLimits): RespondentGate {
  const limiter = (name: string, points: number, duration: number, blockDuration = 0) =>
    new RateLimiterRedis({
      storeClient: redis,
      useRedisPackage: false,
      keyPrefix: `${keyPrefix}:respond:${name}`,
      points,
      duration,
      blockDuration,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `respond-${name}`, points, duration, blockDuration }),
    });
  const perToken = limiter('token', limits.perToken, WINDOW_SECONDS);
  const perAddress = limiter('address', limits.perAddress, WINDOW_SECONDS);
  const guesses = limiter('guess', limits.guessesPerAddress, GUESS_WINDOW_SECONDS, GUESS_WINDOW_SECONDS);
  const secondsOf = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return {
    async admit(address, tokenKey) {
      const guessed = await guesses.get(address);
      if (guessed && guessed.consumedPoints >= limits.guessesPerAddress) return secondsOf(guessed);
      try {
        await perAddress.consume(address);
        await perToken.consume(tokenKey);
        return undefined;
      } catch (error) {
        if (error instanceof RateLimiterRes) return secondsOf(error);
        throw error;
      }
    },
    async recordGuess(address) {
      try {
        const res = await guesses.consume(address);
        return Math.min(MAX_GUESS_DELAY_MS, 100 * res.consumedPoints);
      } catch (error) {
        if (error instanceof RateLimiterRes) return MAX_GUESS_DELAY_MS;
        throw error;
      }
    },
  };
}

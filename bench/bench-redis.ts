import { startRedisServer, type RunningService } from '../scripts/local-services';

/**
 * Redis for a bench section: REDIS_URL when set, else a redis-server of its own. Undefined (and one
 * loud line) when neither is there, so the section is skipped rather than failing the whole bench.
 */
export async function redisForBench(section: string): Promise<{ url: string; started: RunningService | undefined } | undefined> {
  const url = process.env.REDIS_URL;
  if (url) return { url, started: undefined };
  try {
    const started = await startRedisServer();
    return { url: started.url, started };
  } catch (error) {
    console.log(`*** ${section} SKIPPED: no Redis (set REDIS_URL or install redis-server): ${(error as Error).message} ***`);
    return undefined;
  }
}

import type { Logger } from 'pino';
import type { JobProducer } from '../server/jobs/job-contract';
import { catchUpTalliesAndFigures } from '../server/modules/aggregates/aggregation-catch-up.service';
import { removeExpiredExports } from '../server/modules/exports/export.service';
import { requestChecksOfUnchecked } from '../server/modules/quality/quality.service';
import type { Repositories } from '../server/deps';

/** Each sweep looks this far behind the previous one's start: API hosts' clocks may differ from ours. */
const SWEEP_OVERLAP_MS = 60_000;

/** The periodic sweep of a worker process. */
export interface Sweep {
  /** Runs one sweep now (also runs on the timer); resolves to the responses, provinces and rounds' figures found behind. */
  run(): Promise<number>;
  /** Stops the timer and waits for a running sweep. */
  stop(): Promise<void>;
}

/**
 * Schedules the modules' catch-up use cases, every `intervalSeconds` and once at start. Each runs
 * where its queue's work is done: responses that missed their checks or figures (quality,
 * aggregates) and files of expired exports (exports). MongoDB and Redis share no transaction, so
 * this is what makes "stored" eventually mean "checked and counted".
 */
export function startSweep(
  deps: { repos: Repositories; jobs: JobProducer; logger: Logger },
  options: { intervalSeconds: number; responses: boolean; exports: boolean; confirmAfterMs?: number },
): Sweep {
  const { repos, jobs, logger } = deps;
  let lastStart = new Date(0);
  let sweeping: Promise<number> | undefined;
  const run = (): Promise<number> => {
    sweeping ??= (async () => {
      const start = new Date();
      try {
        let found = 0;
        if (options.responses) {
          const unchecked = await requestChecksOfUnchecked({ qualityChecks: repos.qualityChecks, jobs });
          if (unchecked > 0) logger.info({ responses: unchecked }, 'sweep found responses not yet checked');
          const since = new Date(lastStart.getTime() - SWEEP_OVERLAP_MS);
          const behind = await catchUpTalliesAndFigures(
            { rounds: repos.rounds, tallyFeed: repos.tallyFeed, tallies: repos.tallies, aggregates: repos.aggregates, jobs, ...(options.confirmAfterMs !== undefined ? { confirmAfterMs: options.confirmAfterMs } : {}) },
            since,
          );
          if (behind.provinces > 0) logger.info({ provinces: behind.provinces }, 'sweep found tallies that missed responses');
          if (behind.rounds > 0) logger.info({ rounds: behind.rounds }, 'sweep found figures older than their tallies');
          found = unchecked + behind.provinces + behind.rounds;
          lastStart = start;
        }
        if (options.exports) {
          const expired = await removeExpiredExports({ exports: repos.exports });
          if (expired > 0) logger.info({ expired }, 'deleted the files of expired exports');
        }
        return found;
      } finally {
        sweeping = undefined;
      }
    })();
    return sweeping;
  };
  const timer = setInterval(() => {
    run().catch((error: unknown) => logger.warn({ err: error }, 'sweep failed; will try again'));
  }, options.intervalSeconds * 1000);
  timer.unref();
  run().catch((error: unknown) => logger.warn({ err: error }, 'first sweep failed; will try again'));
  return {
    run,
    async stop() {
      clearInterval(timer);
      await sweeping?.catch(() => undefined);
    },
  };
}

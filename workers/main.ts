import type { Logger } from 'pino';
import { qualityThresholdsOf, type Config } from '../server/config';
import { DEFAULT_QUALITY_THRESHOLDS, type QualityThresholds } from '../server/modules/quality/quality-rules';
import { checkQuality } from './processors/check-quality';
import { createLogger } from '../server/logger';
import { configOrExit, stopOnSignals } from '../server/process';
import { openFoundation, type Foundation } from '../server/system';
import { removeExpiredExports } from '../server/modules/exports/export.service';
import { exportMicrodata } from './processors/export-microdata';
import { recomputeProvinces } from './processors/recompute-provinces';
import { recomputeRound } from './processors/recompute-round';
import { createJobProducer, startJobConsumers, type QueueConsumption } from '../server/jobs/bullmq';
import { QUEUE, type JobHandlers, type JobProducer, type QueueName } from '../server/jobs/job-contract';
import { sweepUnaggregated, sweepUnchecked } from './sweep';

/** Each sweep looks this far behind the previous one's start: API hosts' clocks may differ from ours. */
const SWEEP_OVERLAP_MS = 60_000;

/** Settings of the jobs that come from configuration. */
export interface JobSettings {
  thresholds: QualityThresholds;
  exportTtlHours: number;
}

/** Job name → handler. Every job is a plain function of its dependencies and payload. */
export function jobHandlers(
  foundation: Foundation,
  logger: Logger,
  jobs?: JobProducer,
  { thresholds, exportTtlHours }: JobSettings = { thresholds: DEFAULT_QUALITY_THRESHOLDS, exportTtlHours: 24 },
): JobHandlers {
  const { repos, forms, definitions, provinces } = foundation;
  const deps = {
    rounds: repos.rounds,
    responses: repos.responses,
    aggregates: repos.aggregates,
    forms,
    definitions,
    provinces,
    logger,
    ...(jobs ? { hasWaitingWork: (roundId: string) => jobs.hasWaiting(roundId) } : {}),
  };
  const qualityDeps = {
    rounds: repos.rounds,
    responses: repos.responses,
    samples: repos.samples,
    provinceAreas: repos.provinceAreas,
    forms,
    thresholds,
    logger,
  };
  return {
    'check-quality': (payload) => {
      if (!jobs) throw new Error('quality checks need a job producer to ask for the recompute');
      return checkQuality({ ...qualityDeps, jobs }, payload);
    },
    'recompute-provinces': (payload) => recomputeProvinces(deps, payload),
    'recompute-round': (payload, { reportProgress }) => recomputeRound(deps, payload, reportProgress),
    'export-microdata': (payload, { reportProgress }) => exportMicrodata({ ...deps, exports: repos.exports, ttlHours: exportTtlHours }, payload, reportProgress),
  };
}

export interface RunningWorker {
  foundation: Foundation;
  jobs: JobProducer;
  /** Runs one sweep now (also runs on a timer). */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the BullMQ workers and the periodic sweep. */
export async function startWorker(config: Config, logger: Logger = createLogger(config.LOG_LEVEL, 'sipas-worker')): Promise<RunningWorker> {
  const foundation = await openFoundation(config, logger);
  const jobs = createJobProducer(config.REDIS_URL, config.QUEUE_PREFIX);
  const handlers = jobHandlers(foundation, logger, jobs, { thresholds: qualityThresholdsOf(config), exportTtlHours: config.EXPORT_TTL_HOURS });
  // One consumer per queue this process takes. Exports run one at a time on their own connection: a
  // large file never delays quality checks or aggregation.
  const queues = new Set(config.WORKER_QUEUES.split(',') as QueueName[]);
  const consumption: Record<QueueName, QueueConsumption> = {
    [QUEUE.aggregation]: { name: QUEUE.aggregation, concurrency: 2 },
    [QUEUE.quality]: { name: QUEUE.quality, concurrency: 2 },
    [QUEUE.exports]: { name: QUEUE.exports, concurrency: 1, ownConnection: true },
  };
  const consumers = startJobConsumers({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    queues: [...queues].map((name) => consumption[name]),
    handlers,
    logger,
  });
  // Each sweep runs where its queue's work is done: responses that missed their checks or figures,
  // and files of expired exports.
  const sweepsResponses = queues.has(QUEUE.aggregation) || queues.has(QUEUE.quality);
  const sweepsExports = queues.has(QUEUE.exports);

  let lastSweepStart = new Date(0);
  let sweeping: Promise<number> | undefined;
  const sweep = (): Promise<number> => {
    sweeping ??= (async () => {
      const start = new Date();
      try {
        const deps = { responses: foundation.repos.responses, aggregates: foundation.repos.aggregates, jobs, logger };
        let found = 0;
        if (sweepsResponses) {
          found = (await sweepUnchecked(deps)) + (await sweepUnaggregated(deps, new Date(lastSweepStart.getTime() - SWEEP_OVERLAP_MS)));
          lastSweepStart = start;
        }
        if (sweepsExports) {
          const expired = await removeExpiredExports({ exports: foundation.repos.exports });
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
    sweep().catch((error: unknown) => logger.warn({ err: error }, 'sweep failed; will try again'));
  }, config.SWEEP_INTERVAL_SECONDS * 1000);
  timer.unref();
  sweep().catch((error: unknown) => logger.warn({ err: error }, 'first sweep failed; will try again'));
  logger.info({ queues: [...queues] }, 'worker started');

  return {
    foundation,
    jobs,
    sweep,
    async stop() {
      clearInterval(timer);
      await sweeping?.catch(() => undefined);
      // close() waits for running jobs to finish.
      await consumers.close();
      await jobs.close();
      await foundation.connection.close();
      logger.info('worker stopped');
    },
  };
}

if (require.main === module) {
  const config = configOrExit();
  const logger = createLogger(config.LOG_LEVEL, 'sipas-worker');
  startWorker(config, logger).then(
    (running) => stopOnSignals(logger, () => running.stop()),
    (error: unknown) => {
      logger.fatal({ err: error }, 'worker failed to start');
      process.exit(1);
    },
  );
}

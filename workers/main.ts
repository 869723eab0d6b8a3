import type { Logger } from 'pino';
import { DEFAULT_QUALITY_THRESHOLDS, type QualityThresholds } from '../survey-forms/quality-rules';
import { qualityThresholdsOf, type Config } from '../server/config';
import { createJobProducer, startJobConsumers, type QueueConsumption } from '../server/jobs/bullmq';
import { QUEUE, type JobHandlers, type JobProducer, type QueueName } from '../server/jobs/job-contract';
import { createLogger } from '../server/logger';
import { configOrExit, stopOnSignals } from '../server/process';
import { openFoundation, type Foundation } from '../server/system';
import { countCheckedBatch } from '../server/modules/aggregates/tally-changes.service';
import { checkQualityJob } from './processors/check-quality';
import { computeFiguresJob } from './processors/compute-figures';
import { exportMicrodataJob } from './processors/export-microdata';
import { recomputeProvincesJob } from './processors/recompute-provinces';
import { recomputeRoundJob } from './processors/recompute-round';
import { startSweep } from './sweep';

/** Settings of the jobs that come from configuration. */
export interface JobSettings {
  thresholds: QualityThresholds;
  exportTtlHours: number;
}

/** Job name → handler. Every job is a plain function of its dependencies and payload. */
export function jobHandlers(
  foundation: Foundation,
  logger: Logger,
  jobs: JobProducer,
  { thresholds, exportTtlHours }: JobSettings = { thresholds: DEFAULT_QUALITY_THRESHOLDS, exportTtlHours: 24 },
): JobHandlers {
  const { repos, forms, definitions, provinces } = foundation;
  const aggregation = {
    rounds: repos.rounds,
    tallyFeed: repos.tallyFeed,
    tallies: repos.tallies,
    aggregates: repos.aggregates,
    reviewCounts: repos.reviewCounts,
    forms,
    definitions,
    provinces,
    jobs,
    logger,
  };
  const quality = {
    rounds: repos.rounds,
    responses: repos.responses,
    qualityChecks: repos.qualityChecks,
    sampleContacts: repos.sampleContacts,
    provinceAreas: repos.provinceAreas,
    forms,
    thresholds,
    jobs,
    countChecked: (batch: { roundId: string; checkKey: string; responseIds: ReadonlyArray<string> }) => countCheckedBatch(aggregation, batch),
    logger,
  };
  const exporting = { rounds: repos.rounds, microdata: repos.microdata, review: repos.review, exports: repos.exports, forms, provinces, ttlHours: exportTtlHours, logger };
  return {
    'check-quality': (payload) => checkQualityJob(quality, payload),
    'recompute-provinces': (payload) => recomputeProvincesJob(aggregation, payload),
    'compute-figures': (payload) => computeFiguresJob(aggregation, payload),
    'recompute-round': (payload, context) => recomputeRoundJob(aggregation, payload, context),
    'export-microdata': (payload, context) => exportMicrodataJob(exporting, payload, context),
  };
}

export interface RunningWorker {
  foundation: Foundation;
  jobs: JobProducer;
  /** Runs one sweep now (also runs on a timer). */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the job consumers of the queues this process takes, and the periodic sweep. */
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
  const sweep = startSweep(
    { repos: foundation.repos, jobs, logger },
    {
      intervalSeconds: config.SWEEP_INTERVAL_SECONDS,
      responses: queues.has(QUEUE.aggregation) || queues.has(QUEUE.quality),
      exports: queues.has(QUEUE.exports),
    },
  );
  logger.info({ queues: [...queues] }, 'worker started');

  return {
    foundation,
    jobs,
    sweep: () => sweep.run(),
    async stop() {
      await sweep.stop();
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

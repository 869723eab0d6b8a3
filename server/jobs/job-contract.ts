/**
 * The job contract: what the API asks of the workers and what the workers report back. Both import
 * it; neither imports the other. The queue library stays behind `bullmq.ts`.
 */
import { createHash } from 'node:crypto';

/** Queue names. One queue per kind of work, so a slow export never delays aggregation. */
export const QUEUE = {
  aggregation: 'aggregation',
  quality: 'quality',
  exports: 'exports',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/** Every job name and the payload it carries: an enqueue with the wrong payload does not compile. */
export interface JobPayloads {
  /**
   * Run the quality checks on these responses (those still unchecked), then add those found clear to
   * their provinces' tallies and ask for the figures: figures only ever include checked responses.
   */
  'check-quality': {
    roundId: string;
    responseIds: string[];
    reason: 'responses-stored' | 'sweep';
  };
  /** Re-tally the named provinces of a round from stored responses (the repair path), then ask for the round's figures. */
  'recompute-provinces': {
    roundId: string;
    provinceCodes: string[];
    /** Why the job exists, for logs. */
    reason: 'responses-stored' | 'quality-checked' | 'review' | 'sweep' | 'manual';
  };
  /**
   * Compute a round's figures from its tallies. `generation` is the round's figure generation when
   * asked: one job per generation, so at most one waits while another runs.
   */
  'compute-figures': {
    roundId: string;
    generation: number;
  };
  /**
   * Re-tally every province of a round from its stored responses, then recompute its figures. Reports
   * progress (cells done of total) as it goes.
   */
  'recompute-round': {
    roundId: string;
    /** Who asked, for logs. */
    requestedBy: string;
  };
  /** Writes a round's anonymised microdata (counted responses) to a file in GridFS; the export record says where. */
  'export-microdata': {
    exportId: string;
    roundId: string;
    format: 'csv' | 'xlsx';
    requestedBy: string;
  };
}
export type JobName = keyof JobPayloads;

/** Where a full recompute stands; what `job.updateProgress` reports and the API shows. */
export interface RecomputeProgress {
  phase: 'counting' | 'tallying' | 'computing' | 'done';
  /** Cells (province × respondent type × serving level × service field) tallied so far. */
  cellsDone: number;
  cellsTotal: number;
  provincesDone: number;
  provincesTotal: number;
}

/** Where an export stands; what the export job reports and the API shows. */
export interface ExportProgress {
  phase: 'counting' | 'writing' | 'done';
  /** Whole percent of rows written. */
  percent: number;
  rows: number;
  rowsTotal: number;
}

/** A job as the API shows it. */
export interface JobView {
  id: string;
  name: string;
  state: string;
  /** What the job last reported; for a full recompute a RecomputeProgress. */
  progress: unknown;
  /** What the job returned, once completed. */
  result: unknown;
  /** Why it failed, once failed. */
  failedReason: string | null;
  attempts: number;
  createdAt: string | null;
  finishedAt: string | null;
}

/** Which queue carries each job. */
export const QUEUE_OF: Record<JobName, QueueName> = {
  'check-quality': QUEUE.quality,
  'recompute-provinces': QUEUE.aggregation,
  'compute-figures': QUEUE.aggregation,
  'recompute-round': QUEUE.aggregation,
  'export-microdata': QUEUE.exports,
};

/** The job name a job id starts with (ids are `<name>.<roundId>.<digest>`). */
export function jobNameOf(jobId: string): JobName | undefined {
  const name = jobId.split('.')[0];
  return name !== undefined && Object.hasOwn(QUEUE_OF, name) ? (name as JobName) : undefined;
}

/** Retries and retention of every job. */
export interface JobOptions {
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delay: number };
  removeOnComplete: { age: number; count: number };
  removeOnFail: { age: number };
}

/** Kept small: completed jobs matter only for deduplication and for a look in the logs. */
export const DEFAULT_JOB_OPTIONS: JobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * A deterministic job id: the same work asked twice is one job. BullMQ forbids ':' in custom ids,
 * and ids must stay short, so the variable part is hashed.
 */
export function jobIdFor(name: JobName, roundId: string, parts: ReadonlyArray<string>): string {
  const digest = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 24);
  return `${name}.${roundId}.${digest}`;
}

/** The producer side, as the API uses it: typed, and failing fast when Redis is down. */
export interface JobProducer {
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string): Promise<void>;
  /** The job with this id, or undefined when there is none (never created, or removed after its retention). */
  inspect(jobId: string): Promise<JobView | undefined>;
  /** Runs a failed job again; false when it is not failed. */
  retry(jobId: string): Promise<boolean>;
  /** Payloads of the jobs of this name that wait or run: what the sweep must not queue again. */
  queuedPayloads<N extends JobName>(name: N): Promise<Array<JobPayloads[N]>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What a running job may do besides returning its result. */
export interface JobContext {
  /** Records where the job stands; the API shows it (`JobView.progress`). */
  reportProgress: (progress: RecomputeProgress | ExportProgress) => Promise<void>;
}

/** Job name → handler: every job is a plain function of its payload, typed by the contract. */
export type JobHandlers = { [N in JobName]: (payload: JobPayloads[N], context: JobContext) => Promise<unknown> };

/**
 * Thrown by a use case for work that can never succeed, whatever the retries: the round or the
 * questionnaire version it names is gone. The queue adapter fails such a job at once.
 */
export class JobCannotSucceed extends Error {
  override readonly name = 'JobCannotSucceed';
}

import type { Logger } from 'pino';
import type { AggregateRepository } from '../server/modules/aggregates/aggregate.repository';
import type { ResponseRepository } from '../server/modules/responses/response.repository';
import { jobIdFor, type JobProducer } from '../server/jobs/job-contract';

export interface SweepDeps {
  responses: ResponseRepository;
  aggregates: AggregateRepository;
  jobs: JobProducer;
  logger: Logger;
}

/**
 * Finds provinces whose tally has read fewer responses than are stored — the API stored them but
 * could not enqueue their aggregation (Redis was down) — and enqueues their recompute. Only
 * provinces with responses stored since `since` are counted, so a sweep stays cheap. Job ids are
 * deterministic, so sweeping twice enqueues nothing new. Returns the number of provinces found.
 */
export async function sweepUnaggregated(deps: SweepDeps, since: Date): Promise<number> {
  const recent = await deps.responses.latestStoredSince(since);
  const stale = new Map<string, Array<{ provinceCode: string; stored: number }>>();
  for (const { roundId, provinceCode } of recent) {
    const stored = await deps.responses.countForTally(roundId, provinceCode);
    if ((await deps.aggregates.tallyResponseCount(roundId, provinceCode)) === stored) continue;
    const list = stale.get(roundId) ?? [];
    list.push({ provinceCode, stored });
    stale.set(roundId, list);
  }
  let found = 0;
  for (const [roundId, provinces] of stale) {
    provinces.sort((a, b) => a.provinceCode.localeCompare(b.provinceCode));
    found += provinces.length;
    await deps.jobs.enqueue(
      'recompute-provinces',
      { roundId, provinceCodes: provinces.map((p) => p.provinceCode), reason: 'sweep' },
      jobIdFor('recompute-provinces', roundId, ['sweep', ...provinces.map((p) => `${p.provinceCode}=${p.stored}`)]),
    );
  }
  if (found > 0) deps.logger.info({ provinces: found }, 'sweep found responses not yet aggregated');
  return found;
}

/** Most unchecked responses one sweep hands over; the next sweep takes the rest. */
const SWEEP_CHECK_LIMIT = 5000;
/** Responses per quality-check job, as a batch would send them. */
const CHECK_BATCH = 500;

/**
 * Finds responses stored but never checked (the API could not enqueue their check, or the job failed
 * for good) and enqueues their quality checks, which then recompute their provinces. Checking is
 * idempotent, so a job that also waits elsewhere for the same responses costs a look, nothing more.
 * Returns the number of responses found.
 */
export async function sweepUnchecked(deps: SweepDeps): Promise<number> {
  const unchecked = await deps.responses.uncheckedIds(SWEEP_CHECK_LIMIT);
  const byRound = new Map<string, string[]>();
  for (const { roundId, id } of unchecked) byRound.set(roundId, [...(byRound.get(roundId) ?? []), id]);
  for (const [roundId, ids] of byRound) {
    ids.sort();
    for (let i = 0; i < ids.length; i += CHECK_BATCH) {
      const part = ids.slice(i, i + CHECK_BATCH);
      await deps.jobs.enqueue('check-quality', { roundId, responseIds: part, reason: 'sweep' }, jobIdFor('check-quality', roundId, ['sweep', ...part]));
    }
  }
  if (unchecked.length > 0) deps.logger.info({ responses: unchecked.length }, 'sweep found responses not yet checked');
  return unchecked.length;
}

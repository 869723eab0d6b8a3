import type { Logger } from 'pino';
import type { AggregateRepository } from '../server/modules/aggregates/aggregate.repository';
import type { ResponseRepository } from '../server/modules/responses/response.repository';
import { jobIdFor, type JobProducer } from './queues';

export interface SweepDeps {
  responses: ResponseRepository;
  aggregates: AggregateRepository;
  jobs: JobProducer;
  logger: Logger;
}

/** Clocks of API and worker hosts may differ by this much; the sweep errs toward recomputing. */
export const CLOCK_MARGIN_MS = 5000;

/**
 * Finds provinces with responses stored after their tally last read them — the API stored them but
 * could not enqueue (Redis down) — and enqueues their recompute. Job ids are deterministic, so
 * sweeping twice enqueues nothing new. Returns the number of provinces found.
 */
export async function sweepUnaggregated(deps: SweepDeps, since: Date): Promise<number> {
  const latest = await deps.responses.latestStoredSince(since);
  if (latest.length === 0) return 0;
  const readTimes = await deps.aggregates.tallyReadTimes();
  const stale = new Map<string, Array<{ provinceCode: string; latest: Date }>>();
  for (const row of latest) {
    const readAt = readTimes.get(`${row.roundId}|${row.provinceCode}`);
    if (readAt && row.latest.getTime() < readAt.getTime() - CLOCK_MARGIN_MS) continue;
    const list = stale.get(row.roundId) ?? [];
    list.push({ provinceCode: row.provinceCode, latest: row.latest });
    stale.set(row.roundId, list);
  }
  let found = 0;
  for (const [roundId, provinces] of stale) {
    provinces.sort((a, b) => a.provinceCode.localeCompare(b.provinceCode));
    found += provinces.length;
    await deps.jobs.enqueue(
      'recompute-provinces',
      { roundId, provinceCodes: provinces.map((p) => p.provinceCode), reason: 'sweep' },
      jobIdFor('recompute-provinces', roundId, ['sweep', ...provinces.map((p) => `${p.provinceCode}@${p.latest.toISOString()}`)]),
    );
  }
  if (found > 0) deps.logger.info({ provinces: found }, 'sweep found responses not yet aggregated');
  return found;
}

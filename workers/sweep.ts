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

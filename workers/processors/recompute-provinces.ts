import type { Logger } from 'pino';
import type { JobPayloads } from '../../server/jobs/job-contract';
import { recomputeProvinces, type AggregationDeps, type RecomputeOutcome } from '../../server/modules/aggregates/aggregation.service';

/** Re-tallies the named provinces from stored responses (the repair path), then asks for the round's figures. */
export async function recomputeProvincesJob(deps: AggregationDeps & { logger: Logger }, payload: JobPayloads['recompute-provinces']): Promise<RecomputeOutcome> {
  const outcome = await recomputeProvinces(deps, payload);
  deps.logger.info({ roundId: payload.roundId, provinces: payload.provinceCodes.length, reason: payload.reason }, 're-tallied provinces; figures asked for');
  return outcome;
}

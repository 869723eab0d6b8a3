import type { Logger } from 'pino';
import type { JobContext, JobPayloads } from '../../server/jobs/job-contract';
import { writeMicrodataExport, type ExportOutcome, type ExportWriteDeps } from '../../server/modules/exports/export.service';

/** Writes a round's anonymised microdata file (the exports module's use case), reporting percent and rows. */
export async function exportMicrodataJob(
  deps: ExportWriteDeps & { logger: Logger },
  payload: JobPayloads['export-microdata'],
  { reportProgress }: JobContext,
): Promise<ExportOutcome> {
  const outcome = await writeMicrodataExport(deps, payload, reportProgress);
  deps.logger.info({ exportId: payload.exportId, roundId: payload.roundId, rows: outcome.rows, bytes: outcome.bytes, requestedBy: payload.requestedBy }, 'microdata export written');
  return outcome;
}

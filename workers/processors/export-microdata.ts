import type { Logger } from 'pino';
import type { FormCatalogue } from '../../survey-forms/catalogue';
import type { ProvinceReference } from '../../survey-forms/provinces';
import type { ExportRepository } from '../../server/modules/exports/export.repository';
import { EXPORT_CONTENT_TYPES, microdataColumnsOf, microdataMetadata } from '../../server/modules/exports/export.service';
import { writeMicrodataCsv, writeMicrodataXlsx } from '../../server/modules/exports/microdata.writer';
import type { ResponseRepository } from '../../server/modules/responses/response.repository';
import type { RoundRepository } from '../../server/modules/rounds/round.repository';
import { JobCannotSucceed, type ExportProgress, type JobPayloads } from '../../server/jobs/job-contract';

export interface ExportJobDeps {
  rounds: RoundRepository;
  responses: ResponseRepository;
  exports: ExportRepository;
  forms: FormCatalogue;
  provinces: ProvinceReference;
  logger: Logger;
  /** How long a finished file can be downloaded. */
  ttlHours: number;
}

export interface ExportOutcome {
  status: 'ready';
  rows: number;
  bytes: number;
}

/**
 * Writes a round's anonymised microdata into GridFS, streaming from a cursor over the counted
 * responses, and reports percent and rows as it goes. A retry writes a fresh file and the export
 * record keeps only the last one.
 */
export async function exportMicrodata(
  deps: ExportJobDeps,
  payload: JobPayloads['export-microdata'],
  reportProgress: (progress: ExportProgress) => Promise<void>,
): Promise<ExportOutcome> {
  const round = await deps.rounds.findById(payload.roundId);
  if (!round) throw new JobCannotSucceed(`round ${payload.roundId} no longer exists`);
  const record = await deps.exports.markWriting(payload.exportId);
  if (!record) throw new JobCannotSucceed(`export ${payload.exportId} is not waiting to be written (gone, ready or expired)`);
  let upload: ReturnType<ExportRepository['openUpload']> | undefined;
  try {
    const columns = microdataColumnsOf(deps, round);
    await reportProgress({ phase: 'counting', percent: 0, rows: 0, rowsTotal: 0 });
    const [rowsTotal, review] = await Promise.all([deps.responses.countCounted(round.id), deps.responses.reviewBreakdown(round.id)]);
    await reportProgress({ phase: 'writing', percent: 0, rows: 0, rowsTotal });
    upload = deps.exports.openUpload(record.fileName, EXPORT_CONTENT_TYPES[payload.format]);
    const input = {
      columns,
      responses: deps.responses.streamForMicrodata(round.id),
      metadata: microdataMetadata(round, review, rowsTotal, new Date()),
      // Responses stored meanwhile may push rows past the count; percent stays at most 99 until done.
      onProgress: (rows: number) => reportProgress({ phase: 'writing', percent: Math.min(99, Math.floor((rows / Math.max(rowsTotal, rows)) * 100)), rows, rowsTotal: Math.max(rowsTotal, rows) }),
    };
    const rows = payload.format === 'csv' ? await writeMicrodataCsv(input, upload) : await writeMicrodataXlsx(input, upload);
    const bytes = upload.gridFSFile?.length ?? 0;
    await deps.exports.markReady(record.id, { fileId: upload.id, bytes, rows, expiresAt: new Date(Date.now() + deps.ttlHours * 3_600_000) });
    await reportProgress({ phase: 'done', percent: 100, rows, rowsTotal: rows });
    deps.logger.info({ exportId: record.id, roundId: round.id, rows, bytes, requestedBy: payload.requestedBy }, 'microdata export written');
    return { status: 'ready', rows, bytes };
  } catch (error) {
    // A half-written file's chunks would stay in GridFS with no file to name them: delete them.
    if (upload && !upload.gridFSFile) await upload.abort().catch(() => undefined);
    await deps.exports.markFailed(record.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

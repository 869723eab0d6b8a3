import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FormCatalogue } from '../../../survey-forms/catalogue';
import { MODE_LABELS } from '../../../survey-forms/modes';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { JobCannotSucceed, jobIdFor, type ExportProgress, type JobPayloads, type JobProducer } from '../../jobs/job-contract';
import { HttpProblem, notFound } from '../../http/problem';
import type { ReviewRepository } from '../review/review.repository';
import type { RoundRecord, RoundRepository } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import { reviewStatusLabel, type ReviewGroup } from './aggregate-download';
import type { ExportRecord, ExportRepository } from './export.repository';
import { microdataColumns, type MicrodataColumn } from './microdata';
import type { MicrodataRepository } from './microdata.repository';
import { writeMicrodataCsv, writeMicrodataXlsx } from './microdata.writer';

export interface ExportDeps {
  rounds: RoundRepository;
  exports: ExportRepository;
  forms: FormCatalogue;
  provinces: ProvinceReference;
  jobs: JobProducer;
}

export const EXPORT_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The columns of a round's microdata: its questionnaire version's coded items, provinces of its edition. */
export function microdataColumnsOf(deps: Pick<ExportDeps, 'forms' | 'provinces'>, round: RoundRecord): MicrodataColumn[] {
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new Error(`round ${round.id} names questionnaire ${round.formId}@${round.formVersion}, which is not installed`);
  return microdataColumns(form, deps.provinces, round.boundaryEdition);
}

/** The metadata lines of a microdata file: where the rows come from, and what was left out and why. */
export function microdataMetadata(round: RoundRecord, review: ReadonlyArray<ReviewGroup>, rows: number, generatedAt: Date): Array<[string, string | number]> {
  return [
    ['Đợt khảo sát / Round', `${round.id} (${round.year})`],
    ['Phiếu hỏi / Questionnaire', `${round.formId} phiên bản ${round.formVersion}`],
    ['Định nghĩa chỉ số / Index definition', `${round.indexDefinitionId} phiên bản ${round.indexDefinitionVersion}`],
    ['Danh mục đơn vị hành chính / Boundary edition', `${round.boundaryEdition} tỉnh, thành phố`],
    ['Phương thức thu thập / Modes of collection', round.modes.map((m) => `${m}: ${MODE_LABELS[m].vi} / ${MODE_LABELS[m].en}`).join('; ')],
    ['Tạo tệp lúc / Generated at', generatedAt.toISOString()],
    ['Số dòng (phiếu được tính) / Rows (counted responses)', rows],
    ...review.map((r): [string, string | number] => [`Phiếu: ${reviewStatusLabel(r.reviewStatus).vi}`, `lưu ${r.stored}, có trong tệp ${r.counted}, loại ra ${r.stored - r.counted}`]),
    [
      'Ẩn danh / Anonymisation',
      'Không có họ tên, điện thoại, địa chỉ, mã phiếu, mã đơn vị mẫu, điều tra viên, thời gian, vị trí hay câu trả lời tự do; ' +
        'số thứ tự người trả lời không liên kết được với danh sách mẫu. / No names, phones, addresses, response or sample ids, enumerators, ' +
        'times, locations or free-text answers; respondent numbers do not link to the sample list.',
    ],
  ];
}

/** An export as the API shows it. */
export interface ExportView {
  id: string;
  roundId: string;
  kind: 'microdata';
  format: 'csv' | 'xlsx';
  state: ExportRecord['state'];
  progress: ExportProgress | null;
  rows: number;
  fileName: string;
  bytes: number | null;
  requestedBy: string;
  requestedAt: string;
  finishedAt: string | null;
  expiresAt: string | null;
  downloadUrl: string | null;
  error: string | null;
}

function isExpired(record: ExportRecord, now: Date): boolean {
  return record.state === 'expired' || (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime());
}

/**
 * Queues a microdata export of a round. Every request is its own export (its own file and expiry);
 * the job is safe to run twice, as a retry replaces the file it wrote.
 */
export async function requestMicrodataExport(deps: ExportDeps, roundId: string, format: 'csv' | 'xlsx', requestedBy: string): Promise<ExportView> {
  const round = await getRound(deps, roundId);
  const id = jobIdFor('export-microdata', round.id, [randomBytes(16).toString('hex')]);
  const requestedAt = new Date();
  await deps.exports.create({
    id,
    roundId: round.id,
    kind: 'microdata',
    format,
    requestedBy,
    requestedAt,
    fileName: `${round.id}-microdata-${requestedAt.toISOString().slice(0, 10)}.${format}`,
  });
  try {
    await deps.jobs.enqueue('export-microdata', { exportId: id, roundId: round.id, format, requestedBy }, id);
  } catch {
    await deps.exports.markFailed(id, 'the job queue was not reachable');
    throw new HttpProblem('not_ready', 'The job queue is not reachable; nothing was queued. Try again shortly.');
  }
  return getExport(deps, id);
}

/** Where an export stands: its record, with the job's last progress while it runs. */
export async function getExport(deps: Pick<ExportDeps, 'exports' | 'jobs'>, id: string, now = new Date()): Promise<ExportView> {
  const record = await deps.exports.find(id);
  if (!record) throw notFound(`Export ${id}`);
  let progress: ExportProgress | null = null;
  if (record.state === 'queued' || record.state === 'writing') {
    const job = await deps.jobs.inspect(id).catch(() => undefined);
    progress = (job?.progress as ExportProgress | undefined) ?? { phase: 'counting', percent: 0, rows: 0, rowsTotal: 0 };
    if (typeof progress !== 'object' || progress === null) progress = { phase: 'counting', percent: 0, rows: 0, rowsTotal: 0 };
  } else if (record.state === 'ready') {
    progress = { phase: 'done', percent: 100, rows: record.rows, rowsTotal: record.rows };
  }
  const expired = isExpired(record, now);
  return {
    id: record.id,
    roundId: record.roundId,
    kind: record.kind,
    format: record.format,
    state: expired && record.state === 'ready' ? 'expired' : record.state,
    progress,
    rows: record.rows,
    fileName: record.fileName,
    bytes: record.bytes,
    requestedBy: record.requestedBy,
    requestedAt: record.requestedAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
    expiresAt: record.expiresAt?.toISOString() ?? null,
    downloadUrl: record.state === 'ready' && !expired ? `/api/v1/exports/${record.id}/file` : null,
    error: record.error,
  };
}

/** The file of a ready export. An expired one is refused (410) and its file deleted at once. */
export async function openExportFile(deps: Pick<ExportDeps, 'exports'>, id: string, now = new Date()): Promise<{ record: ExportRecord; stream: Readable }> {
  const record = await deps.exports.find(id);
  if (!record) throw notFound(`Export ${id}`);
  if (isExpired(record, now)) {
    await deps.exports.expire(id);
    throw new HttpProblem('gone', `Export ${id} expired at ${record.expiresAt?.toISOString() ?? 'an earlier time'}; request a new one.`);
  }
  if (record.state !== 'ready' || !record.fileId) {
    throw new HttpProblem('export_not_ready', `Export ${id} is ${record.state}${record.error ? ` (${record.error})` : ''}; its file is not ready.`);
  }
  return { record, stream: deps.exports.openDownload(record.fileId) };
}

/** Deletes the files of expired exports; the worker's sweep runs it. Returns how many it expired. */
export async function removeExpiredExports(deps: Pick<ExportDeps, 'exports'>, now = new Date()): Promise<number> {
  let removed = 0;
  for (const id of await deps.exports.findExpired(now)) if (await deps.exports.expire(id)) removed += 1;
  return removed;
}

/** What writing an export needs. */
export interface ExportWriteDeps {
  rounds: RoundRepository;
  microdata: MicrodataRepository;
  review: ReviewRepository;
  exports: ExportRepository;
  forms: FormCatalogue;
  provinces: ProvinceReference;
  /** How long a finished file can be downloaded. */
  ttlHours: number;
}

/** A written export, as its job returns it. */
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
export async function writeMicrodataExport(
  deps: ExportWriteDeps,
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
    const [rowsTotal, review] = await Promise.all([deps.microdata.countCounted(round.id), deps.review.reviewBreakdown(round.id)]);
    await reportProgress({ phase: 'writing', percent: 0, rows: 0, rowsTotal });
    upload = deps.exports.openUpload(record.fileName, EXPORT_CONTENT_TYPES[payload.format]);
    const input = {
      columns,
      responses: deps.microdata.streamForMicrodata(round.id),
      metadata: microdataMetadata(round, review, rowsTotal, new Date()),
      // Responses stored meanwhile may push rows past the count; percent stays at most 99 until done.
      onProgress: (rows: number) => reportProgress({ phase: 'writing', percent: Math.min(99, Math.floor((rows / Math.max(rowsTotal, rows)) * 100)), rows, rowsTotal: Math.max(rowsTotal, rows) }),
    };
    const rows = payload.format === 'csv' ? await writeMicrodataCsv(input, upload) : await writeMicrodataXlsx(input, upload);
    const bytes = upload.gridFSFile?.length ?? 0;
    await deps.exports.markReady(record.id, { fileId: upload.id, bytes, rows, expiresAt: new Date(Date.now() + deps.ttlHours * 3_600_000) });
    await reportProgress({ phase: 'done', percent: 100, rows, rowsTotal: rows });
    return { status: 'ready', rows, bytes };
  } catch (error) {
    // A half-written file's chunks would stay in GridFS with no file to name them: delete them.
    if (upload && !upload.gridFSFile) await upload.abort().catch(() => undefined);
    await deps.exports.markFailed(record.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

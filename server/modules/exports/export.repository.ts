import mongoose, { Schema, type Connection } from 'mongoose';
import type { Readable } from 'node:stream';
import { modelOn } from '../../db/model';

/** A requested export and, once written, its file in GridFS. */
const exportSchema = new Schema(
  {
    /** The export job's id: one id for the job and the export. */
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    kind: { type: String, enum: ['microdata'], required: true },
    format: { type: String, enum: ['csv', 'xlsx'], required: true },
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    state: { type: String, enum: ['queued', 'writing', 'ready', 'failed', 'expired'], required: true },
    rows: { type: Number, default: 0 },
    fileId: { type: Schema.Types.ObjectId, default: null },
    fileName: { type: String, required: true },
    bytes: { type: Number, default: null },
    finishedAt: { type: Date, default: null },
    /** After this the file is refused and deleted (checked on download, and by the worker's sweep). */
    expiresAt: { type: Date, default: null },
    error: { type: String, default: null },
  },
  { versionKey: false, collection: 'exports' },
);
exportSchema.index({ state: 1, expiresAt: 1 });

export type ExportState = 'queued' | 'writing' | 'ready' | 'failed' | 'expired';

export interface ExportRecord {
  id: string;
  roundId: string;
  kind: 'microdata';
  format: 'csv' | 'xlsx';
  requestedBy: string;
  requestedAt: Date;
  state: ExportState;
  rows: number;
  fileId: mongoose.Types.ObjectId | null;
  fileName: string;
  bytes: number | null;
  finishedAt: Date | null;
  expiresAt: Date | null;
  error: string | null;
}

export type ExportRepository = ReturnType<typeof createExportRepository>;

/** GridFS bucket of export files. */
const BUCKET = 'exports';

export function createExportRepository(connection: Connection) {
  const Exports = modelOn(connection, 'Export', exportSchema);
  const bucket = (): mongoose.mongo.GridFSBucket => {
    const db = connection.db;
    if (!db) throw new Error('MongoDB is not connected');
    return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET });
  };
  const toRecord = (doc: Record<string, unknown> & { _id: string }): ExportRecord => {
    const { _id, ...rest } = doc;
    return { id: _id, ...(rest as Omit<ExportRecord, 'id'>) };
  };
  const deleteFile = async (fileId: mongoose.Types.ObjectId | null): Promise<void> => {
    if (!fileId) return;
    try {
      await bucket().delete(fileId);
    } catch (error) {
      // Already deleted (by a sweep on another worker): nothing left to do.
      if (!/File not found/i.test((error as Error).message)) throw error;
    }
  };
  return {
    async create(record: Omit<ExportRecord, 'rows' | 'fileId' | 'bytes' | 'finishedAt' | 'expiresAt' | 'error' | 'state'>): Promise<void> {
      await Exports.create({ _id: record.id, ...record, state: 'queued' });
    },
    async find(id: string): Promise<ExportRecord | undefined> {
      const doc = await Exports.findById(id).lean();
      return doc ? toRecord(doc) : undefined;
    },
    async markWriting(id: string): Promise<ExportRecord | undefined> {
      const doc = await Exports.findOneAndUpdate({ _id: id, state: { $in: ['queued', 'writing', 'failed'] } }, { $set: { state: 'writing', error: null } }, { returnDocument: 'after' }).lean();
      return doc ? toRecord(doc) : undefined;
    },
    /** A stream that writes the export's file; `id` is known before the first byte. */
    openUpload(fileName: string, contentType: string): mongoose.mongo.GridFSBucketWriteStream {
      return bucket().openUploadStream(fileName, { metadata: { contentType } });
    },
    /**
     * Records the written file. A job run twice (a retry after a crash) replaces the earlier file,
     * so only one is ever kept.
     */
    async markReady(id: string, file: { fileId: mongoose.Types.ObjectId; bytes: number; rows: number; expiresAt: Date }): Promise<void> {
      const before = await Exports.findOneAndUpdate(
        { _id: id },
        { $set: { state: 'ready', fileId: file.fileId, bytes: file.bytes, rows: file.rows, finishedAt: new Date(), expiresAt: file.expiresAt } },
      ).lean();
      const previous = (before?.fileId) ?? null;
      if (previous && !previous.equals(file.fileId)) await deleteFile(previous);
    },
    async markFailed(id: string, error: string): Promise<void> {
      await Exports.updateOne({ _id: id, state: { $ne: 'ready' } }, { $set: { state: 'failed', error, finishedAt: new Date() } });
    },
    deleteFile,
    openDownload(fileId: mongoose.Types.ObjectId): Readable {
      return bucket().openDownloadStream(fileId);
    },
    /** Deletes the file of an export whose time is up; returns whether it was still there to expire. */
    async expire(id: string): Promise<boolean> {
      const doc = await Exports.findOneAndUpdate({ _id: id, state: 'ready' }, { $set: { state: 'expired', fileId: null } }).lean();
      if (!doc) return false;
      await deleteFile((doc.fileId as mongoose.Types.ObjectId | null) ?? null);
      return true;
    },
    /** Ready exports whose time is up. */
    async findExpired(now: Date): Promise<string[]> {
      const docs = await Exports.find({ state: 'ready', expiresAt: { $lte: now } }, { _id: 1 }).lean();
      return docs.map((d) => d._id);
    },
  };
}

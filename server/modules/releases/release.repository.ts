/**
 * Releases and what they froze. A release document holds its state and provenance; its tables, the
 * ids of the responses it counted and its change log sit in collections of their own, in documents
 * small enough for any round. Nothing here ever rewrites a table, an id list or a change log: a
 * release's figures are written once, before it can be approved.
 */
import { Schema, type Connection } from 'mongoose';
import type { FigureChange } from '../../../survey-forms/release/release-changes';
import type { ReleaseTable } from '../../../survey-forms/release/release-tables';
import type { BoundaryEdition } from '../../../survey-forms/provinces';
import { isDuplicateKeyError } from '../../db/errors';
import { modelOn } from '../../db/model';

/** What a release's figures came from. */
export interface ReleaseProvenance {
  responses: number;
  /** SHA-256 of the counted response ids, sorted, one a line. */
  responseIdsDigest: string;
  responsesByProvince: Record<string, number>;
  weightedResponses: number;
  /** SHA-256 of `id<TAB>weight` of every counted response (1 where none). */
  weightsDigest: string;
  form: { formId: string; version: string; sha256: string | null };
  indexDefinition: { definitionId: string; version: string; sha256: string | null };
  boundaryEdition: BoundaryEdition;
  editions: BoundaryEdition[];
  unitTypesOn: string;
  software: { name: string; version: string; node: string };
  /** The release whose figures changes are measured against; null when the round has none to compare with. */
  comparedWith: { releaseId: string; roundId: string } | null;
}

/** Responses one release counts and the corrected one did not (added), and the reverse (removed), per province. */
export interface ChangeSummary {
  changes: number;
  responsesAdded: number;
  responsesRemoved: number;
  byProvince: Record<string, { added: number; removed: number }>;
}

export interface ReleaseRecord {
  /** The release number, e.g. `2024.1`: also its id and permalink. */
  id: string;
  roundId: string;
  year: number;
  status: 'prepared' | 'approved';
  notes: string | null;
  corrects: string | null;
  correctionReason: string | null;
  preparedBy: string;
  preparedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
  embargoUntil: Date | null;
  provenance: ReleaseProvenance;
  figuresDigest: string;
  tables: number;
  changeSummary: ChangeSummary | null;
}

const releaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    year: { type: Number, required: true },
    /** `preparing` while its figures are being written: it holds the number, and nobody reads it. */
    status: { type: String, enum: ['preparing', 'prepared', 'approved'], required: true },
    notes: { type: String, default: null },
    corrects: { type: String, default: null },
    correctionReason: { type: String, default: null },
    preparedBy: { type: String, required: true },
    preparedAt: { type: Date, required: true },
    approvedBy: { type: String, default: null },
    approvedAt: { type: Date, default: null },
    embargoUntil: { type: Date, default: null },
    provenance: { type: Schema.Types.Mixed, required: true },
    figuresDigest: { type: String, required: true },
    tables: { type: Number, required: true },
    changeSummary: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, collection: 'releases', minimize: false },
);
releaseSchema.index({ roundId: 1, preparedAt: -1 });
releaseSchema.index({ year: 1 });
releaseSchema.index({ status: 1, embargoUntil: -1 });

/** One document per release, edition and indicator: all its estimates and groupings. */
const releaseTablesSchema = new Schema(
  {
    _id: { type: String, required: true },
    releaseId: { type: String, required: true },
    seq: { type: Number, required: true },
    edition: { type: Number, required: true },
    indicator: { type: String, required: true },
    tables: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, collection: 'release_tables', minimize: false },
);
releaseTablesSchema.index({ releaseId: 1, seq: 1 });

/** The ids of the responses a release counted, per province in chunks, sorted. */
const releaseMembersSchema = new Schema(
  {
    _id: { type: String, required: true },
    releaseId: { type: String, required: true },
    provinceCode: { type: String, required: true },
    chunk: { type: Number, required: true },
    ids: { type: [String], required: true },
  },
  { versionKey: false, collection: 'release_members' },
);
releaseMembersSchema.index({ releaseId: 1, provinceCode: 1, chunk: 1 });

/** A correction's change log, in chunks. */
const releaseChangesSchema = new Schema(
  {
    _id: { type: String, required: true },
    releaseId: { type: String, required: true },
    chunk: { type: Number, required: true },
    changes: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, collection: 'release_changes', minimize: false },
);
releaseChangesSchema.index({ releaseId: 1, chunk: 1 });

const MEMBERS_PER_CHUNK = 20_000;
const CHANGES_PER_CHUNK = 2_000;

export type ReleaseRepository = ReturnType<typeof createReleaseRepository>;

export function createReleaseRepository(connection: Connection) {
  const Releases = modelOn(connection, 'Release', releaseSchema);
  const Tables = modelOn(connection, 'ReleaseTables', releaseTablesSchema);
  const Members = modelOn(connection, 'ReleaseMembers', releaseMembersSchema);
  const Changes = modelOn(connection, 'ReleaseChanges', releaseChangesSchema);
  type Doc = Omit<ReleaseRecord, 'id'> & { _id: string };
  const toRecord = ({ _id, ...doc }: Doc): ReleaseRecord => ({ id: _id, ...doc });

  return {
    /** Numbers already given in a year (prepared or approved). */
    async numbersOfYear(year: number): Promise<string[]> {
      const docs = await Releases.find({ year }, { _id: 1 }).lean();
      return docs.map((d) => d._id);
    },
    /**
     * Stores a new release with its tables, members and change log. The number is taken first (the
     * unique id), so no two preparations ever write under one number; the release becomes readable
     * only once everything is written. Returns false when the number was taken meanwhile.
     */
    async create(
      release: ReleaseRecord,
      tables: ReadonlyArray<ReleaseTable>,
      membersByProvince: ReadonlyMap<string, ReadonlyArray<string>>,
      changes: ReadonlyArray<FigureChange>,
    ): Promise<boolean> {
      const { id, ...rest } = release;
      try {
        await Releases.create({ _id: id, ...rest, status: 'preparing' });
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
      const byIndicator = new Map<string, { edition: number; indicator: string; tables: ReleaseTable[] }>();
      for (const table of tables) {
        const key = `${table.edition}|${table.indicator}`;
        const entry = byIndicator.get(key) ?? { edition: table.edition, indicator: table.indicator, tables: [] };
        entry.tables.push(table);
        byIndicator.set(key, entry);
      }
      await Tables.insertMany([...byIndicator.values()].map((e, seq) => ({ _id: `${id}|${e.edition}|${e.indicator}`, releaseId: id, seq, ...e })));
      const members = [...membersByProvince.entries()].flatMap(([provinceCode, ids]) =>
        Array.from({ length: Math.ceil(ids.length / MEMBERS_PER_CHUNK) }, (_, chunk) => ({
          _id: `${id}|${provinceCode}|${chunk}`,
          releaseId: id,
          provinceCode,
          chunk,
          ids: ids.slice(chunk * MEMBERS_PER_CHUNK, (chunk + 1) * MEMBERS_PER_CHUNK),
        })),
      );
      if (members.length > 0) await Members.insertMany(members);
      const chunks = Array.from({ length: Math.ceil(changes.length / CHANGES_PER_CHUNK) }, (_, chunk) => ({
        _id: `${id}|${chunk}`,
        releaseId: id,
        chunk,
        changes: changes.slice(chunk * CHANGES_PER_CHUNK, (chunk + 1) * CHANGES_PER_CHUNK),
      }));
      if (chunks.length > 0) await Changes.insertMany(chunks);
      await Releases.updateOne({ _id: id, status: 'preparing' }, { $set: { status: release.status } });
      return true;
    },
    async findById(id: string): Promise<ReleaseRecord | undefined> {
      const doc = await Releases.findOne({ _id: id, status: { $ne: 'preparing' } }).lean();
      return doc ? toRecord(doc as unknown as Doc) : undefined;
    },
    /** Every release, newest first; of one round when asked. */
    async list(roundId?: string): Promise<ReleaseRecord[]> {
      const docs = await Releases.find({ ...(roundId ? { roundId } : {}), status: { $ne: 'preparing' } }).sort({ preparedAt: -1, _id: -1 }).lean();
      return docs.map((d) => toRecord(d as unknown as Doc));
    },
    /** Approved releases whose embargo has passed, newest embargo first. */
    async listPublic(now: Date): Promise<ReleaseRecord[]> {
      const docs = await Releases.find({ status: 'approved', embargoUntil: { $lte: now } }).sort({ embargoUntil: -1, _id: -1 }).lean();
      return docs.map((d) => toRecord(d as unknown as Doc));
    },
    /**
     * Approves a prepared release, only when someone other than its preparer asks: the two-person
     * rule holds in the one write, so two approvals racing cannot both win.
     */
    async approve(id: string, approvedBy: string, approvedAt: Date, embargoUntil: Date): Promise<ReleaseRecord | undefined> {
      const doc = await Releases.findOneAndUpdate(
        { _id: id, status: 'prepared', preparedBy: { $ne: approvedBy } },
        { $set: { status: 'approved', approvedBy, approvedAt, embargoUntil } },
        { returnDocument: 'after' },
      ).lean();
      return doc ? toRecord(doc as unknown as Doc) : undefined;
    },
    /** All tables of a release, in the order they were frozen. */
    async tablesOf(id: string): Promise<ReleaseTable[]> {
      const docs = await Tables.find({ releaseId: id }).sort({ seq: 1 }).lean();
      return docs.flatMap((d) => d.tables as ReleaseTable[]);
    },
    /** The counted response ids of a release, per province. */
    async *membersOf(id: string): AsyncGenerator<{ provinceCode: string; ids: string[] }> {
      for await (const doc of Members.find({ releaseId: id }).sort({ provinceCode: 1, chunk: 1 }).lean().cursor()) {
        yield { provinceCode: doc.provinceCode, ids: doc.ids };
      }
    },
    async changesOf(id: string): Promise<FigureChange[]> {
      const docs = await Changes.find({ releaseId: id }).sort({ chunk: 1 }).lean();
      return docs.flatMap((d) => d.changes as FigureChange[]);
    },
  };
}

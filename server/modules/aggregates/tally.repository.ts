/**
 * The tallies collection: per round and province, what the round's figures are computed from. One
 * document per province holds its cells as flat arrays (survey-forms/tally-delta.ts), so a recompute
 * reads the round in one query, and a change is one atomic `$inc` of that document guarded by the
 * change's key: a retried job never adds twice, with no transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { deltaIncrements, emptyWeightedSums, type ProvinceDelta, type StoredCells } from '../../../survey-forms/tally-delta';
import type { TallyPlan } from '../../../survey-forms/tally-plan';
import { isDuplicateKeyError } from '../../db/errors';
import { modelOn } from '../../db/model';

/** Keys of the latest changes kept per province: far more than a job's retries can span. */
const APPLIED_KEPT = 1000;

const tallySchema = new Schema(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    provinceCode: { type: String, required: true },
    /** Fingerprint of the arrays' layout (tally-plan.ts): a tally of another layout is re-tallied, never added to. */
    layout: { type: String, default: null },
    /** Aggregation counter value of the latest full re-tally's read: an older re-tally never replaces a newer one. */
    seq: { type: Number, default: 0 },
    /** Grows with every write: a re-tally writes only over the version it began from. */
    version: { type: Number, default: 0 },
    /** Changes with every write: figures remember the stamps of the tallies they were computed from. */
    stamp: { type: String, required: true },
    readAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
    /** Responses counted: the sweep compares it with a fresh count to find what was missed. */
    responses: { type: Number, required: true },
    /** Keys of the latest changes added (checked batches, review decisions). */
    applied: { type: [String], default: [] },
    cells: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, collection: 'tallies', minimize: false },
);
tallySchema.index({ roundId: 1, provinceCode: 1 });
tallySchema.index({ updatedAt: 1 });

/** What a recompute reads of a province's tally. */
export interface ProvinceTally {
  provinceCode: string;
  layout: string | null;
  responses: number;
  stamp: string;
  cells: StoredCells;
}

/** A province's tally without its cells: what the sweep compares. */
export type ProvinceTallyState = Omit<ProvinceTally, 'cells'> & { version: number };

export type TallyRepository = ReturnType<typeof createTallyRepository>;

const idOf = (roundId: string, provinceCode: string): string => `${roundId}|${provinceCode}`;
const newStamp = (): string => randomUUID();

export function createTallyRepository(connection: Connection, now: () => Date = () => new Date()) {
  const Tallies = modelOn(connection, 'Tally', tallySchema);
  return {
    /**
     * Adds a change's delta to a province's tally, once: `applied` when added now, `already` when this
     * key was added before (a retry), `other-layout` when the stored tally has another layout (it needs
     * a full re-tally; nothing was added).
     */
    async addDelta(
      target: { roundId: string; provinceCode: string; layout: string; plan: TallyPlan },
      key: string,
      delta: ProvinceDelta,
    ): Promise<'applied' | 'already' | 'other-layout'> {
      const _id = idOf(target.roundId, target.provinceCode);
      try {
        await Tallies.updateOne(
          { _id },
          { $setOnInsert: { roundId: target.roundId, provinceCode: target.provinceCode, layout: target.layout, seq: 0, version: 0, stamp: newStamp(), readAt: null, updatedAt: now(), responses: 0, applied: [], cells: {} } },
          { upsert: true },
        );
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const { inc, open } = deltaIncrements(target.plan, delta.cells, 'cells.');
      // $inc needs the arrays to exist: open missing cells (and weighted sums) with zeros first; a no-op where they exist.
      if (open.length > 0) {
        await Tallies.bulkWrite(
        open.flatMap(({ key: cellKey, cell, weighted }) => [
          { updateOne: { filter: { _id, layout: target.layout, [`cells.${cellKey}`]: { $exists: false } }, update: { $set: { [`cells.${cellKey}`]: cell } } } },
          ...(weighted
            ? [{ updateOne: { filter: { _id, layout: target.layout, [`cells.${cellKey}.wsums`]: null }, update: { $set: { [`cells.${cellKey}.wsums`]: emptyWeightedSums(target.plan) } } } }]
            : []),
        ]),
          { ordered: true },
        );
      }
      const result = await Tallies.updateOne(
        { _id, layout: target.layout, applied: { $ne: key } },
        {
          $inc: { ...inc, responses: delta.responses, version: 1 },
          $set: { stamp: newStamp(), updatedAt: now() },
          $push: { applied: { $each: [key], $slice: -APPLIED_KEPT } },
        },
      );
      if (result.matchedCount === 1) return 'applied';
      const doc = await Tallies.findById(_id, { layout: 1 }).lean();
      return doc?.layout === target.layout ? 'already' : 'other-layout';
    },
    /** A province's tally without its cells; undefined before its first change. */
    async stateOf(roundId: string, provinceCode: string): Promise<ProvinceTallyState | undefined> {
      const doc = await Tallies.findById(idOf(roundId, provinceCode), { cells: 0, applied: 0 }).lean();
      return doc ? { provinceCode: doc.provinceCode, layout: doc.layout ?? null, responses: doc.responses, stamp: doc.stamp, version: doc.version ?? 0 } : undefined;
    },
    /**
     * Stores a full re-tally of a province, only over the version it began from (`fromVersion`,
     * undefined when there was no tally: then only if there still is none) and over an older re-tally.
     * `force` drops the version condition. Keeps the keys of the changes added, so a retried change
     * whose responses the re-tally read is still not added twice. Returns whether it was stored.
     */
    async saveRetally(
      target: { roundId: string; provinceCode: string; layout: string },
      read: { seq: number; readAt: Date; fromVersion: number | undefined; force?: boolean },
      tally: { responses: number; cells: StoredCells },
    ): Promise<boolean> {
      const _id = idOf(target.roundId, target.provinceCode);
      const fields = { roundId: target.roundId, provinceCode: target.provinceCode, layout: target.layout, seq: read.seq, readAt: read.readAt, stamp: newStamp(), updatedAt: now(), responses: tally.responses, cells: tally.cells };
      try {
        if (read.fromVersion === undefined && !read.force) {
          await Tallies.create({ _id, ...fields, version: 1, applied: [] });
          return true;
        }
        const result = await Tallies.updateOne(
          // Tallies from before versions were kept have none: they read as version 0.
          { _id, seq: { $lt: read.seq }, ...(read.force ? {} : { version: read.fromVersion === 0 ? { $in: [0, null] } : read.fromVersion }) },
          { $set: fields, $inc: { version: 1 }, $setOnInsert: { applied: [] } },
          { upsert: Boolean(read.force) },
        );
        return result.modifiedCount + result.upsertedCount > 0;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },
    /** Every province tally of a round, in one read. */
    async talliesOfRound(roundId: string): Promise<ProvinceTally[]> {
      const docs = await Tallies.find({ roundId }, { applied: 0 }).sort({ provinceCode: 1 }).lean();
      return docs.map((d) => ({ provinceCode: d.provinceCode, layout: d.layout ?? null, responses: d.responses, stamp: d.stamp, cells: d.cells as StoredCells }));
    },
    /** Every province tally of a round without its cells. */
    async statesOfRound(roundId: string): Promise<ProvinceTallyState[]> {
      const docs = await Tallies.find({ roundId }, { cells: 0, applied: 0 }).sort({ provinceCode: 1 }).lean();
      return docs.map((d) => ({ provinceCode: d.provinceCode, layout: d.layout ?? null, responses: d.responses, stamp: d.stamp, version: d.version ?? 0 }));
    },
    /** Rounds with a tally changed after `since`: those whose figures may be behind. */
    async roundsChangedSince(since: Date): Promise<string[]> {
      const rounds: unknown[] = await Tallies.distinct('roundId', { updatedAt: { $gt: since } });
      return rounds.map(String);
    },
  };
}

/** The stamps a round's figures were computed from, as one string: figures are behind when it differs. */
export function talliesBasisOf(tallies: ReadonlyArray<Pick<ProvinceTally, 'provinceCode' | 'stamp'>>): string {
  const text = tallies
    .map((t) => `${t.provinceCode}:${t.stamp}`)
    .sort()
    .join(',');
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

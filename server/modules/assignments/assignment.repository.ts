/** Fieldwork on sample units: who works which unit, the status they report, and the response that completes it. */
import type { Connection } from 'mongoose';
import { sampleUnitKey, sampleUnitModelOn, toSampleUnit, type SampleUnitDoc, type SampleUnitRecord } from '../samples/sample-unit.model';
import type { UnitStatus } from '../samples/sample.schema';

export type AssignmentRepository = ReturnType<typeof createAssignmentRepository>;

export function createAssignmentRepository(connection: Connection) {
  const Units = sampleUnitModelOn(connection);
  return {
    /** Units assigned to a user in the given rounds. */
    async unitsAssignedTo(username: string, roundIds: ReadonlyArray<string>): Promise<SampleUnitRecord[]> {
      const docs = await Units.find({ assignedTo: username, roundId: { $in: [...roundIds] } })
        .sort({ roundId: 1, provinceCode: 1, unitId: 1 })
        .lean();
      return docs.map((d) => toSampleUnit(d as SampleUnitDoc));
    },
    /**
     * Assigns units that are not completed; returns how many were matched. A refused or unreachable
     * unit given to another enumerator starts again (`not-started`): the new enumerator tries anew,
     * and a late report of the old one, older than this, changes nothing.
     */
    async assign(roundId: string, unitIds: ReadonlyArray<string>, assignedTo: string | null, by: string, at: Date): Promise<number> {
      if (assignedTo !== null) {
        await Units.updateMany(
          { _id: { $in: unitIds.map((id) => sampleUnitKey(roundId, id)) }, status: { $in: ['refused', 'not-reachable'] }, assignedTo: { $ne: assignedTo } },
          { $set: { status: 'not-started', statusAt: at, statusNote: null, statusBy: by } },
        );
      }
      const result = await Units.updateMany(
        { _id: { $in: unitIds.map((id) => sampleUnitKey(roundId, id)) }, status: { $ne: 'completed' } },
        { $set: { assignedTo, assignedAt: assignedTo === null ? null : at, assignedBy: by } },
      );
      return result.matchedCount;
    },
    /**
     * Records a status reported at `at`, unless the unit is completed or holds a report from
     * later (devices sync out of order). Returns the unit as it is afterwards.
     */
    async recordStatus(
      roundId: string,
      unitId: string,
      change: { status: Exclude<UnitStatus, 'completed' | 'not-started'>; note: string | null; at: Date; by: string },
    ): Promise<{ applied: boolean; unit: SampleUnitRecord | undefined }> {
      const key = sampleUnitKey(roundId, unitId);
      const doc = await Units.findOneAndUpdate(
        { _id: key, status: { $ne: 'completed' }, $or: [{ statusAt: null }, { statusAt: { $lte: change.at } }] },
        { $set: { status: change.status, statusNote: change.note, statusAt: change.at, statusBy: change.by } },
        { returnDocument: 'after' },
      ).lean();
      if (doc) return { applied: true, unit: toSampleUnit(doc as SampleUnitDoc) };
      const current = await Units.findById(key).lean();
      return { applied: false, unit: current ? toSampleUnit(current as SampleUnitDoc) : undefined };
    },
    /**
     * Marks units completed by their responses, in one round trip. Idempotent: the same response
     * again changes nothing, and a unit completed by another response stays with it. Returns how
     * many units now name the given response.
     */
    async markCompleted(completions: ReadonlyArray<{ roundId: string; unitId: string; responseId: string }>, at: Date, by: string): Promise<number> {
      if (completions.length === 0) return 0;
      const result = await Units.bulkWrite(
        completions.map((c) => ({
          updateOne: {
            filter: { _id: sampleUnitKey(c.roundId, c.unitId), $or: [{ responseId: null }, { responseId: c.responseId }] },
            update: { $set: { status: 'completed', responseId: c.responseId, statusAt: at, statusBy: by, statusNote: null } },
          },
        })),
        { ordered: false },
      );
      return result.matchedCount;
    },
  };
}

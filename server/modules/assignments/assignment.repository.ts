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
     * unit given to someone else starts afresh (`not-started`): the new enumerator tries again, and
     * the earlier outcome stays in its note and in the previous enumerator's reports.
     */
    async assign(roundId: string, unitIds: ReadonlyArray<string>, assignedTo: string | null, by: string, at: Date): Promise<number> {
      const keys = unitIds.map((id) => sampleUnitKey(roundId, id));
      if (assignedTo !== null) {
        const ended = await Units.find({ _id: { $in: keys }, status: { $in: ['refused', 'not-reachable'] }, assignedTo: { $ne: assignedTo } }, { status: 1, statusNote: 1 }).lean();
        if (ended.length > 0) {
          await Units.bulkWrite(
            ended.map((u) => ({
              updateOne: {
                filter: { _id: u._id, status: u.status },
                update: { $set: { status: 'not-started', statusNote: `reassigned after ${u.status}${u.statusNote ? `: ${u.statusNote}` : ''}`, statusAt: at, statusBy: by, appointmentAt: null } },
              },
            })),
            { ordered: false },
          );
        }
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
      change: { status: Exclude<UnitStatus, 'completed' | 'not-started'>; appointmentAt: Date | null; note: string | null; at: Date; by: string },
    ): Promise<{ applied: boolean; unit: SampleUnitRecord | undefined }> {
      const key = sampleUnitKey(roundId, unitId);
      const doc = await Units.findOneAndUpdate(
        { _id: key, status: { $ne: 'completed' }, $or: [{ statusAt: null }, { statusAt: { $lte: change.at } }] },
        { $set: { status: change.status, appointmentAt: change.appointmentAt, statusNote: change.note, statusAt: change.at, statusBy: change.by } },
        { returnDocument: 'after' },
      ).lean();
      if (doc) return { applied: true, unit: toSampleUnit(doc as SampleUnitDoc) };
      const current = await Units.findById(key).lean();
      return { applied: false, unit: current ? toSampleUnit(current as SampleUnitDoc) : undefined };
    },
    /**
     * Opens a completed unit again when the response that completed it is returned to its enumerator:
     * only while that response is still the one that completed it. The unit stays with its enumerator.
     */
    async reopen(roundId: string, unitId: string, responseId: string, at: Date, by: string): Promise<boolean> {
      const result = await Units.updateOne(
        { _id: sampleUnitKey(roundId, unitId), responseId },
        { $set: { status: 'in-progress', responseId: null, statusAt: at, statusBy: by, statusNote: `response ${responseId} returned for correction` } },
      );
      return result.matchedCount === 1;
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

/** The sample frame of a round as imported: its units, without personal data, listed and counted. */
import type { Connection } from 'mongoose';
import type { FieldScope } from '../../../survey-forms/field-scope';
import type { AnswerCode } from '../../../survey-forms/form-definition.schema';
import { scopeMatch } from '../../db/scope-match';
import { sampleUnitKey, sampleUnitModelOn, toSampleUnit, type SampleUnitDoc, type SampleUnitRecord } from './sample-unit.model';
import type { UnitStatus } from './sample.schema';

export interface SampleUnitFilter {
  scope?: FieldScope;
  /** null: units assigned to nobody. */
  assignedTo?: string | null;
  status?: UnitStatus;
  servingLevel?: AnswerCode;
  serviceField?: AnswerCode;
}

export type SampleUnitRepository = ReturnType<typeof createSampleUnitRepository>;

export function createSampleUnitRepository(connection: Connection) {
  const Units = sampleUnitModelOn(connection);
  const query = (roundId: string, filter: SampleUnitFilter) => ({
    roundId,
    ...scopeMatch(filter.scope),
    ...(filter.assignedTo !== undefined ? { assignedTo: filter.assignedTo } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.servingLevel !== undefined ? { servingLevel: filter.servingLevel } : {}),
    ...(filter.serviceField !== undefined ? { serviceField: filter.serviceField } : {}),
  });
  return {
    /** Those of the ids that are already in the round's sample. */
    async existingUnitIds(roundId: string, unitIds: ReadonlyArray<string>): Promise<Set<string>> {
      if (unitIds.length === 0) return new Set();
      const docs = await Units.find({ _id: { $in: unitIds.map((id) => sampleUnitKey(roundId, id)) } }, { unitId: 1 }).lean();
      return new Set(docs.map((d) => d.unitId));
    },
    /**
     * Stores units; returns the unit ids another import stored in between (refused by the unique key).
     * Their contacts are stored first (see the sample service), so a unit never lacks its contact.
     */
    async insert(units: ReadonlyArray<SampleUnitRecord>): Promise<Set<string>> {
      const raced = new Set<string>();
      if (units.length === 0) return raced;
      try {
        await Units.insertMany(
          units.map((u) => ({ _id: sampleUnitKey(u.roundId, u.unitId), ...u })),
          { ordered: false },
        );
      } catch (error) {
        const writeErrors = (error as { writeErrors?: Array<{ index?: number; code?: number; err?: { index?: number; code?: number } }> }).writeErrors;
        if (!writeErrors) throw error;
        for (const we of writeErrors) {
          const index = we.index ?? we.err?.index;
          if ((we.code ?? we.err?.code) !== 11000 || index === undefined) throw error;
          const unit = units[index];
          if (unit) raced.add(unit.unitId);
        }
      }
      return raced;
    },
    async findUnit(roundId: string, unitId: string): Promise<SampleUnitRecord | undefined> {
      const doc = await Units.findById(sampleUnitKey(roundId, unitId)).lean();
      return doc ? toSampleUnit(doc as SampleUnitDoc) : undefined;
    },
    /** Units by key (`sampleUnitKey`). */
    async findUnits(keys: ReadonlyArray<string>): Promise<Map<string, SampleUnitRecord>> {
      if (keys.length === 0) return new Map();
      const docs = await Units.find({ _id: { $in: keys } }).lean();
      return new Map(docs.map((d) => [d._id, toSampleUnit(d as SampleUnitDoc)]));
    },
    /** Units matching a filter that are not completed, by province and unit id, at most `limit`. */
    async selectOpenUnits(roundId: string, filter: SampleUnitFilter, limit: number): Promise<SampleUnitRecord[]> {
      const q = { ...query(roundId, filter), ...(filter.status ? {} : { status: { $ne: 'completed' } }) };
      const docs = await Units.find(q).sort({ provinceCode: 1, unitId: 1 }).limit(limit).lean();
      return docs.map((d) => toSampleUnit(d as SampleUnitDoc));
    },
    async listUnits(roundId: string, filter: SampleUnitFilter, page: { offset: number; limit: number }): Promise<{ total: number; units: SampleUnitRecord[] }> {
      const q = query(roundId, filter);
      const [total, docs] = await Promise.all([
        Units.countDocuments(q),
        Units.find(q).sort({ provinceCode: 1, unitId: 1 }).skip(page.offset).limit(page.limit).lean(),
      ]);
      return { total, units: docs.map((d) => toSampleUnit(d as SampleUnitDoc)) };
    },
    /** A round's units counted by status and by whether they are assigned (one pass over the round, led by its index). */
    async countByStatus(roundId: string): Promise<Array<{ status: string; assigned: boolean; units: number }>> {
      const rows = await Units.aggregate<{ _id: { s: string; a: boolean }; n: number }>([
        { $match: { roundId } },
        { $group: { _id: { s: '$status', a: { $ne: [{ $ifNull: ['$assignedTo', null] }, null] } }, n: { $sum: 1 } } },
      ]);
      return rows.map((r) => ({ status: r._id.s, assigned: r._id.a, units: r.n }));
    },
    /** Units of a round counted per cell (province × serving level × service field × respondent type), post office, enumerator and status. */
    async countByCellAndStatus(
      roundId: string,
      scope: FieldScope | undefined,
    ): Promise<
      Array<{ provinceCode: string; postOffice: string | null; assignedTo: string | null; servingLevel: AnswerCode; serviceField: AnswerCode; respondentType: AnswerCode; status: string; units: number }>
    > {
      type Key = { p: string; o?: string | null; a?: string | null; l: AnswerCode; f: AnswerCode; t: AnswerCode; s: string };
      const rows = await Units.aggregate<{ _id: Key; n: number }>([
        { $match: { roundId, ...scopeMatch(scope) } },
        { $group: { _id: { p: '$provinceCode', o: '$postOffice', a: '$assignedTo', l: '$servingLevel', f: '$serviceField', t: '$respondentType', s: '$status' }, n: { $sum: 1 } } },
      ]);
      return rows.map((r) => ({
        provinceCode: r._id.p,
        postOffice: r._id.o ?? null,
        assignedTo: r._id.a ?? null,
        servingLevel: r._id.l,
        serviceField: r._id.f,
        respondentType: r._id.t,
        status: r._id.s,
        units: r.n,
      }));
    },
  };
}

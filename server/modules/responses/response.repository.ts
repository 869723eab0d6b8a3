import { Schema, type Connection } from 'mongoose';
import { isDuplicateKeyError } from '../../db/errors';
import { modelOn } from '../../db/model';
import type { AnswerCode } from '../../../survey-forms/form-definition.schema';
import type { TalliedResponse } from '../../../survey-forms/tally';
import { MICRODATA_PROJECTION, type MicrodataSource } from '../exports/microdata';
import type { QualityFlag } from '../quality/quality-rules';

/**
 * Where a response stands in quality review. New responses are `unchecked`; the quality worker makes
 * them `clear` or `flagged`; a supervisor turns a response `approved` or `rejected`.
 */
export const REVIEW_STATUSES = ['unchecked', 'clear', 'flagged', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** The review states whose responses count in tallies, figures and microdata. */
export const COUNTED_STATUSES: ReadonlyArray<ReviewStatus> = ['clear', 'approved'];

/** A supervisor's decision on a response. */
export interface ReviewDecision {
  decision: 'approved' | 'rejected';
  reason: string;
  by: string;
  at: Date;
}

const responseSchema = new Schema(
  {
    /** The device-generated UUID: the unique index that makes a re-send harmless. */
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    formId: { type: String, required: true },
    formVersion: { type: String, required: true },
    provinceCode: { type: String, required: true },
    answers: { type: Schema.Types.Mixed, required: true },
    paradata: { type: Schema.Types.Mixed, required: true },
    /** Design weight, when the sample gave one; absent counts as 1. */
    weight: { type: Number },
    /** The sample unit interviewed, when the response names one. */
    sampleUnitId: { type: String, default: null },
    /** SHA-256 of the submitted item in canonical JSON: tells a re-send from a conflicting one. */
    contentHash: { type: String, required: true },
    submittedBy: { type: String, required: true },
    storedAt: { type: Date, required: true },
    /** paradata.startedAt and endedAt as dates, so interviews can be compared in time whatever the device's offset. */
    interviewStartedAt: { type: Date, required: true },
    interviewEndedAt: { type: Date, required: true },
    reviewStatus: { type: String, enum: REVIEW_STATUSES, required: true },
    /** What the quality checks found; empty when clear or not yet checked. */
    qualityFlags: { type: [Schema.Types.Mixed], default: [] },
    checkedAt: { type: Date, default: null },
    /** The latest supervisor decision; the audit log keeps them all. */
    review: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, collection: 'responses', minimize: false },
);
// _id last: a province's responses are tallied in id order, so a recompute reads them identically.
responseSchema.index({ roundId: 1, provinceCode: 1, _id: 1 });
responseSchema.index({ storedAt: 1 });
responseSchema.index({ checkedAt: 1 });
responseSchema.index({ 'review.at': 1 });
responseSchema.index({ reviewStatus: 1, roundId: 1, provinceCode: 1 });
responseSchema.index({ roundId: 1, sampleUnitId: 1 });
responseSchema.index({ roundId: 1, submittedBy: 1, interviewStartedAt: 1 });

export interface StoredResponse {
  id: string;
  roundId: string;
  formId: string;
  formVersion: string;
  provinceCode: string;
  answers: Record<string, unknown>;
  paradata: Record<string, unknown>;
  weight?: number;
  sampleUnitId: string | null;
  contentHash: string;
  submittedBy: string;
  storedAt: Date;
  interviewStartedAt: Date;
  interviewEndedAt: Date;
  reviewStatus: ReviewStatus;
  qualityFlags: QualityFlag[];
  checkedAt: Date | null;
  review: ReviewDecision | null;
}

/**
 * The responses a tally reads (of one province, or of the whole round): those checked and found
 * clear, or approved by a supervisor. One filter for the tally, the sweep's count, a full recompute's
 * and the microdata, so they agree.
 */
export function countedFilter(roundId: string, provinceCode?: string) {
  return { roundId, ...(provinceCode !== undefined ? { provinceCode } : {}), reviewStatus: { $in: [...COUNTED_STATUSES] } };
}

/** Responses stored before quality review existed carry no review fields: they read as unchecked, and the sweep checks them. */
const UNCHECKED = { $in: ['unchecked' as const, null] };

type ResponseDoc = Omit<StoredResponse, 'id' | 'reviewStatus' | 'qualityFlags' | 'interviewStartedAt' | 'interviewEndedAt' | 'checkedAt' | 'review'> & {
  _id: string;
  reviewStatus?: ReviewStatus;
  qualityFlags?: QualityFlag[];
  interviewStartedAt?: Date;
  interviewEndedAt?: Date;
  checkedAt?: Date | null;
  review?: ReviewDecision | null;
};
const toStored = ({ _id, ...doc }: ResponseDoc): StoredResponse => ({
  ...doc,
  id: _id,
  reviewStatus: doc.reviewStatus ?? 'unchecked',
  qualityFlags: doc.qualityFlags ?? [],
  interviewStartedAt: doc.interviewStartedAt ?? new Date(String(doc.paradata.startedAt)),
  interviewEndedAt: doc.interviewEndedAt ?? new Date(String(doc.paradata.endedAt)),
  checkedAt: doc.checkedAt ?? null,
  review: doc.review ?? null,
});

export type ResponseRepository = ReturnType<typeof createResponseRepository>;

export function createResponseRepository(connection: Connection) {
  const Responses = modelOn(connection, 'Response', responseSchema);
  return {
    model: Responses,
    /** Content hashes of those ids that are already stored. */
    async findHashes(ids: ReadonlyArray<string>): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const docs = await Responses.find({ _id: { $in: ids } }, { contentHash: 1 }).lean();
      return new Map(docs.map((d) => [d._id, d.contentHash]));
    },
    /**
     * Inserts responses; returns the ids refused by the unique index (stored meanwhile by a
     * concurrent request). Any other failure is thrown.
     */
    async insertNew(responses: ReadonlyArray<StoredResponse>): Promise<Set<string>> {
      const rejected = new Set<string>();
      if (responses.length === 0) return rejected;
      try {
        await Responses.insertMany(
          responses.map(({ id, ...rest }) => ({ _id: id, ...rest })),
          { ordered: false, rawResult: false, lean: true },
        );
      } catch (error) {
        const writeErrors = (error as { writeErrors?: Array<{ index?: number; code?: number; err?: { index?: number; code?: number } }> }).writeErrors;
        if (!writeErrors) throw error;
        for (const we of writeErrors) {
          const index = we.index ?? we.err?.index;
          const code = we.code ?? we.err?.code;
          if (code !== 11000 || index === undefined) throw error;
          const response = responses[index];
          if (response) rejected.add(response.id);
        }
        if (rejected.size === 0 && !isDuplicateKeyError(error)) throw error;
      }
      return rejected;
    },
    /**
     * Responses of a round's province that count in the figures, streamed from a cursor in id order:
     * the same stored responses are always read, and summed, in the same order.
     */
    streamForTally(roundId: string, provinceCode: string): AsyncIterable<TalliedResponse> {
      return Responses.find(countedFilter(roundId, provinceCode), { provinceCode: 1, answers: 1, weight: 1 }).sort({ _id: 1 }).lean().cursor() as AsyncIterable<TalliedResponse>;
    },
    /**
     * The round's cells per province: how many distinct (respondent type, serving level, service
     * field) combinations each province's responses fall in. A full recompute counts its progress in these.
     */
    async cellCounts(roundId: string, dimensionItems: ReadonlyArray<string>): Promise<Map<string, number>> {
      const rows = await Responses.aggregate<{ _id: string; cells: number }>([
        { $match: countedFilter(roundId) },
        {
          $group: {
            _id: { provinceCode: '$provinceCode', ...Object.fromEntries(dimensionItems.map((item, i) => [`d${i}`, `$answers.${item}`])) },
          },
        },
        { $group: { _id: '$_id.provinceCode', cells: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id, r.cells]));
    },
    /** How many responses a round has and when the last was stored: what a full recompute would read. */
    async roundState(roundId: string): Promise<{ responses: number; latestStoredAt: Date | null }> {
      const rows = await Responses.aggregate<{ responses: number; latest: Date }>([
        { $match: countedFilter(roundId) },
        { $group: { _id: null, responses: { $sum: 1 }, latest: { $max: '$storedAt' } } },
      ]);
      const row = rows[0];
      return { responses: row?.responses ?? 0, latestStoredAt: row?.latest ?? null };
    },
    /**
     * Per round and province, the latest time a response was stored, checked or decided on after
     * `since`: the provinces whose counted responses may have changed.
     */
    async latestStoredSince(since: Date): Promise<Array<{ roundId: string; provinceCode: string; latest: Date }>> {
      const rows = await Responses.aggregate<{ _id: { roundId: string; provinceCode: string }; latest: Date }>([
        { $match: { $or: [{ storedAt: { $gt: since } }, { checkedAt: { $gt: since } }, { 'review.at': { $gt: since } }] } },
        { $group: { _id: { roundId: '$roundId', provinceCode: '$provinceCode' }, latest: { $max: '$storedAt' } } },
      ]);
      return rows.map((r) => ({ roundId: r._id.roundId, provinceCode: r._id.provinceCode, latest: r.latest }));
    },
    /** How many responses of a round's province count in the figures (what a fresh tally would read). */
    async countForTally(roundId: string, provinceCode: string): Promise<number> {
      return Responses.countDocuments(countedFilter(roundId, provinceCode));
    },
    /**
     * The round's stored responses grouped by review status, and how many of each count in the figures:
     * what a download's metadata says was included and what was left out. Status null: never reviewed.
     */
    async reviewBreakdown(roundId: string): Promise<Array<{ reviewStatus: string | null; stored: number; counted: number }>> {
      const group = [{ $group: { _id: { $ifNull: ['$reviewStatus', null] }, n: { $sum: 1 } } }];
      const [stored, counted] = await Promise.all([
        Responses.aggregate<{ _id: string | null; n: number }>([{ $match: { roundId } }, ...group]),
        Responses.aggregate<{ _id: string | null; n: number }>([{ $match: countedFilter(roundId) }, ...group]),
      ]);
      const countedOf = new Map(counted.map((r) => [r._id, r.n]));
      return stored
        .map((r) => ({ reviewStatus: r._id, stored: r.n, counted: countedOf.get(r._id) ?? 0 }))
        .sort((a, b) => String(a.reviewStatus).localeCompare(String(b.reviewStatus)));
    },
    /**
     * Counted responses of a round by province, then id (the tally's index serves the sort), with only
     * what microdata may show.
     */
    streamForMicrodata(roundId: string, batchSize = 1000): AsyncIterable<MicrodataSource> {
      return Responses.find(countedFilter(roundId), MICRODATA_PROJECTION).sort({ provinceCode: 1, _id: 1 }).lean().cursor({ batchSize }) as AsyncIterable<MicrodataSource>;
    },
    async countCounted(roundId: string): Promise<number> {
      return Responses.countDocuments(countedFilter(roundId));
    },
    async countByRound(roundId: string): Promise<number> {
      return Responses.countDocuments({ roundId });
    },
    async findById(id: string): Promise<StoredResponse | undefined> {
      const doc = await Responses.findById(id).lean();
      return doc ? toStored(doc as unknown as ResponseDoc) : undefined;
    },
    async findByIds(ids: ReadonlyArray<string>): Promise<StoredResponse[]> {
      if (ids.length === 0) return [];
      const docs = await Responses.find({ _id: { $in: [...ids] } }).sort({ _id: 1 }).lean();
      return docs.map((d) => toStored(d as unknown as ResponseDoc));
    },
    /** Ids of other responses of a round for these sample units (rejected ones left out: they no longer count). */
    async othersForSampleUnits(roundId: string, unitIds: ReadonlyArray<string>): Promise<Array<{ id: string; sampleUnitId: string }>> {
      if (unitIds.length === 0) return [];
      const docs = await Responses.find({ roundId, sampleUnitId: { $in: [...unitIds] }, reviewStatus: { $ne: 'rejected' } }, { sampleUnitId: 1 }).lean();
      return docs.map((d) => ({ id: d._id, sampleUnitId: String(d.sampleUnitId) }));
    },
    /** Interviews of an enumerator in a round that overlap [start, end] at all (rejected ones left out). */
    async interviewsOverlapping(roundId: string, submittedBy: string, start: Date, end: Date): Promise<Array<{ responseId: string; startedAt: Date; endedAt: Date }>> {
      const docs = await Responses.find(
        { roundId, submittedBy, interviewStartedAt: { $lt: end }, interviewEndedAt: { $gt: start }, reviewStatus: { $ne: 'rejected' } },
        { interviewStartedAt: 1, interviewEndedAt: 1 },
      ).lean();
      return docs.map((d) => ({ responseId: d._id, startedAt: d.interviewStartedAt, endedAt: d.interviewEndedAt }));
    },
    /**
     * Records the quality checks' verdicts, in one round trip, on responses still unchecked (a verdict
     * never replaces another, nor a decision). Returns how many were recorded now.
     */
    async recordChecks(verdicts: ReadonlyArray<{ id: string; flags: ReadonlyArray<QualityFlag> }>, at: Date): Promise<number> {
      if (verdicts.length === 0) return 0;
      const result = await Responses.bulkWrite(
        verdicts.map(({ id, flags }) => ({
          updateOne: {
            filter: { _id: id, reviewStatus: UNCHECKED },
            update: { $set: { reviewStatus: flags.length > 0 ? 'flagged' : 'clear', qualityFlags: [...flags], checkedAt: at } },
          },
        })),
        { ordered: false },
      );
      return result.modifiedCount;
    },
    /**
     * Records a supervisor's decision, only if the response is still in the state the supervisor saw
     * (`from`): two supervisors deciding at once cannot both win. Returns the response afterwards, or
     * undefined when its state had changed.
     */
    async recordDecision(id: string, from: ReviewStatus, decision: ReviewDecision): Promise<StoredResponse | undefined> {
      const doc = await Responses.findOneAndUpdate(
        { _id: id, reviewStatus: from },
        { $set: { reviewStatus: decision.decision, review: decision } },
        { returnDocument: 'after' },
      ).lean();
      return doc ? toStored(doc as unknown as ResponseDoc) : undefined;
    },
    /** Unchecked responses per round, oldest first: what the sweep hands to the quality checks. */
    async uncheckedIds(limit: number): Promise<Array<{ roundId: string; id: string }>> {
      const docs = await Responses.find({ reviewStatus: UNCHECKED }, { roundId: 1 }).sort({ storedAt: 1, _id: 1 }).limit(limit).lean();
      return docs.map((d) => ({ roundId: d.roundId, id: d._id }));
    },
    /** Responses of a round in review states, counted per province and state. */
    async countByProvinceAndStatus(roundId: string, provinces?: ReadonlyArray<string>): Promise<Array<{ provinceCode: string; reviewStatus: ReviewStatus; responses: number }>> {
      const rows = await Responses.aggregate<{ _id: { provinceCode: string; reviewStatus: ReviewStatus | null }; responses: number }>([
        { $match: { roundId, ...(provinces ? { provinceCode: { $in: [...provinces] } } : {}) } },
        { $group: { _id: { provinceCode: '$provinceCode', reviewStatus: '$reviewStatus' }, responses: { $sum: 1 } } },
      ]);
      return rows.map((r) => ({ provinceCode: r._id.provinceCode, reviewStatus: r._id.reviewStatus ?? 'unchecked', responses: r.responses }));
    },
    /**
     * A round's responses counted per cell (province × the dimension items' answers), review state and
     * whether a rule flagged them: one aggregation over stored responses, so counts are exact whatever
     * was submitted at the same time, and equal to a recount.
     */
    async countByCell(
      roundId: string,
      dimensions: { servingLevel: string; serviceField: string; respondentType: string },
      provinces: ReadonlyArray<string> | undefined,
    ): Promise<Array<{ provinceCode: string; servingLevel: AnswerCode | null; serviceField: AnswerCode | null; respondentType: AnswerCode | null; reviewStatus: ReviewStatus; flagged: boolean; responses: number }>> {
      type Row = { _id: { p: string; l?: AnswerCode | null; f?: AnswerCode | null; t?: AnswerCode | null; s?: ReviewStatus | null; x: boolean }; n: number };
      const rows = await Responses.aggregate<Row>([
        { $match: { roundId, ...(provinces ? { provinceCode: { $in: [...provinces] } } : {}) } },
        {
          $group: {
            _id: {
              p: '$provinceCode',
              l: `$answers.${dimensions.servingLevel}`,
              f: `$answers.${dimensions.serviceField}`,
              t: `$answers.${dimensions.respondentType}`,
              s: '$reviewStatus',
              x: { $gt: [{ $size: { $ifNull: ['$qualityFlags', []] } }, 0] },
            },
            n: { $sum: 1 },
          },
        },
      ]);
      return rows.map((r) => ({
        provinceCode: r._id.p,
        servingLevel: r._id.l ?? null,
        serviceField: r._id.f ?? null,
        respondentType: r._id.t ?? null,
        reviewStatus: r._id.s ?? 'unchecked',
        flagged: r._id.x,
        responses: r.n,
      }));
    },
    /** Interviews not rejected per province, serving level, service field and day they ended (Vietnam time, UTC+7). */
    async dailyByCell(
      roundId: string,
      dimensions: { servingLevel: string; serviceField: string },
      provinces: ReadonlyArray<string> | undefined,
    ): Promise<Array<{ provinceCode: string; servingLevel: AnswerCode | null; serviceField: AnswerCode | null; day: string; responses: number }>> {
      const rows = await Responses.aggregate<{ _id: { p: string; l?: AnswerCode | null; f?: AnswerCode | null; d: string }; n: number }>([
        { $match: { roundId, reviewStatus: { $ne: 'rejected' }, ...(provinces ? { provinceCode: { $in: [...provinces] } } : {}) } },
        {
          $group: {
            _id: {
              p: '$provinceCode',
              l: `$answers.${dimensions.servingLevel}`,
              f: `$answers.${dimensions.serviceField}`,
              d: { $dateToString: { format: '%Y-%m-%d', date: '$interviewEndedAt', timezone: '+07:00' } },
            },
            n: { $sum: 1 },
          },
        },
      ]);
      return rows.map((r) => ({ provinceCode: r._id.p, servingLevel: r._id.l ?? null, serviceField: r._id.f ?? null, day: r._id.d, responses: r.n }));
    },
    /** Per enumerator: responses, flagged ones, rejected ones, days with interviews (Vietnam time). */
    async countByEnumerator(
      roundId: string,
      provinces: ReadonlyArray<string> | undefined,
    ): Promise<Array<{ username: string; responses: number; flagged: number; rejected: number; activeDays: number; lastDay: string }>> {
      const day = { $dateToString: { format: '%Y-%m-%d', date: '$interviewEndedAt', timezone: '+07:00' } };
      const rows = await Responses.aggregate<{ _id: string; n: number; flagged: number; rejected: number; days: string[] }>([
        { $match: { roundId, ...(provinces ? { provinceCode: { $in: [...provinces] } } : {}) } },
        {
          $group: {
            _id: '$submittedBy',
            n: { $sum: 1 },
            flagged: { $sum: { $cond: [{ $gt: [{ $size: { $ifNull: ['$qualityFlags', []] } }, 0] }, 1, 0] } },
            rejected: { $sum: { $cond: [{ $eq: ['$reviewStatus', 'rejected'] }, 1, 0] } },
            days: { $addToSet: day },
          },
        },
      ]);
      return rows
        .map((r) => ({ username: r._id, responses: r.n, flagged: r.flagged, rejected: r.rejected, activeDays: r.days.length, lastDay: [...r.days].sort().at(-1) ?? '' }))
        .sort((a, b) => a.username.localeCompare(b.username));
    },
    /** A page of a round's responses in one review state, within some provinces, oldest first. */
    async listByStatus(
      roundId: string,
      statuses: ReadonlyArray<ReviewStatus>,
      provinces: ReadonlyArray<string> | undefined,
      page: { offset: number; limit: number },
    ): Promise<{ total: number; responses: StoredResponse[] }> {
      const q = { roundId, reviewStatus: { $in: [...statuses, ...(statuses.includes('unchecked') ? [null] : [])] }, ...(provinces ? { provinceCode: { $in: [...provinces] } } : {}) };
      const [total, docs] = await Promise.all([
        Responses.countDocuments(q),
        Responses.find(q).sort({ storedAt: 1, _id: 1 }).skip(page.offset).limit(page.limit).lean(),
      ]);
      return { total, responses: docs.map((d) => toStored(d as unknown as ResponseDoc)) };
    },
  };
}

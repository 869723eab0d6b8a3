/**
 * The responses collection: its schema and indexes, the stored shape, and the filters every reader
 * shares. Each reader has its own repository beside its use case (storing here in responses/, review
 * queries in review/, statistics in quotas/, microdata in exports/, tally feeds in aggregates/, checks
 * in quality/); they all open the collection through `responseModelOn`.
 */
import { Schema, type Connection } from 'mongoose';
import { interviewLengthClass, type QualityFlag } from '../../../survey-forms/quality-rules';
import { UNVERIFIED_STATES, type VerificationState } from '../../../survey-forms/keying';
import type { ResponseMode } from '../../../survey-forms/modes';
import { COUNTED_STATUSES, REVIEW_STATUSES, type ReviewDecisionKind, type ReviewStatus } from '../../../survey-forms/review-status';
import { modelOn } from '../../db/model';

/** A supervisor's decision on a response. */
export interface ReviewDecision {
  decision: ReviewDecisionKind;
  reason: string;
  by: string;
  at: Date;
  /** With `returned`: what to correct, item by item, beside the items on the enumerator's device. */
  comments?: Array<{ item: string; text: string }>;
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
    /** How the answers were collected (capi, papi, cawi); responses stored before modes existed read as capi. */
    mode: { type: String },
    /** The serial of a keyed paper form; null otherwise. */
    serial: { type: String, default: null },
    /** Double entry of a keyed paper form (see survey-forms/keying.ts); null when the form is not keyed twice. */
    verification: { type: String, default: null },
    /** SHA-256 of the answers alone (canonical JSON): finds keyed forms with identical answers. */
    answersHash: { type: String },
    /** The post office whose unit (or, without one, whose enumerator) the response is of: who supervises it. */
    postOffice: { type: String, default: null },
    /** A corrected resend names the returned response it replaces; the returned one names its correction. */
    correctsResponseId: { type: String, default: null },
    correctedByResponseId: { type: String, default: null },
    /** SHA-256 of the submitted item in canonical JSON: tells a re-send from a conflicting one. */
    contentHash: { type: String, required: true },
    submittedBy: { type: String, required: true },
    storedAt: { type: Date, required: true },
    /** paradata.startedAt and endedAt as dates, so interviews can be compared in time whatever the device's offset. */
    interviewStartedAt: { type: Date, required: true },
    interviewEndedAt: { type: Date, required: true },
    /** The interview's length class (survey-forms/quality-rules.ts): lets the overlap check read bounded windows. */
    interviewLengthClass: { type: Number, required: true },
    reviewStatus: { type: String, enum: REVIEW_STATUSES, required: true },
    /** What the quality checks found; empty when clear or not yet checked. */
    qualityFlags: { type: [Schema.Types.Mixed], default: [] },
    checkedAt: { type: Date, default: null },
    /** Key of the quality check that recorded the verdict: its tally change adds exactly these responses, once. */
    checkedBy: { type: String, default: null },
    /** The latest supervisor decision; the audit log keeps them all. */
    review: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, collection: 'responses', minimize: false },
);
/*
 * Indexes. Every per-round query's index starts with roundId; the sweep's queries span rounds and
 * have their own. What each serves (README "Running at scale" has the full table):
 * - {roundId, provinceCode, _id}: a province's counted responses in id order (tally), the microdata
 *   export in province and id order, quota statistics.
 * - {roundId, provinceCode, reviewStatus, storedAt, _id}: per-province review counts (covered, counting
 *   only the states asked for), counted responses per province (sweep), a supervisor's review queue
 *   (their provinces × states merged in storedAt order).
 * - {roundId, reviewStatus, storedAt, _id}: the whole round's review queue in storedAt order, the
 *   breakdown by state of a download, the sweep's unchecked responses (one seek per round).
 * - {roundId, sampleUnitId}: duplicate respondent (same sample unit, or units with the same phone).
 * - {roundId, submittedBy, interviewLengthClass, interviewStartedAt}: overlapping interviews, one
 *   window of start times per length class, each bounded on both sides.
 * - storedAt, checkedAt, review.at: the sweep's "changed since" across rounds.
 */
responseSchema.index({ roundId: 1, provinceCode: 1, _id: 1 });
responseSchema.index({ roundId: 1, provinceCode: 1, reviewStatus: 1, storedAt: 1, _id: 1 });
responseSchema.index({ roundId: 1, reviewStatus: 1, storedAt: 1, _id: 1 });
responseSchema.index({ storedAt: 1 });
responseSchema.index({ checkedAt: 1 });
responseSchema.index({ 'review.at': 1 });
responseSchema.index({ roundId: 1, sampleUnitId: 1 });
responseSchema.index({ roundId: 1, answersHash: 1 });
responseSchema.index({ roundId: 1, verification: 1, provinceCode: 1 });
responseSchema.index({ roundId: 1, postOffice: 1, reviewStatus: 1 });
responseSchema.index({ submittedBy: 1, reviewStatus: 1, roundId: 1 });
responseSchema.index({ roundId: 1, submittedBy: 1, interviewLengthClass: 1, interviewStartedAt: 1 });

/** Indexes of earlier versions that no query uses any more: each costs every insert, so start-up drops them. */
const RETIRED_RESPONSE_INDEXES = ['reviewStatus_1_roundId_1_provinceCode_1', 'roundId_1_submittedBy_1_interviewStartedAt_1'];

/** Drops the retired indexes where they still exist (several processes may try at once: "not found" is fine). */
export async function dropRetiredResponseIndexes(connection: Connection): Promise<void> {
  for (const name of RETIRED_RESPONSE_INDEXES) {
    await connection
      .collection('responses')
      .dropIndex(name)
      .catch((error: unknown) => {
        const code = (error as { code?: number }).code;
        // 26: no such collection yet; 27: no such index.
        if (code !== 26 && code !== 27) throw error;
      });
  }
}

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
  mode: ResponseMode;
  serial: string | null;
  answersHash?: string;
  verification: VerificationState | null;
  postOffice: string | null;
  correctsResponseId: string | null;
  correctedByResponseId: string | null;
  contentHash: string;
  submittedBy: string;
  storedAt: Date;
  interviewStartedAt: Date;
  interviewEndedAt: Date;
  interviewLengthClass: number;
  reviewStatus: ReviewStatus;
  qualityFlags: QualityFlag[];
  checkedAt: Date | null;
  review: ReviewDecision | null;
}

/**
 * The responses a tally reads (of one province, or of the whole round): those checked and found
 * clear, or approved by a supervisor, and, for paper forms keyed twice, agreed or verified. One filter
 * for the tally, the sweep's count, a full recompute's and the microdata, so they agree.
 */
export function countedFilter(roundId: string, provinceCode?: string) {
  return {
    roundId,
    ...(provinceCode !== undefined ? { provinceCode } : {}),
    reviewStatus: { $in: [...COUNTED_STATUSES] },
    verification: { $nin: [...UNVERIFIED_STATES] },
  };
}

/** Responses stored before quality review existed carry no review fields: they read as unchecked, and the sweep checks them. */
export const UNCHECKED = { $in: ['unchecked' as const, null] };

/** A response document as stored (older ones lack the review fields). */
export type ResponseDoc = Omit<
  StoredResponse,
  | 'id'
  | 'mode'
  | 'serial'
  | 'verification'
  | 'reviewStatus'
  | 'qualityFlags'
  | 'interviewStartedAt'
  | 'interviewEndedAt'
  | 'interviewLengthClass'
  | 'checkedAt'
  | 'review'
  | 'postOffice'
  | 'correctsResponseId'
  | 'correctedByResponseId'
> & {
  _id: string;
  mode?: ResponseMode;
  serial?: string | null;
  verification?: VerificationState | null;
  postOffice?: string | null;
  correctsResponseId?: string | null;
  correctedByResponseId?: string | null;
  reviewStatus?: ReviewStatus;
  qualityFlags?: QualityFlag[];
  interviewStartedAt?: Date;
  interviewEndedAt?: Date;
  interviewLengthClass?: number;
  checkedAt?: Date | null;
  review?: ReviewDecision | null;
};
/** A stored document as the repositories hand it on: dates of the interview and review fields filled in for old documents. */
export function toStored({ _id, ...doc }: ResponseDoc): StoredResponse {
  const interviewStartedAt = doc.interviewStartedAt ?? new Date(String(doc.paradata.startedAt));
  const interviewEndedAt = doc.interviewEndedAt ?? new Date(String(doc.paradata.endedAt));
  return {
    ...doc,
    id: _id,
    reviewStatus: doc.reviewStatus ?? 'unchecked',
    qualityFlags: doc.qualityFlags ?? [],
    interviewStartedAt,
    interviewEndedAt,
    interviewLengthClass: doc.interviewLengthClass ?? interviewLengthClass(interviewStartedAt, interviewEndedAt),
    checkedAt: doc.checkedAt ?? null,
    review: doc.review ?? null,
    mode: doc.mode ?? 'capi',
    serial: doc.serial ?? null,
    verification: doc.verification ?? null,
    postOffice: doc.postOffice ?? null,
    correctsResponseId: doc.correctsResponseId ?? null,
    correctedByResponseId: doc.correctedByResponseId ?? null,
  };
}

/** The responses collection's model on a connection (one per connection, whoever asks). */
export function responseModelOn(connection: Connection) {
  return modelOn(connection, 'Response', responseSchema);
}

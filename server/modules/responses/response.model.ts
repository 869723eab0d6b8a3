/**
 * The responses collection: its schema and indexes, the stored shape, and the filters every reader
 * shares. Each reader has its own repository beside its use case (storing here in responses/, review
 * queries in review/, statistics in quotas/, microdata in exports/, tally feeds in aggregates/, checks
 * in quality/); they all open the collection through `responseModelOn`.
 */
import { Schema, type Connection } from 'mongoose';
import type { QualityFlag } from '../../../survey-forms/quality-rules';
import type { ResponseMode } from '../../../survey-forms/modes';
import { COUNTED_STATUSES, REVIEW_STATUSES, type ReviewStatus } from '../../../survey-forms/review-status';
import { modelOn } from '../../db/model';

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
    /** How the answers were collected (capi, papi, cawi); responses stored before modes existed read as capi. */
    mode: { type: String },
    /** The serial of a keyed paper form; null otherwise. */
    serial: { type: String, default: null },
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
  mode: ResponseMode;
  serial: string | null;
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
export const UNCHECKED = { $in: ['unchecked' as const, null] };

/** A response document as stored (older ones lack the review fields). */
export type ResponseDoc = Omit<StoredResponse, 'id' | 'mode' | 'serial' | 'reviewStatus' | 'qualityFlags' | 'interviewStartedAt' | 'interviewEndedAt' | 'checkedAt' | 'review'> & {
  _id: string;
  mode?: ResponseMode;
  serial?: string | null;
  reviewStatus?: ReviewStatus;
  qualityFlags?: QualityFlag[];
  interviewStartedAt?: Date;
  interviewEndedAt?: Date;
  checkedAt?: Date | null;
  review?: ReviewDecision | null;
};
/** A stored document as the repositories hand it on: dates of the interview and review fields filled in for old documents. */
export const toStored = ({ _id, ...doc }: ResponseDoc): StoredResponse => ({
  ...doc,
  id: _id,
  mode: doc.mode ?? 'capi',
  serial: doc.serial ?? null,
  reviewStatus: doc.reviewStatus ?? 'unchecked',
  qualityFlags: doc.qualityFlags ?? [],
  interviewStartedAt: doc.interviewStartedAt ?? new Date(String(doc.paradata.startedAt)),
  interviewEndedAt: doc.interviewEndedAt ?? new Date(String(doc.paradata.endedAt)),
  checkedAt: doc.checkedAt ?? null,
  review: doc.review ?? null,
});

/** The responses collection's model on a connection (one per connection, whoever asks). */
export function responseModelOn(connection: Connection) {
  return modelOn(connection, 'Response', responseSchema);
}

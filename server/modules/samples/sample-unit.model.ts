/**
 * The sample_units collection: one document per sampled unit, holding the sample frame's facts and the
 * fieldwork on it (assignment, status, the response that completed it). Two repositories read it: the
 * sample units' (imports, lists, counts) and the assignments' (who works which unit, and how it went).
 */
import { Schema, type Connection } from 'mongoose';
import type { AnswerCode } from '../../../survey-forms/form-definition.schema';
import { modelOn } from '../../db/model';
import type { UnitStatus } from './sample.schema';

/** One sampled person or organisation of a round: what to interview, who does it, and how it went. No personal data. */
const sampleUnitSchema = new Schema(
  {
    /** `<roundId>|<unitId>`: a unit id is unique within its round. */
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    unitId: { type: String, required: true },
    provinceCode: { type: String, required: true },
    servingLevel: { type: Schema.Types.Mixed, required: true },
    serviceField: { type: Schema.Types.Mixed, required: true },
    respondentType: { type: Schema.Types.Mixed, required: true },
    procedure: { type: String, default: null },
    /** The post office that works the unit (its code); null when the sample list named none. */
    postOffice: { type: String, default: null },
    /** An appointment the enumerator made (outcome `appointment`): when to come back. */
    appointmentAt: { type: Date, default: null },
    assignedTo: { type: String, default: null },
    assignedAt: { type: Date, default: null },
    assignedBy: { type: String, default: null },
    status: { type: String, required: true },
    /** When the status last changed, by the clock of whoever changed it; an older report never replaces a newer one. */
    statusAt: { type: Date, default: null },
    statusNote: { type: String, default: null },
    statusBy: { type: String, default: null },
    /** The response that completed the unit. */
    responseId: { type: String, default: null },
    importedAt: { type: Date, required: true },
    importedBy: { type: String, required: true },
  },
  { versionKey: false, collection: 'sample_units' },
);
sampleUnitSchema.index({ roundId: 1, provinceCode: 1, unitId: 1 });
sampleUnitSchema.index({ assignedTo: 1, roundId: 1 });
sampleUnitSchema.index({ roundId: 1, postOffice: 1, unitId: 1 });

export interface SampleUnitRecord {
  roundId: string;
  unitId: string;
  provinceCode: string;
  servingLevel: AnswerCode;
  serviceField: AnswerCode;
  respondentType: AnswerCode;
  procedure: string | null;
  postOffice: string | null;
  appointmentAt: Date | null;
  assignedTo: string | null;
  assignedAt: Date | null;
  assignedBy: string | null;
  status: UnitStatus;
  statusAt: Date | null;
  statusNote: string | null;
  statusBy: string | null;
  responseId: string | null;
  importedAt: Date;
  importedBy: string;
}

/** Who a unit's status is recorded as set by when its respondent answered online (through their respondent link). */
export const ANSWERED_ONLINE_BY = 'respondent-link';

/** The key of a unit in sample_units and sample_contacts. */
export function sampleUnitKey(roundId: string, unitId: string): string {
  return `${roundId}|${unitId}`;
}

/** A unit document as stored. */
export type SampleUnitDoc = Omit<SampleUnitRecord, 'status' | 'servingLevel' | 'serviceField' | 'respondentType' | 'postOffice' | 'appointmentAt'> & {
  _id: string;
  postOffice?: string | null;
  appointmentAt?: Date | null;
  status: string;
  servingLevel: unknown;
  serviceField: unknown;
  respondentType: unknown;
};

/** A stored unit as the repositories hand it on. */
export const toSampleUnit = ({ _id, ...doc }: SampleUnitDoc): SampleUnitRecord => ({
  ...doc,
  servingLevel: doc.servingLevel as AnswerCode,
  serviceField: doc.serviceField as AnswerCode,
  respondentType: doc.respondentType as AnswerCode,
  status: doc.status as UnitStatus,
  postOffice: doc.postOffice ?? null,
  appointmentAt: doc.appointmentAt ?? null,
});

/** The sample_units collection's model on a connection (one per connection, whoever asks). */
export function sampleUnitModelOn(connection: Connection) {
  return modelOn(connection, 'SampleUnit', sampleUnitSchema);
}

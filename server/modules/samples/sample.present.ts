import type { PersonalData } from '../../../survey-forms/sample-frame';
import type { ImportOutcome } from './sample.service';
import { ANSWERED_ONLINE_BY, type SampleUnitRecord } from './sample-unit.model';
import type { SampleUnitView } from './sample.schema';

/** A unit with its contact, for the assigned enumerator or a supervisor of its province. */
export function presentSampleUnit(unit: SampleUnitRecord, contact: PersonalData, provinceName: string): SampleUnitView {
  return {
    roundId: unit.roundId,
    unitId: unit.unitId,
    provinceCode: unit.provinceCode,
    provinceName,
    servingLevel: unit.servingLevel,
    serviceField: unit.serviceField,
    respondentType: unit.respondentType,
    procedure: unit.procedure,
    postOffice: unit.postOffice,
    assignedTo: unit.assignedTo,
    appointmentAt: unit.appointmentAt?.toISOString() ?? null,
    status: unit.status,
    statusAt: unit.statusAt?.toISOString() ?? null,
    statusNote: unit.statusNote,
    responseId: unit.responseId,
    answeredOnline: unit.status === 'completed' && unit.statusBy === ANSWERED_ONLINE_BY,
    contact: { name: contact.name, phone: contact.phone, address: contact.address },
  };
}

export function presentImport(outcome: ImportOutcome) {
  return { roundId: outcome.roundId, imported: outcome.imported, valid: outcome.valid, dryRun: outcome.dryRun, skipped: outcome.skipped, problems: outcome.problems };
}

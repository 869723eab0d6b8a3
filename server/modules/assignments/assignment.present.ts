import type { PersonalData } from '../../../survey-forms/sample-frame';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { presentRound } from '../rounds/round.present';
import type { RoundRecord } from '../rounds/round.repository';
import type { SampleUnitRecord } from '../samples/sample-unit.model';
import { presentSampleUnit } from '../samples/sample.present';
import type { MyAssignmentsReply } from './assignment.schema';

export function presentAssignment(unit: SampleUnitRecord, contact: PersonalData, round: RoundRecord, provinces: ProvinceReference) {
  return presentSampleUnit(unit, contact, provinces.province(round.boundaryEdition, unit.provinceCode)?.nameShort ?? unit.provinceCode);
}

export function presentMyAssignments(
  mine: { rounds: RoundRecord[]; units: Array<{ unit: SampleUnitRecord; contact: PersonalData; round: RoundRecord }> },
  provinces: ProvinceReference,
): MyAssignmentsReply {
  return {
    rounds: mine.rounds.map(presentRound),
    assignments: mine.units.map(({ unit, contact, round }) => presentAssignment(unit, contact, round, provinces)),
  };
}

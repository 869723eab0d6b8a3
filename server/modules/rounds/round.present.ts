import type { RoundRecord } from './round.repository';
import type { RoundView } from './round.schema';

export function presentRound(round: RoundRecord): RoundView {
  return {
    id: round.id,
    year: round.year,
    formId: round.formId,
    formVersion: round.formVersion,
    boundaryEdition: round.boundaryEdition,
    fieldworkStart: round.fieldworkStart,
    fieldworkEnd: round.fieldworkEnd,
    status: round.status,
    createdAt: round.createdAt.toISOString(),
    createdBy: round.createdBy,
    indexDefinitionId: round.indexDefinitionId,
    indexDefinitionVersion: round.indexDefinitionVersion,
    previousRoundId: round.previousRoundId,
    modes: round.modes,
    doubleEntryShare: round.doubleEntryShare,
  };
}

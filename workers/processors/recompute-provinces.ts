import type { Logger } from 'pino';
import type { FormCatalogue } from '../../survey-forms/catalogue';
import type { ProvinceReference } from '../../survey-forms/provinces';
import { UNIT_TYPES } from '../../survey-forms/provinces';
import { computeRoundFigures } from '../../survey-forms/satisfaction';
import { createTallier } from '../../survey-forms/tally';
import type { AggregateRepository } from '../../server/modules/aggregates/aggregate.repository';
import type { ResponseRepository } from '../../server/modules/responses/response.repository';
import type { RoundRepository } from '../../server/modules/rounds/round.repository';
import type { JobPayloads } from '../queues';
import { UnrecoverableError } from 'bullmq';

export interface RecomputeDeps {
  rounds: RoundRepository;
  responses: ResponseRepository;
  aggregates: AggregateRepository;
  forms: FormCatalogue;
  provinces: ProvinceReference;
  logger: Logger;
  now?: () => Date;
}

export interface RecomputeOutcome {
  status: 'recomputed';
  provincesTallied: number;
  /** False when a later job had already stored newer figures. */
  aggregateWritten: boolean;
  responses: number;
}

/**
 * Re-tallies some provinces of a round from the stored responses, then recomputes the round's
 * figures from all its province tallies. Safe to run twice, and in parallel with itself:
 *
 * - Before reading responses it takes a number from the round's counter; a tally is written only
 *   over one with a lower number. The highest-numbered read began after every earlier job's
 *   responses were stored, so it is the most complete.
 * - After writing tallies it takes another number; it reads all tallies after that, so its figures
 *   include every tally written under a lower number. Again the highest number wins.
 */
export async function recomputeProvinces(deps: RecomputeDeps, payload: JobPayloads['recompute-provinces']): Promise<RecomputeOutcome> {
  const round = await deps.rounds.findById(payload.roundId);
  if (!round) throw new UnrecoverableError(`round ${payload.roundId} does not exist`);
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new UnrecoverableError(`questionnaire ${round.formId} version ${round.formVersion} is not installed`);
  const now = deps.now ?? (() => new Date());

  const readSeq = await deps.rounds.nextAggregationSeq(round.id);
  for (const provinceCode of payload.provinceCodes) {
    const readAt = now();
    const tallier = createTallier(form);
    let responses = 0;
    for await (const response of deps.responses.streamForTally(round.id, provinceCode)) {
      tallier.add(response);
      responses += 1;
    }
    await deps.aggregates.saveTally({
      roundId: round.id,
      provinceCode,
      seq: readSeq,
      readAt,
      responses,
      cells: tallier.cells().map(({ dimensions, tally }) => ({ dimensions, tally })),
    });
  }

  const figureSeq = await deps.rounds.nextAggregationSeq(round.id);
  const tallies = await deps.aggregates.talliesOfRound(round.id);
  const cells = tallies.flatMap((t) => t.cells.map((c) => ({ ...c, provinceCode: t.provinceCode })));
  const unitTypesOn = round.fieldworkStart;
  const figures = computeRoundFigures(
    form,
    cells,
    deps.provinces.provinces(round.boundaryEdition).map((p) => p.code),
    (code) => deps.provinces.unitTypeOn(round.boundaryEdition, code, unitTypesOn),
    UNIT_TYPES,
  );
  const aggregateWritten = await deps.aggregates.saveAggregate({
    roundId: round.id,
    seq: figureSeq,
    computedAt: now(),
    formId: form.definition.formId,
    formVersion: form.definition.version,
    boundaryEdition: round.boundaryEdition,
    unitTypesOn,
    responses: figures.responses,
    byProvince: figures.byProvince,
    byUnitType: figures.byUnitType,
  });
  deps.logger.info(
    { roundId: round.id, provinces: payload.provinceCodes.length, reason: payload.reason, responses: figures.responses, aggregateWritten },
    'recomputed round figures',
  );
  return { status: 'recomputed', provincesTallied: payload.provinceCodes.length, aggregateWritten, responses: figures.responses };
}

import type { FormCatalogue } from '../../../survey-forms/catalogue';
import type { ResponseRepository, StoredResponse } from '../responses/response.repository';
import type { RoundRecord } from '../rounds/round.repository';
import { sampleUnitKey, type SampleRepository } from '../samples/sample.repository';
import type { ProvinceAreaRepository } from './province-area.repository';
import { runQualityRules, satisfactionAnswersOf, type Interval, type QualityFacts, type QualityFlag, type QualityThresholds } from './quality-rules';

export interface QualityDeps {
  responses: ResponseRepository;
  samples: SampleRepository;
  provinceAreas: ProvinceAreaRepository;
  forms: FormCatalogue;
  thresholds: QualityThresholds;
  now?: () => Date;
}

export interface QualityOutcome {
  /** Responses checked now (those already checked are left as they are). */
  checked: number;
  flagged: number;
  /** Provinces of all the given responses: their figures are recomputed after the check. */
  provinceCodes: string[];
}

/**
 * Runs the quality rules on those of the given responses that are still unchecked and records the
 * verdict. Safe to run twice: a response is checked once, and a verdict never replaces a decision.
 */
export async function checkResponses(deps: QualityDeps, round: RoundRecord, responseIds: ReadonlyArray<string>): Promise<QualityOutcome> {
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new Error(`questionnaire ${round.formId}@${round.formVersion} is not installed`);
  const all = (await deps.responses.findByIds(responseIds)).filter((r) => r.roundId === round.id);
  const unchecked = all.filter((r) => r.reviewStatus === 'unchecked');

  const unitIds = [...new Set(unchecked.map((r) => r.sampleUnitId).filter((u): u is string => u !== null))];
  const sameUnit = await deps.responses.othersForSampleUnits(round.id, unitIds);
  const phoneOf = new Map<string, string>();
  const contacts = await deps.samples.findContacts(unitIds.map((u) => sampleUnitKey(round.id, u)));
  for (const c of contacts.values()) if (c.phoneHash !== null) phoneOf.set(c.unitId, c.phoneHash);
  const unitsByPhone = await deps.samples.unitIdsByPhoneHash(round.id, [...new Set(phoneOf.values())]);
  const otherUnitsWithPhone = [...new Set([...unitsByPhone.values()].flat())].filter((u) => !unitIds.includes(u));
  const responsesOfUnits = [...sameUnit, ...(await deps.responses.othersForSampleUnits(round.id, otherUnitsWithPhone))];
  const areas = new Map<string, Awaited<ReturnType<ProvinceAreaRepository['find']>>>();
  // One read per enumerator of the batch: their interviews over the batch's whole time span.
  const interviewsOf = new Map<string, Interval[]>();
  for (const by of new Set(unchecked.map((r) => r.submittedBy))) {
    const mine = unchecked.filter((r) => r.submittedBy === by);
    const from = new Date(Math.min(...mine.map((r) => r.interviewStartedAt.getTime())));
    const to = new Date(Math.max(...mine.map((r) => r.interviewEndedAt.getTime())));
    interviewsOf.set(by, await deps.responses.interviewsOverlapping(round.id, by, from, to));
  }

  const verdicts: Array<{ id: string; flags: QualityFlag[] }> = [];
  for (const response of unchecked) {
    if (!areas.has(response.provinceCode)) areas.set(response.provinceCode, await deps.provinceAreas.find(round.boundaryEdition, response.provinceCode));
    const facts = factsOf(response, {
      minDurationSeconds: form.definition.quality.minDurationSeconds,
      satisfactionAnswers: satisfactionAnswersOf(form.items, response.answers),
      responsesOfUnits,
      phoneOf,
      unitsByPhone,
      area: areas.get(response.provinceCode),
      interviews: interviewsOf.get(response.submittedBy) ?? [],
    });
    verdicts.push({ id: response.id, flags: runQualityRules(facts, deps.thresholds) });
  }
  await deps.responses.recordChecks(verdicts, (deps.now ?? (() => new Date()))());
  return { checked: unchecked.length, flagged: verdicts.filter((v) => v.flags.length > 0).length, provinceCodes: [...new Set(all.map((r) => r.provinceCode))].sort() };
}

function factsOf(
  response: StoredResponse,
  known: {
    minDurationSeconds: number;
    satisfactionAnswers: Record<string, number>;
    responsesOfUnits: ReadonlyArray<{ id: string; sampleUnitId: string }>;
    phoneOf: ReadonlyMap<string, string>;
    unitsByPhone: ReadonlyMap<string, string[]>;
    area: { minLat: number; minLon: number; maxLat: number; maxLon: number } | undefined;
    interviews: ReadonlyArray<Interval>;
  },
): QualityFacts {
  const unit = response.sampleUnitId;
  const others = (pred: (r: { id: string; sampleUnitId: string }) => boolean): string[] =>
    [...new Set(known.responsesOfUnits.filter((r) => r.id !== response.id && pred(r)).map((r) => r.id))].sort();
  const phone = unit === null ? undefined : known.phoneOf.get(unit);
  const phoneUnits = new Set(phone === undefined ? [] : (known.unitsByPhone.get(phone) ?? []).filter((u) => u !== unit));
  const location = response.paradata.location as { lat: number; lon: number; accuracy?: number } | undefined;
  return {
    responseId: response.id,
    startedAt: response.interviewStartedAt,
    endedAt: response.interviewEndedAt,
    minDurationSeconds: known.minDurationSeconds,
    satisfactionAnswers: known.satisfactionAnswers,
    sameSampleUnit: unit === null ? [] : others((r) => r.sampleUnitId === unit),
    samePhone: others((r) => phoneUnits.has(r.sampleUnitId)),
    enumeratorInterviews: known.interviews.filter(
      (i) => i.responseId !== response.id && i.startedAt < response.interviewEndedAt && i.endedAt > response.interviewStartedAt,
    ),
    ...(location ? { location } : {}),
    ...(known.area ? { provinceBox: { minLat: known.area.minLat, minLon: known.area.minLon, maxLat: known.area.maxLat, maxLon: known.area.maxLon } } : {}),
  };
}

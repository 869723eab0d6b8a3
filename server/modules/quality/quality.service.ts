import type { FormCatalogue } from '../../../survey-forms/catalogue';
import { runQualityRules, satisfactionAnswersOf, type Interval, type QualityFacts, type QualityFlag, type QualityThresholds } from '../../../survey-forms/quality-rules';
import { JobCannotSucceed, jobIdFor, type JobPayloads, type JobProducer } from '../../jobs/job-contract';
import type { StoredResponse } from '../responses/response.model';
import type { ResponseRepository } from '../responses/response.repository';
import type { RoundRecord, RoundRepository } from '../rounds/round.repository';
import type { SampleContactRepository } from '../samples/sample-contact.repository';
import { sampleUnitKey } from '../samples/sample-unit.model';
import type { ProvinceAreaRepository } from './province-area.repository';
import type { QualityCheckRepository } from './quality-check.repository';

export interface QualityDeps {
  responses: ResponseRepository;
  qualityChecks: QualityCheckRepository;
  sampleContacts: SampleContactRepository;
  provinceAreas: ProvinceAreaRepository;
  forms: FormCatalogue;
  thresholds: QualityThresholds;
  now?: () => Date;
}

/** What checking a batch needs besides the checks: its round, and the queue that recomputes the figures. */
export interface QualityBatchDeps extends QualityDeps {
  rounds: RoundRepository;
  jobs: JobProducer;
}

export interface QualityOutcome {
  /** Responses checked now (those already checked are left as they are). */
  checked: number;
  flagged: number;
  /** Provinces of all the given responses: their figures are recomputed after the check. */
  provinceCodes: string[];
}

/**
 * Checks a batch's responses, then asks for the recompute of their provinces: figures only ever
 * include checked responses. The recompute is asked even when every response had been checked
 * already (a retry after Redis failed): its job id is deterministic, so it is asked once.
 */
export async function checkBatch(deps: QualityBatchDeps, batch: Pick<JobPayloads['check-quality'], 'roundId' | 'responseIds'>): Promise<QualityOutcome> {
  const round = await deps.rounds.findById(batch.roundId);
  if (!round) throw new JobCannotSucceed(`round ${batch.roundId} does not exist`);
  const outcome = await checkResponses(deps, round, batch.responseIds);
  if (outcome.provinceCodes.length > 0) {
    await deps.jobs.enqueue(
      'recompute-provinces',
      { roundId: round.id, provinceCodes: outcome.provinceCodes, reason: 'quality-checked' },
      jobIdFor('recompute-provinces', round.id, ['checked', ...[...batch.responseIds].sort()]),
    );
  }
  return outcome;
}

/** Most unchecked responses one catch-up hands over; the next one takes the rest. */
const CATCH_UP_LIMIT = 5000;
/** Responses per quality-check job, as a batch would send them. */
const CHECK_BATCH = 500;

/**
 * Catches up on responses stored but never checked (the API could not enqueue their check, or the
 * job failed for good): enqueues their quality checks, which then recompute their provinces.
 * Checking is idempotent, so a job that also waits elsewhere for the same responses costs a look,
 * nothing more. Returns the number of responses found.
 */
export async function requestChecksOfUnchecked(deps: { qualityChecks: QualityCheckRepository; jobs: JobProducer }): Promise<number> {
  const unchecked = await deps.qualityChecks.uncheckedIds(CATCH_UP_LIMIT);
  const byRound = new Map<string, string[]>();
  for (const { roundId, id } of unchecked) byRound.set(roundId, [...(byRound.get(roundId) ?? []), id]);
  for (const [roundId, ids] of byRound) {
    ids.sort();
    for (let i = 0; i < ids.length; i += CHECK_BATCH) {
      const part = ids.slice(i, i + CHECK_BATCH);
      await deps.jobs.enqueue('check-quality', { roundId, responseIds: part, reason: 'sweep' }, jobIdFor('check-quality', roundId, ['sweep', ...part]));
    }
  }
  return unchecked.length;
}

/**
 * Runs the quality rules on those of the given responses that are still unchecked and records the
 * verdict. Safe to run twice: a response is checked once, and a verdict never replaces a decision.
 */
export async function checkResponses(deps: QualityDeps, round: RoundRecord, responseIds: ReadonlyArray<string>): Promise<QualityOutcome> {
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new JobCannotSucceed(`questionnaire ${round.formId}@${round.formVersion} is not installed`);
  const all = (await deps.responses.findByIds(responseIds)).filter((r) => r.roundId === round.id);
  const unchecked = all.filter((r) => r.reviewStatus === 'unchecked');

  const unitIds = [...new Set(unchecked.map((r) => r.sampleUnitId).filter((u): u is string => u !== null))];
  const sameUnit = await deps.responses.othersForSampleUnits(round.id, unitIds);
  const phoneOf = new Map<string, string>();
  const contacts = await deps.sampleContacts.findContacts(unitIds.map((u) => sampleUnitKey(round.id, u)));
  for (const c of contacts.values()) if (c.phoneHash !== null) phoneOf.set(c.unitId, c.phoneHash);
  const unitsByPhone = await deps.sampleContacts.unitIdsByPhoneHash(round.id, [...new Set(phoneOf.values())]);
  const otherUnitsWithPhone = [...new Set([...unitsByPhone.values()].flat())].filter((u) => !unitIds.includes(u));
  const responsesOfUnits = [...sameUnit, ...(await deps.responses.othersForSampleUnits(round.id, otherUnitsWithPhone))];
  const areas = new Map<string, Awaited<ReturnType<ProvinceAreaRepository['find']>>>();
  // One read for the batch: each enumerator's interviews over their part of the batch's time span.
  const spans = new Map<string, { submittedBy: string; start: Date; end: Date }>();
  for (const r of unchecked) {
    const span = spans.get(r.submittedBy);
    if (!span) spans.set(r.submittedBy, { submittedBy: r.submittedBy, start: r.interviewStartedAt, end: r.interviewEndedAt });
    else {
      if (r.interviewStartedAt < span.start) span.start = r.interviewStartedAt;
      if (r.interviewEndedAt > span.end) span.end = r.interviewEndedAt;
    }
  }
  const interviewsOf: ReadonlyMap<string, Interval[]> = await deps.qualityChecks.interviewsOverlapping(round.id, [...spans.values()]);

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
  await deps.qualityChecks.recordChecks(verdicts, (deps.now ?? (() => new Date()))());
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

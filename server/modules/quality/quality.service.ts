import { createHash } from 'node:crypto';
import type { FormCatalogue } from '../../../survey-forms/catalogue';
import { minDurationSecondsFor } from '../../../survey-forms/modes';
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

/** What checking a batch needs besides the checks: its round, the queue, and what counts checked responses in the tallies. */
export interface QualityBatchDeps extends QualityDeps {
  rounds: RoundRepository;
  jobs: JobProducer;
  /** Adds the responses this check recorded a verdict on to the tallies, once, and asks for the figures (the aggregates module's countCheckedBatch). */
  countChecked: (batch: { roundId: string; checkKey: string; responseIds: ReadonlyArray<string> }) => Promise<{ checkedByBatch: number; counted: number }>;
}

export interface QualityOutcome {
  /** Responses checked now (those already checked are left as they are). */
  checked: number;
  flagged: number;
  /** Provinces of all the given responses. */
  provinceCodes: string[];
}

/** The key a check of these responses records with its verdicts: the same responses give the same key, so a retry finds its own. */
export function checkKeyOf(roundId: string, responseIds: ReadonlyArray<string>): string {
  return `check.${createHash('sha256').update([roundId, ...[...responseIds].sort()].join('\n')).digest('base64url').slice(0, 24)}`;
}

/**
 * Checks a batch's responses, then hands those whose verdict this check recorded (now, or in an
 * earlier attempt that failed before counting them) to the tallies. A check that found every
 * response checked already by another job hands over nothing, so it asks for no figures either.
 *
 * It takes along the round's other unchecked responses, oldest first, up to a batch of 500: under a
 * steady stream of one-response requests each job would otherwise pay a whole check and a figures
 * request for one response, and the queue would grow faster than it empties. The jobs of the
 * responses taken along then find them checked and ask for nothing. (A job that dies between
 * recording and counting counts, when retried, only its own batch; the sweep's tally check
 * re-tallies the provinces of the others.)
 */
export async function checkBatch(
  deps: QualityBatchDeps,
  batch: Pick<JobPayloads['check-quality'], 'roundId' | 'responseIds'>,
): Promise<QualityOutcome & { counted: number }> {
  const round = await deps.rounds.findById(batch.roundId);
  if (!round) throw new JobCannotSucceed(`round ${batch.roundId} does not exist`);
  const checkKey = checkKeyOf(round.id, batch.responseIds);
  const responseIds = [...batch.responseIds, ...(await deps.qualityChecks.uncheckedIdsOfRound(round.id, CHECK_BATCH - batch.responseIds.length, batch.responseIds))];
  const outcome = await checkResponses(deps, round, responseIds, checkKey);
  const { counted } = await deps.countChecked({ roundId: round.id, checkKey, responseIds });
  return { ...outcome, counted };
}

/** Most unchecked responses one catch-up hands over; the next one takes the rest. */
const CATCH_UP_LIMIT = 5000;
/** Responses per quality-check job, as a batch would send them. */
const CHECK_BATCH = 500;

/**
 * Catches up on responses stored but never checked (the API could not enqueue their check, Redis
 * lost it, or the job failed for good): enqueues their quality checks. Responses a waiting or running
 * check job already names are left to it, so a backlog is never queued twice. Returns the number of
 * responses handed over.
 */
export async function requestChecksOfUnchecked(deps: { qualityChecks: QualityCheckRepository; jobs: JobProducer }): Promise<number> {
  const unchecked = await deps.qualityChecks.uncheckedIds(CATCH_UP_LIMIT);
  if (unchecked.length === 0) return 0;
  const queued = new Set((await deps.jobs.queuedPayloads('check-quality')).flatMap((p) => p.responseIds));
  const byRound = new Map<string, string[]>();
  let found = 0;
  for (const { roundId, id } of unchecked) {
    if (queued.has(id)) continue;
    found += 1;
    byRound.set(roundId, [...(byRound.get(roundId) ?? []), id]);
  }
  for (const [roundId, ids] of byRound) {
    ids.sort();
    for (let i = 0; i < ids.length; i += CHECK_BATCH) {
      const part = ids.slice(i, i + CHECK_BATCH);
      await deps.jobs.enqueue('check-quality', { roundId, responseIds: part, reason: 'sweep' }, jobIdFor('check-quality', roundId, ['sweep', ...part]));
    }
  }
  return found;
}

/**
 * Runs the quality rules on those of the given responses that are still unchecked and records the
 * verdict. Safe to run twice: a response is checked once, and a verdict never replaces a decision.
 */
export async function checkResponses(deps: QualityDeps, round: RoundRecord, responseIds: ReadonlyArray<string>, checkKey: string): Promise<QualityOutcome> {
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new JobCannotSucceed(`questionnaire ${round.formId}@${round.formVersion} is not installed`);
  const all = (await deps.responses.findByIds(responseIds)).filter((r) => r.roundId === round.id);
  const unchecked = all.filter((r) => r.reviewStatus === 'unchecked');
  // Checked already (by a job that took them along): nothing to read about them.
  if (unchecked.length === 0) return { checked: 0, flagged: 0, provinceCodes: [...new Set(all.map((r) => r.provinceCode))].sort() };

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

  const keyed = unchecked.filter((r) => r.mode === 'papi' && r.answersHash !== undefined);
  const sameAnswers = await deps.qualityChecks.keyedFormsWithAnswers(round.id, [...new Set(keyed.map((r) => r.answersHash as string))]);

  // Each province's area read once, all at once (a batch may span all 63).
  await Promise.all(
    [...new Set(unchecked.map((r) => r.provinceCode))].map(async (code) => {
      areas.set(code, await deps.provinceAreas.find(round.boundaryEdition, code));
    }),
  );
  const verdicts: Array<{ id: string; flags: QualityFlag[] }> = [];
  for (const response of unchecked) {
    const facts = factsOf(response, {
      minDurationSeconds: minDurationSecondsFor(form.definition, response.mode),
      identicalKeyedForms:
        response.mode === 'papi' ? sameAnswers.filter((o) => o.answersHash === response.answersHash && o.id !== response.id).map((o) => o.id) : [],
      satisfactionAnswers: satisfactionAnswersOf(form.items, response.answers),
      responsesOfUnits,
      phoneOf,
      unitsByPhone,
      area: areas.get(response.provinceCode),
      interviews: interviewsOf.get(response.submittedBy) ?? [],
    });
    verdicts.push({ id: response.id, flags: runQualityRules(facts, deps.thresholds) });
  }
  await deps.qualityChecks.recordChecks(verdicts, (deps.now ?? (() => new Date()))(), checkKey);
  return { checked: unchecked.length, flagged: verdicts.filter((v) => v.flags.length > 0).length, provinceCodes: [...new Set(all.map((r) => r.provinceCode))].sort() };
}

function factsOf(
  response: StoredResponse,
  known: {
    minDurationSeconds: number | undefined;
    identicalKeyedForms: string[];
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
    mode: response.mode,
    minDurationSeconds: known.minDurationSeconds,
    identicalKeyedForms: known.identicalKeyedForms,
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

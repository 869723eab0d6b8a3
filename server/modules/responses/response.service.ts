import type { Logger } from 'pino';
import { createAjv, describeAjvErrors, type CataloguedProblem } from '../../../survey-forms/ajv';
import type { FormCatalogue } from '../../../survey-forms/catalogue';
import { modeOf } from '../../../survey-forms/modes';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { interviewLengthClass } from '../../../survey-forms/quality-rules';
import { firstTooDeep } from '../../http/json-bounds';
import { jobIdFor, type JobProducer } from '../../jobs/job-contract';
import type { ReviewCountRepository } from '../aggregates/review-count.repository';
import type { RoundRecord, RoundRepository } from '../rounds/round.repository';
import type { AssignmentRepository } from '../assignments/assignment.repository';
import { sampleUnitKey, type SampleUnitRecord } from '../samples/sample-unit.model';
import type { SampleUnitRepository } from '../samples/sample-unit.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import { canonicalItemJson, contentHashOf, hashOfCanonical } from './content-hash';
import type { StoredResponse } from './response.model';
import type { ResponseRepository } from './response.repository';
import { MAX_ITEM_BYTES, MAX_ITEM_DEPTH, ResponseSubmission, type SubmitResult } from './response.schema';
import { isDoubleKeyed } from '../../../survey-forms/keying';
import type { KeyingRepository } from '../keying/keying.repository';
import { finishSecondKeyings, firstKeyingOf, firstKeyingsOf, secondKeyingProblems, storeSecondKeying } from '../keying/keying.service';
import type { VerificationRepository } from '../keying/verification.repository';
import { modeProblems } from './mode-policy';
import { submissionAccessProblems } from './submission-policy';
import { correctionProblems, linkCorrections } from './correction';
import type { AuditRepository } from '../review/audit.repository';

export interface SubmitDeps {
  responses: ResponseRepository;
  rounds: RoundRepository;
  sampleUnits: SampleUnitRepository;
  assignments: AssignmentRepository;
  forms: FormCatalogue;
  provinces: ProvinceReference;
  jobs: JobProducer;
  /** Per-province review counts: just-stored responses show as unchecked at once. */
  reviewCounts: Pick<ReviewCountRepository, 'addUnchecked'>;
  logger: Logger;
  /** Second keyings of double-keyed paper forms (keying/). */
  keyings: KeyingRepository;
  verification: VerificationRepository;
  audit: AuditRepository;
  now?: () => Date;
}

const checkEnvelope = createAjv().compile<ResponseSubmission>(ResponseSubmission);
export { contentHashOf };

interface Candidate {
  index: number;
  item: ResponseSubmission;
  hash: string;
  /** Canonical JSON of the item's answers, part of the item's: what `answersHash` is taken of. */
  answersCanonical: string;
}

/**
 * Stores a batch of responses. Each item gets its own result, in request order: one bad item
 * never rejects the good ones. An id already stored is answered from what is stored — `duplicate`
 * for the same content, `conflict` for other content — before anything else is checked, so a
 * re-send after a lost reply is acknowledged even if the round has closed since.
 */
export async function submitResponses(deps: SubmitDeps, user: AuthenticatedUser, items: ReadonlyArray<unknown>): Promise<SubmitResult[]> {
  const results = new Array<SubmitResult>(items.length);
  const candidates: Candidate[] = [];
  const firstInBatch = new Map<string, Candidate>();
  const repeats: Array<{ candidate: Candidate; first: Candidate }> = [];

  items.forEach((raw, index) => {
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
    // Depth first: everything below walks the item recursively. The canonical JSON made once serves
    // the size bound (same bytes as JSON.stringify, keys in another order), the content hash and,
    // for its answers part, the answers' hash.
    const deep = firstTooDeep(raw, MAX_ITEM_DEPTH);
    if (deep !== undefined) {
      results[index] = { id, status: 'invalid', errors: [{ path: deep, code: 'too_deep', message: `is nested more than ${MAX_ITEM_DEPTH} levels deep in the response` }] };
      return;
    }
    const { item: canonical, answers: answersCanonical } = canonicalItemJson(raw);
    const bytes = Buffer.byteLength(canonical, 'utf8');
    if (bytes > MAX_ITEM_BYTES) {
      results[index] = { id, status: 'invalid', errors: [{ path: '', code: 'too_large', message: `the response is ${bytes} bytes of JSON; at most ${MAX_ITEM_BYTES} are accepted` }] };
      return;
    }
    if (!checkEnvelope(raw)) {
      results[index] = { id, status: 'invalid', errors: describeAjvErrors(checkEnvelope.errors) };
      return;
    }
    const candidate: Candidate = { index, item: raw, hash: hashOfCanonical(canonical), answersCanonical: answersCanonical ?? '' };
    const earlier = firstInBatch.get(raw.id);
    if (earlier) {
      repeats.push({ candidate, first: earlier });
      return;
    }
    firstInBatch.set(raw.id, candidate);
    candidates.push(candidate);
  });

  // Three independent look-ups at once: stored ids, second keyings (of ids not stored) and the rounds (of every item, a superset of those still needed).
  const candidateIds = candidates.map((c) => c.item.id);
  const [stored, keyedAll, rounds] = await Promise.all([
    deps.responses.findHashes(candidateIds),
    deps.keyings.findHashes(candidateIds),
    deps.rounds.findMany([...new Set(candidates.map((c) => c.item.roundId))]),
  ]);
  const keyedAgain = new Map([...keyedAll].filter(([id]) => !stored.has(id)));
  const fresh: Candidate[] = [];
  for (const candidate of candidates) {
    const storedHash = stored.get(candidate.item.id) ?? keyedAgain.get(candidate.item.id);
    if (storedHash !== undefined) results[candidate.index] = sameOrConflict(candidate.item.id, storedHash, candidate.hash);
    else fresh.push(candidate);
  }
  await finishSecondKeyings(deps, keyedAgain, results);

  const units = await deps.sampleUnits.findUnits([...new Set(fresh.flatMap((c) => (c.item.sampleUnitId ? [unitKeyOf(c.item)] : [])))]);
  const returnedIds = fresh.flatMap((c) => (c.item.correctsResponseId ? [c.item.correctsResponseId] : []));
  const returned = new Map((await deps.responses.findByIds(returnedIds)).map((r) => [r.id, r]));
  const claimed = new Map<string, string>();
  const now = deps.now?.() ?? new Date();
  const toStore: Array<{ candidate: Candidate; response: StoredResponse }> = [];
  const secondKeyings: Array<{ candidate: Candidate; first: StoredResponse }> = [];
  const firsts = await firstKeyingsOf(deps, fresh.map((c) => c.item), units);
  for (const candidate of fresh) {
    const round = rounds.get(candidate.item.roundId);
    let problems = checkAgainstRound(deps, round, candidate.item);
    // A province that does not exist is nobody's: `unknown_province` says all there is to say.
    const provinceUnknown = problems.some((p) => p.code === 'unknown_province');
    problems.push(...checkSampleUnitAndAccess(user, candidate.item, units, claimed).filter((p) => !(provinceUnknown && p.code === 'province_not_yours' && p.path === '/provinceCode')));
    const first = firstKeyingOf(candidate.item, firsts.get(unitKeyOf(candidate.item)));
    if (first) problems = secondKeyingProblems(user, first, problems);
    if (candidate.item.correctsResponseId !== undefined) problems.push(...correctionProblems(user, candidate.item, returned.get(candidate.item.correctsResponseId)));
    if (problems.length > 0) {
      results[candidate.index] = { id: candidate.item.id, status: 'invalid', errors: problems };
      continue;
    }
    if (first) {
      secondKeyings.push({ candidate, first });
      continue;
    }
    const { item } = candidate;
    if (item.sampleUnitId !== undefined) claimed.set(unitKeyOf(item), item.id);
    const interviewStartedAt = new Date(item.paradata.startedAt);
    const interviewEndedAt = new Date(item.paradata.endedAt);
    toStore.push({
      candidate,
      response: {
        id: item.id,
        roundId: item.roundId,
        formId: item.formId,
        formVersion: item.formVersion,
        provinceCode: item.provinceCode,
        answers: item.answers,
        paradata: item.paradata,
        ...(item.weight !== undefined ? { weight: item.weight } : {}),
        sampleUnitId: item.sampleUnitId ?? null,
        mode: modeOf(item),
        serial: item.serial ?? null,
        answersHash: hashOfCanonical(candidate.answersCanonical),
        verification: item.mode === 'papi' && item.serial !== undefined && isDoubleKeyed(item.serial, round?.doubleEntryShare ?? 0) ? 'awaiting-second-keying' : null,
        postOffice: (item.sampleUnitId === undefined ? undefined : units.get(unitKeyOf(item))?.postOffice) ?? user.postOffice ?? null,
        correctsResponseId: item.correctsResponseId ?? null,
        correctedByResponseId: null,
        contentHash: candidate.hash,
        submittedBy: user.username,
        storedAt: now,
        interviewStartedAt,
        interviewEndedAt,
        interviewLengthClass: interviewLengthClass(interviewStartedAt, interviewEndedAt),
        reviewStatus: 'unchecked',
        qualityFlags: [],
        checkedAt: null,
        review: null,
      },
    });
  }

  const raced = await deps.responses.insertNew(toStore.map((s) => s.response));
  const racedHashes = await deps.responses.findHashes([...raced]);
  const accepted: StoredResponse[] = [];
  for (const { candidate, response } of toStore) {
    if (raced.has(response.id)) {
      // Stored by a concurrent request between our look-up and our insert.
      results[candidate.index] = sameOrConflict(response.id, racedHashes.get(response.id) ?? '', candidate.hash);
    } else {
      results[candidate.index] = { id: response.id, status: 'accepted' };
      accepted.push(response);
    }
  }

  // The same id twice in one batch: the first occurrence is the response, later ones are re-sends of it.
  for (const { candidate, first } of repeats) {
    const firstResult = results[first.index];
    const settled = firstResult?.status === 'accepted' || firstResult?.status === 'duplicate';
    results[candidate.index] =
      settled || candidate.hash !== first.hash
        ? sameOrConflict(candidate.item.id, first.hash, candidate.hash)
        : { ...(firstResult as SubmitResult) };
  }

  for (const { candidate, first } of secondKeyings) {
    results[candidate.index] = await storeSecondKeying(deps, user, candidate.item, candidate.hash, first, now);
  }

  await linkCorrections(deps, user, accepted, now);
  // A second keying completes nothing: its unit is the first keying's.
  const keyedTwice = new Set([...keyedAgain.keys(), ...secondKeyings.map((k) => k.candidate.item.id)]);
  await completeSampleUnits(deps, user, items, results.map((r) => (r.id !== null && keyedTwice.has(r.id) ? { ...r, status: 'invalid' } : r)), now);
  await requestQualityChecks(deps, accepted);
  return results;
}

function unitKeyOf(item: ResponseSubmission): string {
  return sampleUnitKey(item.roundId, item.sampleUnitId ?? '');
}

/**
 * Whether this user may submit this item (`submission-policy.ts`), and, when it names a sample unit,
 * whether the unit is of the round and of the item's province and not completed by another response —
 * also not by another item of the same batch (`claimed`). A unit the user may not submit for is not
 * described further: who completed it stays unsaid.
 */
function checkSampleUnitAndAccess(
  user: AuthenticatedUser,
  item: ResponseSubmission,
  units: ReadonlyMap<string, SampleUnitRecord>,
  claimed: Map<string, string>,
): CataloguedProblem[] {
  const unit = item.sampleUnitId === undefined ? undefined : units.get(unitKeyOf(item));
  const problems: CataloguedProblem[] = [];
  if (item.sampleUnitId !== undefined && !unit) {
    problems.push({ path: '/sampleUnitId', code: 'unknown_sample_unit', message: `${item.sampleUnitId} is not in the sample of round ${item.roundId}` });
  }
  if (unit && unit.provinceCode !== item.provinceCode) {
    problems.push({ path: '/provinceCode', code: 'wrong_province', message: `sample unit ${unit.unitId} is in province ${unit.provinceCode}, not ${item.provinceCode}` });
  }
  const access = submissionAccessProblems(user, item, unit);
  problems.push(...access);
  if (unit && access.length === 0) {
    const completedBy = unit.responseId ?? claimed.get(unitKeyOf(item));
    if (completedBy !== undefined && completedBy !== item.id) {
      problems.push({ path: '/sampleUnitId', code: 'already_completed', message: `sample unit ${unit.unitId} is already completed by response ${completedBy}` });
    }
  }
  return problems;
}

/**
 * Marks the sample units of accepted responses completed. Duplicates mark them too: if an earlier
 * request stored the response but died before this step, the re-send finishes the job.
 */
async function completeSampleUnits(
  deps: SubmitDeps,
  user: AuthenticatedUser,
  items: ReadonlyArray<unknown>,
  results: ReadonlyArray<SubmitResult>,
  now: Date,
): Promise<void> {
  const completions = results.flatMap((result, index) => {
    if (result.status !== 'accepted' && result.status !== 'duplicate') return [];
    const item = items[index] as ResponseSubmission;
    return item.sampleUnitId === undefined ? [] : [{ roundId: item.roundId, unitId: item.sampleUnitId, responseId: item.id }];
  });
  const marked = await deps.assignments.markCompleted(completions, now, user.username);
  if (marked < completions.length) {
    // Two responses for one unit sent at the same moment from two devices: both are stored, the unit keeps the first.
    deps.logger.warn({ completions: completions.length, marked }, 'some sample units were completed by another response meanwhile');
  }
}

function sameOrConflict(id: string, storedHash: string, hash: string): SubmitResult {
  return storedHash === hash
    ? { id, status: 'duplicate' }
    : {
        id,
        status: 'conflict',
        errors: [{ path: '/id', code: 'conflict', message: 'a response with this id is already stored with different content' }],
      };
}

function checkAgainstRound(deps: SubmitDeps, round: RoundRecord | undefined, item: ResponseSubmission): CataloguedProblem[] {
  if (!round) return [{ path: '/roundId', code: 'unknown_round', message: `round ${item.roundId} does not exist` }];
  const problems: CataloguedProblem[] = [];
  if (round.status !== 'open') problems.push({ path: '/roundId', code: 'round_closed', message: `round ${round.id} is closed` });
  if (item.formId !== round.formId || item.formVersion !== round.formVersion) {
    problems.push({
      path: '/formVersion',
      code: 'wrong_form',
      message: `round ${round.id} collects ${round.formId} version ${round.formVersion}, not ${item.formId} version ${item.formVersion}`,
    });
  }
  if (!deps.provinces.province(round.boundaryEdition, item.provinceCode)) {
    problems.push({
      path: '/provinceCode',
      code: 'unknown_province',
      message: `${item.provinceCode} is not a province of the ${round.boundaryEdition}-unit edition this round uses`,
    });
  }
  if (Date.parse(item.paradata.endedAt) < Date.parse(item.paradata.startedAt)) {
    problems.push({ path: '/paradata/endedAt', code: 'too_small', message: 'must not be before startedAt' });
  }
  problems.push(...modeProblems(round, item));
  const form = deps.forms.get(item.formId, item.formVersion);
  if (form) problems.push(...form.validateAnswers(item.answers));
  return problems;
}

/**
 * Asks the worker to check these responses; it then recomputes their provinces, so figures only ever
 * include checked responses. The responses are already stored, so a Redis failure here loses nothing:
 * the worker's sweep finds unchecked responses later. Before that, the responses are added to their
 * provinces' unchecked counts (a failure there is repaired by the recount after their check).
 */
export async function requestQualityChecks(deps: Pick<SubmitDeps, 'jobs' | 'logger' | 'reviewCounts'>, accepted: ReadonlyArray<StoredResponse>): Promise<void> {
  // Lists grow in place: rebuilding a round's list per item made a 500-item batch copy 125,000 ids.
  const byRound = new Map<string, { ids: string[]; provinces: Map<string, number> }>();
  for (const r of accepted) {
    let round = byRound.get(r.roundId);
    if (!round) byRound.set(r.roundId, (round = { ids: [], provinces: new Map() }));
    round.ids.push(r.id);
    round.provinces.set(r.provinceCode, (round.provinces.get(r.provinceCode) ?? 0) + 1);
  }
  for (const [roundId, { ids: unsorted, provinces }] of byRound) {
    const ids = unsorted.sort();
    try {
      await deps.reviewCounts.addUnchecked(roundId, provinces);
    } catch (error) {
      deps.logger.warn({ err: error, roundId }, 'could not add responses to the unchecked counts; the recount after their check sets them');
    }
    try {
      await deps.jobs.enqueue('check-quality', { roundId, responseIds: ids, reason: 'responses-stored' }, jobIdFor('check-quality', roundId, ids));
    } catch (error) {
      deps.logger.warn({ err: error, roundId, responses: ids.length }, 'could not enqueue quality checks; the sweep will pick these responses up');
    }
  }
}

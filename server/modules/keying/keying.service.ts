/**
 * Double entry of paper forms. The first keying of a form chosen for double entry is stored as the
 * response, marked `awaiting-second-keying` (it does not count). The second keying, by another
 * user, arrives through the same batch endpoint; it is stored apart (second_keyings), compared item
 * by item, and the response becomes `agreed` (counts) or `awaiting-verification` (queued for a
 * supervisor, who picks a value per differing item or types the paper's; then it counts).
 */
import type { CataloguedProblem } from '../../../survey-forms/ajv';
import type { FormCatalogue } from '../../../survey-forms/catalogue';
import { compareKeyings } from '../../../survey-forms/keying';
import { jobIdFor, type JobProducer } from '../../jobs/job-contract';
import type { StoredResponse } from '../responses/response.model';
import type { ResponseRepository } from '../responses/response.repository';
import { sampleUnitKey, type SampleUnitRecord } from '../samples/sample-unit.model';
import type { ResponseSubmission, SubmitResult } from '../responses/response.schema';
import type { AuthenticatedUser } from '../users/user.schema';
import type { KeyingRepository, SecondKeyingRecord } from './keying.repository';
import type { VerificationRepository } from './verification.repository';

export interface SecondKeyingDeps {
  keyings: KeyingRepository;
  verification: VerificationRepository;
  forms: FormCatalogue;
  jobs: JobProducer;
}

/** The first keying this item keys again, when it is the second keying of a double-keyed paper form. */
export function firstKeyingOf(item: ResponseSubmission, first: StoredResponse | undefined): StoredResponse | undefined {
  if (item.mode !== 'papi' || item.serial === undefined || !first || first.id === item.id) return undefined;
  return first.mode === 'papi' && first.serial === item.serial && first.verification === 'awaiting-second-keying' ? first : undefined;
}

/**
 * What may stop a second keying besides the round's checks: it must be by another user than the
 * first. The unit's assignment does not matter (it says who does the fieldwork, not who keys), the
 * keyer's provinces do, as for any response.
 */
export function secondKeyingProblems(user: AuthenticatedUser, first: StoredResponse, problems: ReadonlyArray<CataloguedProblem>): CataloguedProblem[] {
  const kept = problems.filter((p) => !['already_completed', 'not_assigned', 'assigned_to_other'].includes(p.code));
  if (first.submittedBy === user.username) {
    kept.push({ path: '/serial', code: 'same_keyer', message: `you keyed form ${first.serial ?? ''} the first time; the second keying is someone else's` });
  }
  return kept;
}

/** Stores a second keying and its comparison with the first, then settles the response. */
export async function storeSecondKeying(
  deps: SecondKeyingDeps,
  user: AuthenticatedUser,
  item: ResponseSubmission,
  hash: string,
  first: StoredResponse,
  now: Date,
): Promise<SubmitResult> {
  const form = deps.forms.get(first.formId, first.formVersion);
  const itemIds = form ? form.items.map((i) => i.item.id) : [];
  const comparison = compareKeyings(itemIds, first.answers, item.answers);
  const record: SecondKeyingRecord = {
    id: item.id,
    roundId: first.roundId,
    provinceCode: first.provinceCode,
    serial: item.serial ?? '',
    unitId: first.sampleUnitId ?? '',
    responseId: first.id,
    firstKeyer: first.submittedBy,
    secondKeyer: user.username,
    answers: item.answers,
    contentHash: hash,
    itemsCompared: comparison.itemsCompared,
    differences: comparison.differences,
    state: comparison.differences.length === 0 ? 'agreed' : 'awaiting-verification',
    decision: null,
    storedAt: now,
  };
  if (!(await deps.keyings.insert(record))) {
    const stored = await deps.keyings.findHashes([item.id]);
    const storedHash = stored.get(item.id);
    if (storedHash !== undefined) return storedHash === hash ? { id: item.id, status: 'duplicate' } : conflict(item.id);
    return {
      id: item.id,
      status: 'invalid',
      errors: [{ path: '/sampleUnitId', code: 'already_completed', message: `form ${record.serial} has been keyed twice already` }],
    };
  }
  await settleResponse(deps, record);
  return { id: item.id, status: 'accepted' };
}

/** The stored responses that completed the units of keyed paper forms in the batch: a form keyed again may be its second keying. */
export async function firstKeyingsOf(
  deps: { responses: ResponseRepository },
  fresh: ReadonlyArray<ResponseSubmission>,
  units: ReadonlyMap<string, SampleUnitRecord>,
): Promise<Map<string, StoredResponse>> {
  const wanted = new Map<string, string>();
  for (const item of fresh) {
    const unit = item.mode === 'papi' && item.sampleUnitId !== undefined ? units.get(sampleUnitKey(item.roundId, item.sampleUnitId ?? '')) : undefined;
    if (unit?.responseId && unit.responseId !== item.id) wanted.set(sampleUnitKey(item.roundId, item.sampleUnitId ?? ''), unit.responseId);
  }
  const found = new Map((await deps.responses.findByIds([...new Set(wanted.values())])).map((r) => [r.id, r]));
  return new Map([...wanted].flatMap(([key, id]) => (found.has(id) ? [[key, found.get(id) as StoredResponse]] : [])));
}

/** Re-sent second keyings: a request that died after storing one may not have settled its response; settle it now. */
export async function finishSecondKeyings(
  deps: Pick<SecondKeyingDeps, 'keyings' | 'verification' | 'jobs'>,
  keyedAgain: ReadonlyMap<string, string>, results: ReadonlyArray<SubmitResult | undefined>): Promise<void> {
  for (const result of results) {
    if (result?.status !== 'duplicate' || result.id === null || !keyedAgain.has(result.id)) continue;
    const record = await deps.keyings.findById(result.id);
    if (record) await settleResponse(deps, record);
  }
}

/**
 * Counts the comparison in both keyers' error rates, and moves the response from `awaiting-second-keying` to the comparison's outcome (idempotent: a re-sent
 * second keying finishes what a request that died half-way began). Agreed forms count at once: their
 * province is recomputed.
 */
export async function settleResponse(deps: Pick<SecondKeyingDeps, 'keyings' | 'verification' | 'jobs'>, record: SecondKeyingRecord): Promise<void> {
  // The keyers' error-rate counts: once per second keying, whichever request gets here.
  await deps.keyings.countComparison(record);
  const state = record.state === 'verified' ? 'verified' : record.state;
  const moved = await deps.verification.settle(record.responseId, 'awaiting-second-keying', state);
  if (moved && state === 'agreed') await requestRecompute(deps, record, 'agreed');
}

export async function requestRecompute(deps: Pick<SecondKeyingDeps, 'jobs'>, record: SecondKeyingRecord, why: string): Promise<void> {
  try {
    await deps.jobs.enqueue(
      'recompute-provinces',
      { roundId: record.roundId, provinceCodes: [record.provinceCode], reason: 'quality-checked' },
      jobIdFor('recompute-provinces', record.roundId, ['keying', why, record.responseId]),
    );
  } catch {
    // The figures catch up with the next recompute of the province; the verification itself is stored.
  }
}

function conflict(id: string): SubmitResult {
  return { id, status: 'conflict', errors: [{ path: '/id', code: 'conflict', message: 'a response with this id is already stored with different content' }] };
}

import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { configure } from 'safe-stable-stringify';
import { createAjv, describeAjvErrors, type Problem } from '../../../survey-forms/ajv';
import type { FormCatalogue } from '../../../survey-forms/catalogue';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { jobIdFor, type JobProducer } from '../../../workers/queues';
import type { RoundRecord, RoundRepository } from '../rounds/round.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import type { ResponseRepository, StoredResponse } from './response.repository';
import { ResponseSubmission, type SubmitResult } from './response.schema';

export interface SubmitDeps {
  responses: ResponseRepository;
  rounds: RoundRepository;
  forms: FormCatalogue;
  provinces: ProvinceReference;
  jobs: JobProducer;
  logger: Logger;
  now?: () => Date;
}

const checkEnvelope = createAjv().compile<ResponseSubmission>(ResponseSubmission);
const canonicalJson = configure({ deterministic: true, circularValue: Error });

/** SHA-256 of an item in canonical JSON (keys sorted): equal content, equal hash, whatever the key order. */
export function contentHashOf(item: unknown): string {
  return createHash('sha256').update(canonicalJson(item) ?? '').digest('hex');
}

interface Candidate {
  index: number;
  item: ResponseSubmission;
  hash: string;
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
    if (!checkEnvelope(raw)) {
      results[index] = { id, status: 'invalid', errors: describeAjvErrors(checkEnvelope.errors) };
      return;
    }
    const candidate: Candidate = { index, item: raw, hash: contentHashOf(raw) };
    const earlier = firstInBatch.get(raw.id);
    if (earlier) {
      repeats.push({ candidate, first: earlier });
      return;
    }
    firstInBatch.set(raw.id, candidate);
    candidates.push(candidate);
  });

  const stored = await deps.responses.findHashes(candidates.map((c) => c.item.id));
  const fresh: Candidate[] = [];
  for (const candidate of candidates) {
    const storedHash = stored.get(candidate.item.id);
    if (storedHash !== undefined) results[candidate.index] = sameOrConflict(candidate.item.id, storedHash, candidate.hash);
    else fresh.push(candidate);
  }

  const rounds = await deps.rounds.findMany([...new Set(fresh.map((c) => c.item.roundId))]);
  const now = deps.now?.() ?? new Date();
  const toStore: Array<{ candidate: Candidate; response: StoredResponse }> = [];
  for (const candidate of fresh) {
    const problems = checkAgainstRound(deps, rounds.get(candidate.item.roundId), candidate.item);
    if (problems.length > 0) {
      results[candidate.index] = { id: candidate.item.id, status: 'invalid', errors: problems };
      continue;
    }
    const { item } = candidate;
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
        contentHash: candidate.hash,
        submittedBy: user.username,
        storedAt: now,
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

  await requestAggregation(deps, accepted);
  return results;
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

function checkAgainstRound(deps: SubmitDeps, round: RoundRecord | undefined, item: ResponseSubmission): Problem[] {
  if (!round) return [{ path: '/roundId', code: 'unknown_round', message: `round ${item.roundId} does not exist` }];
  const problems: Problem[] = [];
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
  const form = deps.forms.get(item.formId, item.formVersion);
  if (form) problems.push(...form.validateAnswers(item.answers));
  return problems;
}

/**
 * Asks the worker to recompute the provinces these responses fall in. The responses are already
 * stored, so a Redis failure here loses nothing: the worker's sweep finds them later.
 */
async function requestAggregation(deps: SubmitDeps, accepted: ReadonlyArray<StoredResponse>): Promise<void> {
  const byRound = new Map<string, Set<string>>();
  for (const r of accepted) {
    const set = byRound.get(r.roundId) ?? new Set<string>();
    set.add(r.provinceCode);
    byRound.set(r.roundId, set);
  }
  for (const [roundId, provinces] of byRound) {
    const ids = accepted.filter((r) => r.roundId === roundId).map((r) => r.id).sort();
    try {
      await deps.jobs.enqueue(
        'recompute-provinces',
        { roundId, provinceCodes: [...provinces].sort(), reason: 'responses-stored' },
        jobIdFor('recompute-provinces', roundId, ids),
      );
    } catch (error) {
      deps.logger.warn({ err: error, roundId, responses: ids.length }, 'could not enqueue aggregation; the sweep will pick these responses up');
    }
  }
}

/**
 * Incremental tallies: what a checked batch or a review decision changes in its provinces' tallies,
 * added once under the change's key (a retried job adds nothing twice), then a request for the
 * round's figures. Whether a review state counts in the figures is survey-forms/review-status.ts's to
 * say, so a new state (one that leaves the figures, say) needs nothing here.
 */
import type { FormCatalogue, IndexDefinitionCatalogue } from '../../../survey-forms/catalogue';
import { awaitsDoubleEntry, type VerificationState } from '../../../survey-forms/keying';
import { COUNTED_STATUSES, type ReviewStatus } from '../../../survey-forms/review-status';
import type { TalliedResponse } from '../../../survey-forms/tally';
import { tallyDelta } from '../../../survey-forms/tally-delta';
import { jobIdFor, type JobProducer } from '../../jobs/job-contract';
import type { RoundRepository } from '../rounds/round.repository';
import { eachAtMost, loadRoundMethod, planOf, PROVINCES_AT_ONCE, recountReviewStates, requestFigures, type RoundMethod } from './aggregation.service';
import type { ReviewCountRepository } from './review-count.repository';
import type { TallyFeedRepository } from './tally-feed.repository';
import type { TallyRepository } from './tally.repository';

export interface TallyChangeDeps {
  rounds: RoundRepository;
  tallyFeed: TallyFeedRepository;
  tallies: TallyRepository;
  forms: FormCatalogue;
  definitions: IndexDefinitionCatalogue;
  jobs?: JobProducer;
  /** The per-province counts of responses the figures leave out: recounted for the provinces a change touched. */
  reviewCounts?: ReviewCountRepository;
}

const counts = (status: ReviewStatus): boolean => COUNTED_STATUSES.includes(status);

/** Adds and removes responses in their provinces' tallies under `key`; provinces whose tally must be re-tallied first are returned. */
async function addChange(deps: TallyChangeDeps, method: RoundMethod, key: string, change: { add: TalliedResponse[]; remove: TalliedResponse[] }): Promise<string[]> {
  const { plan, layout } = planOf(method);
  const retally: string[] = [];
  // One document per province, each change guarded by its own key: provinces are added a few at once.
  await eachAtMost([...tallyDelta(method.form, method.definition, change)], PROVINCES_AT_ONCE, async ([provinceCode, delta]) => {
    const outcome = await deps.tallies.addDelta({ roundId: method.round.id, provinceCode, layout, plan }, key, delta);
    if (outcome === 'other-layout') retally.push(provinceCode);
  });
  retally.sort();
  if (retally.length > 0 && deps.jobs) {
    // Stored before this layout (an older version of the platform): the repair path re-tallies it, this change included.
    await deps.jobs.enqueue('recompute-provinces', { roundId: method.round.id, provinceCodes: retally, reason: 'quality-checked' }, jobIdFor('recompute-provinces', method.round.id, ['layout', ...retally]));
  }
  return retally;
}

export interface CheckedBatchOutcome {
  /** Responses whose verdict this batch recorded (now or in an earlier attempt). */
  checkedByBatch: number;
  /** Of those, responses added to the tallies (their verdict counts in the figures). */
  counted: number;
}

/**
 * Adds the responses a batch's quality check found clear to their provinces' tallies, once, then
 * asks for the round's figures. It reads the responses the batch's check recorded a verdict on
 * (`checkKey`), also in an earlier attempt of the job, so a retry after a crash still adds them; and
 * only those, so a duplicate check job that found everything checked already changes nothing and
 * asks for nothing. The verdict, not today's state, decides: a decision taken meanwhile adds or
 * removes its own part (countDecision), in whatever order the two arrive.
 */
export async function countCheckedBatch(deps: TallyChangeDeps, batch: { roundId: string; checkKey: string; responseIds: ReadonlyArray<string> }): Promise<CheckedBatchOutcome> {
  const checked = await deps.tallyFeed.checkedBy(batch.roundId, batch.checkKey, batch.responseIds);
  if (checked.length === 0) return { checkedByBatch: 0, counted: 0 };
  const method = await loadRoundMethod(deps, batch.roundId);
  const add = checked.filter((r) => counts(r.qualityFlagCount > 0 ? 'flagged' : 'clear'));
  await addChange(deps, method, batch.checkKey, { add, remove: [] });
  await recountTouched(deps, batch.roundId, checked.map((r) => r.provinceCode));
  await requestFigures(deps, batch.roundId);
  return { checkedByBatch: checked.length, counted: add.length };
}

/**
 * Adds or removes one response's part after a review decision moved it from one state to another
 * (approving a flagged response adds it; rejecting a counted one removes it), once under the
 * decision's id, then asks for the round's figures. A keyed form still awaiting its second keying or
 * verification is in no tally whatever its review state (as in a checked batch): the decision changes
 * none, and verification re-tallies its province with the decision taken into account.
 */
export async function countDecision(
  deps: TallyChangeDeps,
  change: { response: TalliedResponse & { roundId: string; verification?: VerificationState | null }; from: ReviewStatus; to: ReviewStatus; decisionId: string },
): Promise<void> {
  const method = await loadRoundMethod(deps, change.response.roundId);
  const before = counts(change.from);
  const after = counts(change.to);
  if (before !== after && !awaitsDoubleEntry(change.response.verification)) {
    await addChange(deps, method, `decision.${change.decisionId}`, { add: after ? [change.response] : [], remove: before ? [change.response] : [] });
  }
  await recountTouched(deps, change.response.roundId, [change.response.provinceCode]);
  await requestFigures(deps, change.response.roundId);
}

/** Recounts the review states of the provinces a change touched, under a fresh aggregation number (the latest recount wins). */
async function recountTouched(deps: TallyChangeDeps, roundId: string, provinceCodes: ReadonlyArray<string>): Promise<void> {
  if (!deps.reviewCounts) return;
  const seq = await deps.rounds.nextAggregationSeq(roundId);
  await recountReviewStates(deps, roundId, [...new Set(provinceCodes)].sort(), seq);
}

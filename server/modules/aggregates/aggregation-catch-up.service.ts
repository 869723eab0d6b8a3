/**
 * The aggregates module's part of the worker's sweep: tallies that missed a change (Redis lost the
 * job, a worker died between recording verdicts and counting them) are re-tallied, and figures older
 * than their tallies are asked for again. Work already queued is not queued again.
 */
import { jobIdFor, type JobProducer } from '../../jobs/job-contract';
import type { RoundRepository } from '../rounds/round.repository';
import type { AggregateRepository } from './aggregate.repository';
import { requestFigures } from './aggregation.service';
import type { TallyFeedRepository } from './tally-feed.repository';
import { talliesBasisOf, type TallyRepository } from './tally.repository';

export interface CatchUpDeps {
  rounds: RoundRepository;
  tallyFeed: TallyFeedRepository;
  tallies: TallyRepository;
  aggregates: AggregateRepository;
  jobs: JobProducer;
  /** How long to wait before confirming a province's tally is behind (a check job may be counting it right now). */
  confirmAfterMs?: number;
}

export interface CatchUpOutcome {
  /** Provinces whose tally missed responses, handed to a re-tally. */
  provinces: number;
  /** Rounds whose figures were older than their tallies, asked for again. */
  rounds: number;
}

/**
 * Compares, for each province with responses stored, checked or decided on since `since`, the
 * responses its tally counts with those a fresh tally would read; a difference still there a moment
 * later (not a check counting right now) is a missed change, and the province is re-tallied. The
 * job id names the tally's stamp, so while that re-tally waits, asking again enqueues nothing.
 * Then, for the rounds open or whose tallies changed since `since`, compares the tallies' stamps
 * with those the stored figures were computed from, and asks for figures where they differ.
 */
export async function catchUpTalliesAndFigures(deps: CatchUpDeps, since: Date): Promise<CatchUpOutcome> {
  const gap = async (roundId: string, provinceCode: string): Promise<{ gap: number; stamp: string }> => {
    const stored = await deps.tallyFeed.countForTally(roundId, provinceCode);
    const state = await deps.tallies.stateOf(roundId, provinceCode);
    return { gap: stored - (state?.responses ?? 0), stamp: state?.stamp ?? 'none' };
  };
  const suspects: Array<{ roundId: string; provinceCode: string }> = [];
  for (const { roundId, provinceCode } of await deps.tallyFeed.latestStoredSince(since)) {
    if ((await gap(roundId, provinceCode)).gap !== 0) suspects.push({ roundId, provinceCode });
  }
  if (suspects.length > 0) await new Promise((r) => setTimeout(r, deps.confirmAfterMs ?? 1000));
  const behind = new Map<string, Array<{ provinceCode: string; stamp: string }>>();
  for (const { roundId, provinceCode } of suspects) {
    const now = await gap(roundId, provinceCode);
    if (now.gap === 0) continue;
    behind.set(roundId, [...(behind.get(roundId) ?? []), { provinceCode, stamp: now.stamp }]);
  }
  let provinces = 0;
  for (const [roundId, list] of behind) {
    list.sort((a, b) => a.provinceCode.localeCompare(b.provinceCode));
    provinces += list.length;
    await deps.jobs.enqueue(
      'recompute-provinces',
      { roundId, provinceCodes: list.map((p) => p.provinceCode), reason: 'sweep' },
      jobIdFor('recompute-provinces', roundId, ['sweep', ...list.map((p) => `${p.provinceCode}=${p.stamp}`)]),
    );
  }

  const open = (await deps.rounds.list()).filter((r) => r.status === 'open').map((r) => r.id);
  const rounds = new Set([...open, ...(await deps.tallies.roundsChangedSince(since))]);
  let stale = 0;
  for (const roundId of rounds) {
    if (behind.has(roundId)) continue; // its re-tally asks for the figures when done
    const basis = talliesBasisOf(await deps.tallies.statesOfRound(roundId));
    const stored = await deps.aggregates.talliesBasesOf(roundId);
    if (stored.length > 0 && stored.every((b) => b === basis)) continue;
    stale += 1;
    await requestFigures(deps, roundId);
  }
  return { provinces, rounds: stale };
}

import type { AppDeps } from '../../server/deps';
import { figuresOf, loadRoundMethod } from '../../server/modules/aggregates/aggregation.service';
import { createTallier } from '../../survey-forms/tally';

/** Per province, n and value of the overall index: what the stored figures say, and what a recount says. */
export interface ProvinceFigures {
  responses: number;
  provinces: Array<{ group: string; n: number; value: number | null }>;
}

const overallOf = (figures: { estimates: { index: { groupings: { province: Array<{ group: string; n: number; value: number | null }> } } } } | undefined) =>
  (figures?.estimates.index.groupings.province ?? []).filter((r) => r.n > 0).map(({ group, n, value }) => ({ group, n, value }));

/** The round's stored figures on its own edition (overall index by province). */
export async function storedFigures(deps: AppDeps, roundId: string): Promise<ProvinceFigures> {
  const stored = await deps.repos.aggregates.findIndicatorFigures(roundId, 63, 'overall');
  return { responses: stored?.responses ?? 0, provinces: overallOf(stored?.figures) };
}

/** The same figures recounted from the stored responses that count, with no tally or figure stored. */
export async function recountedFigures(deps: AppDeps, roundId: string): Promise<ProvinceFigures> {
  const method = await loadRoundMethod({ rounds: deps.repos.rounds, forms: deps.forms, definitions: deps.definitions }, roundId);
  const tallier = createTallier(method.form, method.definition);
  for (const { code } of deps.provinces.provinces(method.round.boundaryEdition)) {
    for await (const response of deps.repos.tallyFeed.streamForTally(roundId, code)) tallier.add(response);
  }
  const edition = figuresOf(deps, method, tallier.cells()).editions.find((e) => e.edition === method.round.boundaryEdition);
  return { responses: edition?.responses ?? 0, provinces: overallOf(edition?.indicators.overall) };
}

/** Polls until the stored figures equal a recount (and count `atLeast` responses), or the time is up; returns both. */
export async function figuresCatchUp(deps: AppDeps, roundId: string, options: { atLeast: number; timeoutMs: number; poke?: () => Promise<unknown> }): Promise<{ stored: ProvinceFigures; recount: ProvinceFigures }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const stored = await storedFigures(deps, roundId);
    if (stored.responses >= options.atLeast || Date.now() > deadline) {
      const recount = await recountedFigures(deps, roundId);
      if ((JSON.stringify(stored) === JSON.stringify(recount) && recount.responses >= options.atLeast) || Date.now() > deadline) return { stored, recount };
    }
    await options.poke?.();
    await new Promise((r) => setTimeout(r, 200));
  }
}

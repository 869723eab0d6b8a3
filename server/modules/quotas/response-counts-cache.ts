/**
 * The progress's counts over stored responses (per cell, per day, per enumerator), kept per round,
 * scope and enumerator between reads and brought up to date by province: a read asks which provinces
 * changed since the kept counts were read (the dashboards' own change poll, served by indexes) and
 * re-counts only those. A national overview read while nothing changed costs that one question
 * instead of three aggregations over the whole round.
 */
import type { FieldScope } from '../../../survey-forms/field-scope';
import type { QuotaStatisticsRepository } from './quota-statistics.repository';

type Stats = Pick<QuotaStatisticsRepository, 'countByCell' | 'dailyByCell' | 'countByEnumerator' | 'provincesChangedSince'>;
type Dimensions = { servingLevel: string; serviceField: string; respondentType: string };
export type CellCounts = Awaited<ReturnType<Stats['countByCell']>>;
export type DailyCounts = Awaited<ReturnType<Stats['dailyByCell']>>;
export type EnumeratorCounts = Awaited<ReturnType<Stats['countByEnumerator']>>;

export interface ResponseCounts {
  cells: CellCounts;
  daily: DailyCounts;
  /** Null until a read asks for them (the national overview does not). */
  enumerators: EnumeratorCounts | null;
}

interface Entry extends ResponseCounts {
  /** Taken before the counts were read: a change after it is found by the next read. */
  readAt: Date;
}

/**
 * How far back a change is looked for before the kept counts' read: a check or a decision stamps its
 * time just before its write lands, so under load a write may land after a read that began later
 * than its stamp. Provinces changed in this window are counted again once more; none is missed.
 */
const SLACK_MS = 30_000;

/** Kept views; beyond, the least recently read is dropped. */
const DEFAULT_SIZE = 50;

export type ResponseCountsCache = ReturnType<typeof createResponseCountsCache>;

export function createResponseCountsCache(stats: Stats, options: { size?: number; now?: () => Date } = {}) {
  const entries = new Map<string, Entry>();
  const size = options.size ?? DEFAULT_SIZE;
  const now = options.now ?? (() => new Date());

  async function readFresh(roundId: string, dimensions: Dimensions, scope: FieldScope, who: string | undefined, enumerators: boolean): Promise<ResponseCounts> {
    const [cells, daily, people] = await Promise.all([
      stats.countByCell(roundId, dimensions, scope, who),
      stats.dailyByCell(roundId, dimensions, scope, who),
      enumerators ? stats.countByEnumerator(roundId, scope) : Promise.resolve(null),
    ]);
    return { cells, daily, enumerators: people };
  }

  function keep(key: string, entry: Entry): void {
    const kept = entries.get(key);
    // Two reads at once: the one read later is the fresher.
    if (kept && kept.readAt > entry.readAt) return;
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > size) entries.delete(entries.keys().next().value as string);
  }

  return {
    /**
     * The counts of a round within a scope (and of one enumerator), as of now. `enumerators`: whether
     * the per-enumerator counts are wanted.
     */
    async read(roundId: string, dimensions: Dimensions, scope: FieldScope, who: string | undefined, enumerators: boolean): Promise<ResponseCounts> {
      const key = JSON.stringify([roundId, dimensions, scope.provinces ?? null, scope.postOffice ?? null, who ?? null]);
      const readAt = now();
      const kept = entries.get(key);
      if (!kept || (enumerators && kept.enumerators === null)) {
        const fresh = await readFresh(roundId, dimensions, scope, who, enumerators);
        keep(key, { ...fresh, readAt });
        return fresh;
      }
      const changed = await stats.provincesChangedSince(roundId, scope, new Date(kept.readAt.getTime() - SLACK_MS));
      if (changed.length === 0) {
        keep(key, { ...kept, readAt });
        return { cells: kept.cells, daily: kept.daily, enumerators: kept.enumerators };
      }
      const touched = new Set(changed);
      const part = await readFresh(roundId, dimensions, { ...scope, provinces: changed }, who, kept.enumerators !== null);
      const others = <R extends { provinceCode: string }>(rows: ReadonlyArray<R>): R[] => rows.filter((r) => !touched.has(r.provinceCode));
      const merged: ResponseCounts = {
        cells: [...others(kept.cells), ...part.cells],
        daily: [...others(kept.daily), ...part.daily],
        enumerators:
          kept.enumerators === null || part.enumerators === null
            ? null
            : [...others(kept.enumerators), ...part.enumerators.filter((e) => !kept.enumerators?.some((k) => k.username === e.username && !touched.has(k.provinceCode)))].sort((a, b) =>
                a.username.localeCompare(b.username),
              ),
      };
      keep(key, { ...merged, readAt });
      return merged;
    },
  };
}

import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, orThrow, type AggregatesQuery, type AggregatesReply, type IndexDefinition, type RoundView } from '../../shared/api-client';

export const ESTIMATES = ['index', 'pooled', 'weighted'] as const;
export type EstimateKey = (typeof ESTIMATES)[number];
export type Indicator = IndexDefinition['indicators'][number];

/** Which figures the analyst looks at. */
export interface Selection {
  roundId: string;
  edition: 63 | 34;
  indicator: string;
  estimate: EstimateKey;
}

/** The tables the dashboard shows for a selection. */
export interface Figures {
  province: AggregatesReply;
  national: AggregatesReply;
  unitType: AggregatesReply;
  region: AggregatesReply;
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The query of a table of the selection. */
export const tableOf = (selection: Selection, by: AggregatesQuery['by']): AggregatesQuery => ({
  by,
  indicator: selection.indicator,
  edition: selection.edition,
  estimate: selection.estimate,
});

/**
 * The rounds, the indicators of the chosen round's index definition, and the figures of the
 * selection, read again whenever the selection changes. A lost session logs out.
 */
export function useFigures(token: string, onLogout: () => void) {
  const [rounds, setRounds] = useState<RoundView[] | null>(null);
  const [indicators, setIndicators] = useState<Indicator[]>([]);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    orThrow(api.rounds(token)).then(
      ({ rounds: list }) => {
        setRounds(list);
        const first = list[0];
        if (first) setSelection({ roundId: first.id, edition: first.boundaryEdition, indicator: 'overall', estimate: 'index' });
      },
      (e: unknown) => (e instanceof ApiError && e.status === 401 ? onLogout() : setError(messageOf(e))),
    );
  }, [token]);

  const round = rounds?.find((r) => r.id === selection?.roundId);
  useEffect(() => {
    if (!round) return;
    orThrow(api.indexDefinition(token, round.indexDefinitionId, round.indexDefinitionVersion)).then(
      (d) => setIndicators(d.indicators),
      (e: unknown) => setError(messageOf(e)),
    );
  }, [round?.id]);

  useEffect(() => {
    if (!selection) return;
    let live = true;
    setFigures(null);
    setError(null);
    const table = (by: AggregatesQuery['by']) => orThrow(api.aggregates(token, selection.roundId, tableOf(selection, by)));
    Promise.all([table('province'), table('national'), table('unit-type'), table('region')]).then(
      ([province, national, unitType, region]) => live && setFigures({ province, national, unitType, region }),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [selection]);

  return { rounds, round, indicators, selection, setSelection, figures, error, setError };
}

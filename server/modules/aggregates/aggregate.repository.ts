/** A round's figures as the index engine computed them, stored per boundary edition. */
import { Schema, type Connection } from 'mongoose';
import type { EditionFigures, EstimateFigures, FigureRow, Grouping, IndicatorFigures, RoundFigures } from '../../../survey-forms/index-engine/round-figures';
import type { BoundaryEdition } from '../../../survey-forms/provinces';
import { modelOn } from '../../db/model';
import { replaceIfNewer } from '../../db/replace-if-newer';
import { touchRoundReplies } from '../rounds/replies-generation';

/**
 * A round's figures on one boundary edition: every indicator, estimate and grouping, as the engine
 * computed them. One document per round and edition (a 63-unit round has two: its own and its
 * re-expression on the 34), read with a projection on the one indicator asked for.
 */
const aggregateSchema = new Schema(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    edition: { type: Number, enum: [63, 34], required: true },
    seq: { type: Number, required: true },
    computedAt: { type: Date, required: true },
    formId: { type: String, required: true },
    formVersion: { type: String, required: true },
    /** The index definition the figures were computed with. */
    definitionId: { type: String, required: true },
    definitionVersion: { type: String, required: true },
    /** The date whose administrative-unit types group the provinces. */
    unitTypesOn: { type: String, required: true },
    responses: { type: Number, required: true },
    weightedResponses: { type: Number, required: true },
    indicators: { type: Schema.Types.Mixed, required: true },
    /** The stamps of the tallies the figures were computed from (tally.repository.ts): the sweep recomputes figures whose tallies moved on. */
    talliesBasis: { type: String, default: null },
  },
  { versionKey: false, collection: 'aggregates', minimize: false },
);

/** What is stored about one round's figures, whatever the indicator. */
export interface AggregateHeader {
  roundId: string;
  edition: BoundaryEdition;
  seq: number;
  computedAt: Date;
  formId: string;
  formVersion: string;
  definitionId: string;
  definitionVersion: string;
  unitTypesOn: string;
  responses: number;
  weightedResponses: number;
}

/** The stored figures of one indicator of a round on one edition. */
export interface StoredIndicatorFigures extends AggregateHeader {
  /** Undefined when the stored figures have no such indicator. */
  figures: IndicatorFigures | undefined;
}

/**
 * Rows are stored as arrays in this column order: a round's figures hold tens of thousands of rows,
 * and repeating nine field names in each would triple the document.
 */
const ROW_COLUMNS = ['group', 'n', 'value', 'low', 'high', 'effectiveN', 'provinces', 'rank', 'reliable'] as const satisfies ReadonlyArray<keyof FigureRow>;
type StoredRow = Array<FigureRow[keyof FigureRow]>;
interface StoredEstimate {
  summary: EstimateFigures['summary'];
  groupings: Record<Grouping, StoredRow[]>;
}
interface StoredIndicator {
  level: IndicatorFigures['level'];
  estimates: Record<keyof IndicatorFigures['estimates'], StoredEstimate | null>;
}

function mapEstimates<A, B>(estimates: Record<keyof IndicatorFigures['estimates'], A | null>, fn: (a: A) => B): Record<keyof IndicatorFigures['estimates'], B | null> {
  return {
    index: estimates.index === null ? null : fn(estimates.index),
    pooled: estimates.pooled === null ? null : fn(estimates.pooled),
    weighted: estimates.weighted === null ? null : fn(estimates.weighted),
  };
}

function encodeIndicator(figures: IndicatorFigures): StoredIndicator {
  return {
    level: figures.level,
    estimates: mapEstimates(figures.estimates, (e: EstimateFigures) => ({
      summary: e.summary,
      groupings: Object.fromEntries(Object.entries(e.groupings).map(([by, rows]) => [by, rows.map((row) => ROW_COLUMNS.map((c) => row[c]))])) as StoredEstimate['groupings'],
    })),
  };
}

function decodeIndicator(stored: StoredIndicator | undefined): IndicatorFigures | undefined {
  if (!stored) return undefined;
  const estimates = mapEstimates(stored.estimates, (e: StoredEstimate) => ({
    summary: e.summary,
    groupings: Object.fromEntries(
      Object.entries(e.groupings).map(([by, rows]) => [by, rows.map((row) => Object.fromEntries(ROW_COLUMNS.map((c, i) => [c, row[i]])) as unknown as FigureRow)]),
    ) as EstimateFigures['groupings'],
  }));
  if (!estimates.index || !estimates.pooled) return undefined;
  return { level: stored.level, estimates: { index: estimates.index, pooled: estimates.pooled, weighted: estimates.weighted } };
}

export type AggregateRepository = ReturnType<typeof createAggregateRepository>;

const aggregateId = (roundId: string, edition: BoundaryEdition): string => `${roundId}|${edition}`;

export function createAggregateRepository(connection: Connection) {
  const Aggregates = modelOn(connection, 'Aggregate', aggregateSchema);

  return {
    /**
     * Stores a round's figures, one document per edition, each only over an older one. Returns whether
     * every edition was written (false: a later computation had already stored newer figures).
     */
    async saveFigures(
      header: Omit<AggregateHeader, 'edition' | 'responses' | 'weightedResponses' | 'definitionId' | 'definitionVersion' | 'unitTypesOn'> & { talliesBasis?: string },
      figures: RoundFigures,
    ): Promise<boolean> {
      const { roundId, seq, ...rest } = header;
      const written = await Promise.all(
        figures.editions.map((edition: EditionFigures) =>
          replaceIfNewer(Aggregates, aggregateId(roundId, edition.edition), seq, {
            ...rest,
            roundId,
            edition: edition.edition,
            definitionId: figures.definitionId,
            definitionVersion: figures.definitionVersion,
            unitTypesOn: figures.unitTypesOn,
            responses: edition.responses,
            weightedResponses: edition.weightedResponses,
            indicators: Object.fromEntries(Object.entries(edition.indicators).map(([id, figures]) => [id, encodeIndicator(figures)])),
          }),
        ),
      );
      if (written.some(Boolean)) await touchRoundReplies(connection, roundId);
      return written.every(Boolean);
    },
    /** The tallies' stamps each stored edition of the round's figures was computed from; empty before its first figures. */
    async talliesBasesOf(roundId: string): Promise<Array<string | null>> {
      const docs = await Aggregates.find({ _id: { $in: [aggregateId(roundId, 63), aggregateId(roundId, 34)] } }, { talliesBasis: 1 }).lean();
      return docs.map((d) => d.talliesBasis ?? null);
    },
    /** When the round's figures on an edition were last computed; undefined before the first time. */
    async computedAt(roundId: string, edition: BoundaryEdition): Promise<Date | undefined> {
      const doc = await Aggregates.findById(aggregateId(roundId, edition), { computedAt: 1 }).lean();
      return doc?.computedAt ?? undefined;
    },
    /** The stored figures of one indicator; undefined when the round has none on that edition yet. */
    async findIndicatorFigures(roundId: string, edition: BoundaryEdition, indicatorId: string): Promise<StoredIndicatorFigures | undefined> {
      const doc = await Aggregates.findById(aggregateId(roundId, edition), {
        roundId: 1,
        edition: 1,
        seq: 1,
        computedAt: 1,
        formId: 1,
        formVersion: 1,
        definitionId: 1,
        definitionVersion: 1,
        unitTypesOn: 1,
        responses: 1,
        weightedResponses: 1,
        [`indicators.${indicatorId}`]: 1,
      }).lean();
      if (!doc) return undefined;
      return {
        roundId: doc.roundId,
        edition: doc.edition as BoundaryEdition,
        seq: doc.seq,
        computedAt: doc.computedAt,
        formId: doc.formId,
        formVersion: doc.formVersion,
        definitionId: doc.definitionId,
        definitionVersion: doc.definitionVersion,
        unitTypesOn: doc.unitTypesOn,
        responses: doc.responses,
        weightedResponses: doc.weightedResponses,
        figures: decodeIndicator((doc.indicators as Record<string, StoredIndicator> | undefined)?.[indicatorId]),
      };
    },
  };
}

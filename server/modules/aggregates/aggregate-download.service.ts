import type { Static } from '@sinclair/typebox';
import { bytesReply, csvReply, jsonReply, type Reply } from '../../http/reply';
import { aggregateCodebook, aggregatesWorkbook, downloadMetadata, type AggregatesView } from '../exports/aggregate-download';
import { aggregatesToCsv, groupLabel, presentAggregates } from './aggregate.present';
import type { AggregatesQuery } from './aggregate.schema';
import { getAggregateTable, type AggregateDeps } from './aggregate.service';

const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `review` also gives stored and counted responses by review status: what the metadata says was left out. */
export interface AggregateDownloadDeps extends AggregateDeps {
  /** @defaultValue the clock */
  now?: () => Date;
}

/**
 * A round's table of figures as the analyst asked for it: the JSON view, or a file named after the
 * round, indicator, estimate, grouping and edition. CSV is the table alone; XLSX and downloaded JSON
 * carry the codebook and the metadata (versions, estimation method, what was left out) beside it.
 */
export async function downloadAggregates(deps: AggregateDownloadDeps, roundId: string, query: Static<typeof AggregatesQuery>): Promise<AggregatesView | Reply> {
  const table = await getAggregateTable(deps, roundId, query);
  const view = presentAggregates(table, deps.provinces, { suppress: query.suppress });
  const fileName = `${view.roundId}-${view.indicator}-${view.estimate}-${view.by}-${view.boundaryEdition}${view.suppressed ? '-suppressed' : ''}`;
  if (query.format === 'csv') return csvReply(aggregatesToCsv(view.fields, view.rows), { fileName: `${fileName}.csv` });
  if (query.format === 'json' && !query.download) return view;
  const metadata = downloadMetadata(view, {
    roundYear: table.round.year,
    review: await deps.review.reviewBreakdown(table.round.id),
    generatedAt: (deps.now ?? (() => new Date()))(),
    reliability: table.rows.map((r) => ({ group: r.group, label: groupLabel(table.by, r.group, table.edition, table.form, deps.provinces), n: r.n, reliable: r.reliable })),
  });
  const codebook = aggregateCodebook(view, table.definition, deps.provinces);
  if (query.format === 'xlsx') return bytesReply(await aggregatesWorkbook(view, codebook, metadata), XLSX_CONTENT_TYPE, { fileName: `${fileName}.xlsx` });
  return jsonReply({ ...view, metadata, codebook }, { fileName: `${fileName}.json` });
}

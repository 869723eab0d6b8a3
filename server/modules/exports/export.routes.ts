import type { AppDeps } from '../../deps';
import { csvReply, streamReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { RoundParams } from '../rounds/round.schema';
import { getRound } from '../rounds/round.service';
import { codebookRows, codebookToCsv } from './microdata';
import { CodebookQuery, CodebookReply, ExportParams, ExportView, RequestExportBody } from './export.schema';
import { EXPORT_CONTENT_TYPES, getExport, microdataColumnsOf, openExportFile, requestMicrodataExport, type ExportDeps } from './export.service';

/** Microdata is for the Ministry's analysts only: even anonymised, it is respondent-level. */
const ANALYSTS = { roles: ['analyst'] } as const;

export function exportRoutes(deps: AppDeps): RouteSpec[] {
  const exportDeps: ExportDeps = {
    rounds: deps.repos.rounds,
    exports: deps.repos.exports,
    forms: deps.forms,
    provinces: deps.provinces,
    jobs: deps.jobs,
  };
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/exports',
      tag: 'exports',
      summary: 'Export a round\'s anonymised microdata as a background job (analyst)',
      description:
        'One row per counted response (the responses the figures count), item codes as columns, provinces as codes (labels in the codebook). ' +
        'No names, phones, addresses, response or sample ids, enumerators, paradata or free-text answers. The file is written by the worker ' +
        'from a cursor, so any size streams; watch `progress` at GET /api/v1/exports/:exportId and download from `downloadUrl` when ready, before `expiresAt`.',
      access: ANALYSTS,
      params: RoundParams,
      body: RequestExportBody,
      successStatus: 202,
      responses: {
        202: { description: 'Queued', schema: ExportView },
        403: { description: 'Not an analyst' },
        404: { description: 'No such round' },
        503: { description: 'The job queue is not reachable; nothing was queued' },
      },
      handler: ({ params, body, user }) => requestMicrodataExport(exportDeps, params.roundId, body.format, user.username),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/exports/:exportId',
      tag: 'exports',
      summary: 'Where an export stands: state, progress (percent and rows), download link and expiry (analyst)',
      access: ANALYSTS,
      params: ExportParams,
      responses: { 200: { description: 'The export', schema: ExportView }, 404: { description: 'No such export' } },
      handler: ({ params }) => getExport(exportDeps, params.exportId),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/exports/:exportId/file',
      tag: 'exports',
      summary: 'Download an export\'s file (analyst)',
      access: ANALYSTS,
      params: ExportParams,
      responses: {
        200: { description: 'The file', contentTypes: [EXPORT_CONTENT_TYPES.csv, EXPORT_CONTENT_TYPES.xlsx] },
        404: { description: 'No such export' },
        409: { description: 'Not ready yet, or failed (`export_not_ready`)' },
        410: { description: 'Expired: its file has been deleted; request a new export' },
      },
      handler: async ({ params }) => {
        const { record, stream } = await openExportFile(exportDeps, params.exportId);
        return streamReply(stream, EXPORT_CONTENT_TYPES[record.format], { fileName: record.fileName, length: record.bytes });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/microdata/codebook',
      tag: 'exports',
      summary: 'The codebook of a round\'s microdata: every column, and every code with its labels (analyst)',
      access: ANALYSTS,
      params: RoundParams,
      query: CodebookQuery,
      responses: { 200: { description: 'The codebook', schema: CodebookReply, contentTypes: ['text/csv'] }, 404: { description: 'No such round' } },
      handler: async ({ params, query }) => {
        const round = await getRound(exportDeps, params.roundId);
        const rows = codebookRows(microdataColumnsOf(exportDeps, round));
        if (query.format === 'csv') return csvReply(codebookToCsv(rows), { fileName: `${round.id}-microdata-codebook.csv` });
        return { roundId: round.id, formId: round.formId, formVersion: round.formVersion, boundaryEdition: round.boundaryEdition, rows };
      },
    }),
  ];
}

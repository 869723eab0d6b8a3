import type { AppDeps } from '../../deps';
import { CACHE, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { getRound } from '../rounds/round.service';
import { uploadedCsv } from '../uploads/spreadsheet-upload';
import { presentImport, presentSampleUnit } from './sample.present';
import { SampleImportBody, SampleImportQuery, SampleImportReply, SampleListQuery, SampleListReply, SampleParams } from './sample.schema';
import { importSample, listSample, type SampleDeps } from './sample.service';

export function sampleDeps(deps: AppDeps): SampleDeps {
  return {
    sampleUnits: deps.repos.sampleUnits,
    sampleContacts: deps.repos.sampleContacts,
    rounds: deps.repos.rounds,
    forms: deps.forms,
    provinces: deps.provinces,
    personalData: deps.personalData,
    postOffices: deps.repos.postOffices,
  };
}

export function sampleRoutes(deps: AppDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/sample',
      tag: 'sample',
      summary: "Import a round's sample list (supervisor, admin)",
      description:
        'CSV text, an XLSX workbook (base64) or JSON objects. Every problem of every row is reported (line, field, reason). A file with problems is refused ' +
        'whole unless skipInvalid=true; dryRun=true only reports them (a preview). A supervisor imports only units of their provinces. Names, phones and addresses are ' +
        'encrypted before they are stored and never appear in figures or exports.',
      access: { roles: ['supervisor', 'admin'] },
      params: SampleParams,
      query: SampleImportQuery,
      body: SampleImportBody,
      responses: {
        200: { description: 'Imported; with skipInvalid=true, the rows left out and why', schema: SampleImportReply },
        400: { description: 'Rows with problems (nothing imported), or an unreadable file; `details` lists each problem with its line' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, query, body, user }) => {
        const csv = await uploadedCsv(body);
        const rows = csv !== undefined ? { csv } : { units: body.units };
        return presentImport(await importSample(sampleDeps(deps), user, params.roundId, rows, query.skipInvalid, query.dryRun));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/sample',
      tag: 'sample',
      summary: "A round's sample units with their status and contacts (supervisor: own provinces; admin)",
      access: { roles: ['supervisor', 'admin'] },
      params: SampleParams,
      query: SampleListQuery,
      responses: {
        200: { description: 'A page of units, ordered by province and unit id', schema: SampleListReply },
        403: { description: 'The province is not one of yours' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, query, user }) => {
        const round = await getRound(deps.repos, params.roundId);
        const page = await listSample(sampleDeps(deps), user, round.id, query);
        // Names, phones and addresses: never kept by any cache.
        return jsonReply(
          {
            total: page.total,
            units: page.units.map(({ unit, contact }) =>
              presentSampleUnit(unit, contact, deps.provinces.province(round.boundaryEdition, unit.provinceCode)?.nameShort ?? unit.provinceCode),
            ),
          },
          { cacheControl: CACHE.noStore },
        );
      },
    }),
  ];
}

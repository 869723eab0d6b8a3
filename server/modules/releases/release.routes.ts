import type { AppDeps } from '../../deps';
import { bytesReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { RoundParams } from '../rounds/round.schema';
import { provinceView, reportCard, reportCardArchive, tableDownload, tableDownloads } from './public-release.service';
import { CONTENT_TYPES } from './release-files';
import { presentRelease } from './release.present';
import {
  ApproveReleaseBody,
  ChangesQuery,
  ChangesReply,
  CheckReply,
  DownloadsReply,
  PrepareReleaseBody,
  ProvinceParams,
  ProvinceReply,
  ReleaseList,
  ReleaseParams,
  ReleaseView,
  TableQuerySchema,
  TableReply,
} from './release.schema';
import { approveRelease, checkRelease, getRelease, isPublic, prepareRelease, type ReleaseDeps } from './release.service';
import { createReleaseResponseRepository } from './release-responses.repository';

/** Staff who may read releases, published or not. */
const STAFF = ['admin', 'analyst', 'supervisor'] as const;
const MARKED = ' Until the release is public (approved and past its embargo) the reply, and every file, says "chưa công bố".';

export function releaseDepsOf(deps: AppDeps): ReleaseDeps {
  return {
    rounds: deps.repos.rounds,
    forms: deps.forms,
    definitions: deps.definitions,
    provinces: deps.provinces,
    releases: deps.repos.releases,
    releaseResponses: createReleaseResponseRepository(deps.connection),
    audit: deps.repos.audit,
  };
}

export function releaseRoutes(deps: AppDeps): RouteSpec[] {
  const releaseDeps = releaseDepsOf(deps);
  const view = async (id: string) => {
    const release = await getRelease(releaseDeps, id);
    return presentRelease(release, isPublic(release, new Date()));
  };
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/releases',
      tag: 'releases',
      summary: 'Prepare a release: freeze every figure of the round with what it came from',
      description:
        'Computes every table (edition × indicator × estimate × grouping) from the responses counted now and freezes it with its provenance: ' +
        'the digest of the counted response ids, questionnaire and index definition versions (with their SHA-256), weights, boundary edition, ' +
        'software version, and the release changes are measured against (the latest approved release of the previous round). ' +
        'The release gets the next number of its year (`2024.1`). With `corrects` (an approved release of the round) and `reason` it is a ' +
        'correction, with a change log of every figure that moved. Later review decisions and responses never change it.',
      access: { roles: ['analyst', 'admin'] },
      params: RoundParams,
      body: PrepareReleaseBody,
      successStatus: 201,
      responses: {
        201: { description: 'Prepared; it waits for another administrator\'s approval', schema: ReleaseView },
        400: { description: '`corrects` is not an approved release of the round, or a correction without `reason`' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, body, user }) => presentRelease(await prepareRelease(releaseDeps, params.roundId, body, user), false),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/releases',
      tag: 'releases',
      summary: 'The releases of a round, newest first',
      access: { roles: STAFF },
      params: RoundParams,
      responses: { 200: { description: 'Releases', schema: ReleaseList } },
      handler: async ({ params }) => {
        const now = new Date();
        return { releases: (await releaseDeps.releases.list(params.roundId)).map((r) => presentRelease(r, isPublic(r, now))) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/releases',
      tag: 'releases',
      summary: 'Every release, newest first',
      access: { roles: STAFF },
      responses: { 200: { description: 'Releases', schema: ReleaseList } },
      handler: async () => {
        const now = new Date();
        return { releases: (await releaseDeps.releases.list()).map((r) => presentRelease(r, isPublic(r, now))) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/releases/:releaseId',
      tag: 'releases',
      summary: 'A release: state, sign-off, embargo and provenance',
      description: MARKED,
      access: { roles: STAFF },
      params: ReleaseParams,
      responses: { 200: { description: 'The release', schema: ReleaseView }, 404: { description: 'No such release' } },
      handler: ({ params }) => view(params.releaseId),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/releases/:releaseId/approve',
      tag: 'releases',
      summary: 'Approve a release with its embargo time (an administrator other than its preparer)',
      description: 'Two people, always: the preparer may never approve (403 `same_person`). Both acts are in the audit log (`release/<id>`).',
      access: { roles: ['admin'] },
      params: ReleaseParams,
      body: ApproveReleaseBody,
      responses: {
        200: { description: 'Approved', schema: ReleaseView },
        403: { description: 'Not an administrator, or the administrator who prepared it (`same_person`)' },
        404: { description: 'No such release' },
        409: { description: 'Already approved (`release_approved`)' },
      },
      handler: async ({ params, body, user }) => {
        const approved = await approveRelease(releaseDeps, params.releaseId, new Date(body.embargoUntil), user);
        return presentRelease(approved, isPublic(approved, new Date()));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/releases/:releaseId/check',
      tag: 'releases',
      summary: 'Reproducibility check: recompute the release from the responses it counted',
      description:
        'Reads the very responses the release counted (whatever was decided on them since) and the method it names, recomputes every table, ' +
        'and says whether the result is byte-identical to what was recorded and stored; where not, each differing figure (stored → recomputed).',
      access: { roles: ['analyst', 'admin'] },
      params: ReleaseParams,
      responses: { 200: { description: 'The report', schema: CheckReply }, 404: { description: 'No such release' } },
      handler: async ({ params }) => {
        const report = await checkRelease(releaseDeps, params.releaseId);
        return { ...report, checkedAt: report.checkedAt.toISOString() };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/releases/:releaseId/changes',
      tag: 'releases',
      summary: 'The change log of a correction: every figure that moved, old → new, and why',
      description: MARKED,
      access: { roles: STAFF },
      params: ReleaseParams,
      query: ChangesQuery,
      responses: { 200: { description: 'Changes', schema: ChangesReply }, 404: { description: 'No such release' } },
      handler: async ({ params, query }) => {
        const release = await getRelease(releaseDeps, params.releaseId);
        const all = (await releaseDeps.releases.changesOf(release.id)).filter((c) => !query.table || c.table === query.table);
        return {
          releaseId: release.id,
          corrects: release.corrects,
          reason: release.correctionReason,
          notice: isPublic(release, new Date()) ? null : { vi: 'chưa công bố', en: 'not yet published' },
          total: all.length,
          changes: all.slice(query.offset, query.offset + query.limit),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/releases/:releaseId/tables',
      tag: 'releases',
      summary: 'A frozen table of a release, as JSON, CSV or XLSX',
      description: MARKED,
      access: { roles: STAFF },
      params: ReleaseParams,
      query: TableQuerySchema,
      responses: {
        200: { description: 'The table, or its file', schema: TableReply, contentTypes: [CONTENT_TYPES.csv, CONTENT_TYPES.xlsx] },
        400: { description: 'An edition, indicator or estimate the release has no table for' },
        404: { description: 'No such release' },
      },
      handler: async ({ params, query }) => {
        const file = await tableDownload(releaseDeps, params.releaseId, 'staff', query, query.format);
        const attach = query.format !== 'json' || query.download;
        return bytesReply(file.bytes, CONTENT_TYPES[query.format], attach ? { fileName: file.fileName } : {});
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/releases/:releaseId/downloads',
      tag: 'releases',
      summary: 'The files of a table (CSV, XLSX, JSON) with the SHA-256 of each',
      description: MARKED,
      access: { roles: STAFF },
      params: ReleaseParams,
      query: TableQuerySchema,
      responses: { 200: { description: 'Files', schema: DownloadsReply }, 404: { description: 'No such release' } },
      handler: ({ params, query }) => tableDownloads(releaseDeps, params.releaseId, 'staff', query, `/api/v1/releases/${params.releaseId}`),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/releases/:releaseId/provinces/:provinceCode',
      tag: 'releases',
      summary: "A province's figures in a release",
      description: MARKED,
      access: { roles: STAFF },
      params: ProvinceParams,
      responses: { 200: { description: 'The province', schema: ProvinceReply }, 404: { description: 'No such release or province' } },
      handler: ({ params }) => provinceView(releaseDeps, params.releaseId, params.provinceCode, 'staff'),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/releases/:releaseId/provinces/:provinceCode/report-card',
      tag: 'releases',
      summary: "A province's report card (PDF, A4, Vietnamese)",
      description: MARKED,
      access: { roles: STAFF },
      params: ProvinceParams,
      responses: { 200: { description: 'The PDF', contentTypes: ['application/pdf'] }, 404: { description: 'No such release or province' } },
      handler: async ({ params }) => {
        const file = await reportCard(releaseDeps, params.releaseId, params.provinceCode, 'staff');
        return bytesReply(file.bytes, 'application/pdf', { fileName: file.fileName });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/releases/:releaseId/report-cards',
      tag: 'releases',
      summary: 'Every province\'s report card in one zip',
      description: MARKED,
      access: { roles: STAFF },
      params: ReleaseParams,
      responses: { 200: { description: 'The zip', contentTypes: ['application/zip'] }, 404: { description: 'No such release' } },
      handler: async ({ params }) => {
        const file = await reportCardArchive(releaseDeps, params.releaseId, 'staff');
        return bytesReply(file.bytes, 'application/zip', { fileName: file.fileName });
      },
    }),
  ];
}

/**
 * The public face of releases: no login, only approved releases past their embargo. Anything else —
 * a release still embargoed, one only prepared, one that never was — is the same 404, so nothing
 * says a release exists before it is out. Replies are frozen data: cacheable, with an ETag.
 */
import type { AppDeps } from '../../deps';
import { bytesReply, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { sha256 } from '../../../survey-forms/release/release-tables';
import {
  latestPublicRelease,
  listPublicReleases,
  provinceView,
  publicReleaseView,
  releaseContext,
  reportCard,
  reportCardArchive,
  tableDownload,
  tableDownloads,
} from './public-release.service';
import { CONTENT_TYPES } from './release-files';
import { ChangesQuery, ChangesReply, DownloadsReply, ProvinceParams, ProvinceReply, PublicReleaseList, PublicReleaseReply, ReleaseParams, TableQuerySchema, TableReply } from './release.schema';
import { releaseDepsOf } from './release.routes';

/** A frozen release's tables and files never change; what lists releases changes when one comes out. */
const FROZEN = 'public, max-age=3600';
const LISTING = 'public, max-age=60';
const NOT_OUT = 'A release that is not public (still under embargo, not approved, or unknown): the same 404 for all';

const cachedJson = (value: unknown, cacheControl: string) => jsonReply(value, { cacheControl, headers: { ETag: `"${sha256(JSON.stringify(value))}"` } });

export function publicReleaseRoutes(deps: AppDeps): RouteSpec[] {
  const releaseDeps = releaseDepsOf(deps);
  const base = (id: string): string => `/api/v1/public/releases/${id}`;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/public/releases',
      tag: 'public',
      summary: 'Published releases, latest embargo first (no login)',
      access: 'public',
      responses: { 200: { description: 'Releases past their embargo', schema: PublicReleaseList } },
      handler: async () => cachedJson({ releases: await listPublicReleases(releaseDeps) }, LISTING),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/public/releases/latest',
      tag: 'public',
      summary: 'The latest published release (no login)',
      description: 'Of the latest year, the release whose embargo ended last (so a correction supersedes what it corrects).',
      access: 'public',
      responses: { 200: { description: 'The release', schema: PublicReleaseReply }, 404: { description: 'No release is past its embargo' } },
      handler: async () => cachedJson(await publicReleaseView(releaseDeps, (await latestPublicRelease(releaseDeps)).id), LISTING),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/public/releases/:releaseId',
      tag: 'public',
      summary: 'A published release: when, what it came from, its indicators (no login)',
      access: 'public',
      params: ReleaseParams,
      responses: { 200: { description: 'The release', schema: PublicReleaseReply }, 404: { description: NOT_OUT } },
      handler: async ({ params }) => cachedJson(await publicReleaseView(releaseDeps, params.releaseId), LISTING),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/public/releases/:releaseId/tables',
      tag: 'public',
      summary: 'A table of a published release: JSON, or the CSV or XLSX file (no login)',
      description: 'Rows by province carry their unit type and region; `unitType` and `region` filter them. The files are the bytes `downloads` gives the SHA-256 of.',
      access: 'public',
      params: ReleaseParams,
      query: TableQuerySchema,
      responses: {
        200: { description: 'The table, or its file', schema: TableReply, contentTypes: [CONTENT_TYPES.csv, CONTENT_TYPES.xlsx] },
        400: { description: 'An edition, indicator or estimate the release has no table for' },
        404: { description: NOT_OUT },
      },
      handler: async ({ params, query }) => {
        const file = await tableDownload(releaseDeps, params.releaseId, 'public', query, query.format);
        const attach = query.format !== 'json' || query.download;
        return bytesReply(file.bytes, CONTENT_TYPES[query.format], { ...(attach ? { fileName: file.fileName } : {}), cacheControl: FROZEN, headers: { ETag: `"${file.sha256}"` } });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/public/releases/:releaseId/downloads',
      tag: 'public',
      summary: 'The files of a table (CSV, XLSX, JSON) with the SHA-256 of each (no login)',
      access: 'public',
      params: ReleaseParams,
      query: TableQuerySchema,
      responses: { 200: { description: 'Files', schema: DownloadsReply }, 404: { description: NOT_OUT } },
      handler: async ({ params, query }) => cachedJson(await tableDownloads(releaseDeps, params.releaseId, 'public', query, base(params.releaseId)), FROZEN),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/public/releases/:releaseId/changes',
      tag: 'public',
      summary: 'The change log of a published correction (no login)',
      access: 'public',
      params: ReleaseParams,
      query: ChangesQuery,
      responses: { 200: { description: 'Changes', schema: ChangesReply }, 404: { description: NOT_OUT } },
      handler: async ({ params, query }) => {
        const { release } = await releaseContext(releaseDeps, params.releaseId, 'public');
        const all = (await releaseDeps.releases.changesOf(release.id)).filter((c) => !query.table || c.table === query.table);
        return cachedJson(
          { releaseId: release.id, corrects: release.corrects, reason: release.correctionReason, notice: null, total: all.length, changes: all.slice(query.offset, query.offset + query.limit) },
          FROZEN,
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/public/releases/:releaseId/provinces/:provinceCode',
      tag: 'public',
      summary: "A province's page: value, rank, change, its elements or components against the national figure, trend (no login)",
      access: 'public',
      params: ProvinceParams,
      responses: { 200: { description: 'The province', schema: ProvinceReply }, 404: { description: `${NOT_OUT}; or no such province` } },
      handler: async ({ params }) => cachedJson(await provinceView(releaseDeps, params.releaseId, params.provinceCode, 'public'), LISTING),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/public/releases/:releaseId/provinces/:provinceCode/report-card',
      tag: 'public',
      summary: "A province's report card: A4 PDF in Vietnamese (no login)",
      access: 'public',
      params: ProvinceParams,
      responses: { 200: { description: 'The PDF', contentTypes: ['application/pdf'] }, 404: { description: `${NOT_OUT}; or no such province` } },
      handler: async ({ params }) => {
        const file = await reportCard(releaseDeps, params.releaseId, params.provinceCode, 'public');
        return bytesReply(file.bytes, 'application/pdf', { fileName: file.fileName, cacheControl: LISTING, headers: { ETag: `"${file.sha256}"` } });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/public/releases/:releaseId/report-cards',
      tag: 'public',
      summary: 'Every province\'s report card in one zip (no login)',
      access: 'public',
      params: ReleaseParams,
      responses: { 200: { description: 'The zip', contentTypes: ['application/zip'] }, 404: { description: NOT_OUT } },
      handler: async ({ params }) => {
        const file = await reportCardArchive(releaseDeps, params.releaseId, 'public');
        return bytesReply(file.bytes, 'application/zip', { fileName: file.fileName, cacheControl: LISTING, headers: { ETag: `"${file.sha256}"` } });
      },
    }),
  ];
}

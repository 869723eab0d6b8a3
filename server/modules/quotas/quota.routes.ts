import type { PostOffice } from '../../../survey-forms/field-scope';
import type { AppDeps } from '../../deps';
import { CACHE, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { provincesToShow } from '../review/review.service';
import { RoundParams } from '../rounds/round.schema';
import { getRound } from '../rounds/round.service';
import { scopeToShow } from '../post-offices/post-office.service';
import { ProgressChangesQuery, ProgressChangesReply, QuotaCellBody, QuotaImportBody, QuotaImportQuery, QuotaImportReply, QuotaListQuery, QuotaProgressQuery, QuotaProgressReply, QuotaTargetsReply } from './quota.schema';
import { uploadedCsv } from '../uploads/spreadsheet-upload';
import { importQuotas, quotaProgress, type QuotaDeps } from './quota.service';
import { createResponseCountsCache } from './response-counts-cache';

export function quotaRoutes(deps: AppDeps): RouteSpec[] {
  // One per app: the counts of the views read lately, re-counted only where responses changed.
  const responseCounts = createResponseCountsCache(deps.repos.quotaStatistics);
  const quotaDeps = (): QuotaDeps => ({
    rounds: deps.repos.rounds,
    quotaStatistics: deps.repos.quotaStatistics,
    sampleUnits: deps.repos.sampleUnits,
    quotas: deps.repos.quotas,
    audit: deps.repos.audit,
    forms: deps.forms,
    provinces: deps.provinces,
    postOffices: deps.repos.postOffices,
    responseCounts,
  });
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/quotas',
      tag: 'quotas',
      summary: 'Import quota targets per province × serving level × service field (× respondent type) (supervisor: own provinces; admin)',
      description:
        'CSV text or JSON objects; each row sets one cell\'s target. Every problem of every row is reported (line, field, reason) and a file with ' +
        'problems is refused whole unless skipInvalid=true; dryRun=true only reports them with each cell that would change, old → new (a preview). ' +
        'Each changed target goes to the audit log.',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      query: QuotaImportQuery,
      body: QuotaImportBody,
      responses: {
        200: { description: 'Stored, with the cells changed; with skipInvalid=true, the rows left out and why; with dryRun=true, what would be stored', schema: QuotaImportReply },
        400: { description: 'Rows with problems (nothing stored), or an unreadable file' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, query, body, user }) => {
        const csv = await uploadedCsv(body);
        return importQuotas(quotaDeps(), user, params.roundId, csv !== undefined ? { csv } : { targets: body.targets }, query.skipInvalid, query.dryRun);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/rounds/:roundId/quotas/cell',
      tag: 'quotas',
      summary: 'Set the target of one quota cell (supervisor: own provinces; admin)',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      body: QuotaCellBody,
      responses: {
        200: { description: 'Stored', schema: QuotaImportReply },
        400: { description: 'A code that is not in the questionnaire, a province not of the round\'s edition or not yours' },
        404: { description: 'No such round' },
      },
      handler: ({ params, body, user }) => importQuotas(quotaDeps(), user, params.roundId, { targets: [body] }, false),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/quotas',
      tag: 'quotas',
      summary: 'Quota targets of a round, within your provinces (supervisor, admin)',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      query: QuotaListQuery,
      responses: { 200: { description: 'The targets', schema: QuotaTargetsReply }, 403: { description: 'Not one of your provinces' }, 404: { description: 'No such round' } },
      handler: async ({ params, query, user }) => {
        const round = await getRound(deps.repos, params.roundId);
        const targets = await deps.repos.quotas.list(round.id, provincesToShow(user, query.province).provinces);
        return {
          roundId: round.id,
          targets: targets.map((t) => ({
            provinceCode: t.provinceCode,
            servingLevel: t.servingLevel,
            serviceField: t.serviceField,
            respondentType: t.respondentType,
            target: t.target,
            updatedAt: t.updatedAt.toISOString(),
            updatedBy: t.updatedBy,
          })),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/quota-progress',
      tag: 'quotas',
      summary: 'Quota progress rolled up enumerator → post office → province → national, within your scope (supervisor, admin)',
      description:
        'Counted from stored responses at the time of the request: accepted (clear or approved), awaiting review, flagged, rejected, ' +
        'not yet checked, and the response rate from the sample units\' outcome codes. Pace: interviews of the last seven days up to `asOf` ' +
        '(default today); forecast: the day the target is reached at that pace, against the round\'s end of fieldwork, and its `paceStatus` (on-track, behind: late by up to 7 days, at-risk: later or no ' +
        'interviews this week). `postOffices` and `enumerators` roll up the same counts; a post-office supervisor sees their post office only ' +
        '(another one is a 403). The national overview asks `cells=false&details=false`: one row per province and the totals. The server keeps ' +
        'the response counts of recent views and re-counts only the provinces whose responses changed since (as `progress-changes` reports them).',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      query: QuotaProgressQuery,
      responses: {
        200: { description: 'The progress', schema: QuotaProgressReply },
        403: { description: 'The province asked for is not one of yours' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, query, user }) => {
        const round = await getRound(deps.repos, params.roundId);
        const report = await quotaProgress(quotaDeps(), user, round.id, query);
        const name = (code: string): string => deps.provinces.province(round.boundaryEdition, code)?.name ?? code;
        const officeNames = report.postOffices.length > 0 ? await deps.repos.postOffices.findMany(report.postOffices.map((o) => o.postOffice)) : new Map<string, PostOffice>();
        // Live counts (brought up to date on every read): a copy kept by the browser would be stale at once.
        return jsonReply(
          {
            ...report,
            cells: report.cells.map((c) => ({ ...c, provinceName: name(c.provinceCode) })),
            provinces: report.provinces.map((p) => ({ ...p, provinceName: name(p.provinceCode) })),
            postOffices: report.postOffices.map((o) => ({ ...o, postOfficeName: officeNames.get(o.postOffice)?.name ?? o.postOffice, provinceName: name(o.provinceCode) })),
          },
          { cacheControl: CACHE.noStore },
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/progress-changes',
      tag: 'quotas',
      summary: 'Which provinces changed since a moment: the small poll a dashboard makes between full reads (supervisor, admin)',
      description:
        'A dashboard reads the progress once, then asks every few seconds what changed since the `now` of its last answer and reads only ' +
        'those provinces again (`quota-progress?province=`), so an update carries what changed and not the whole round.',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      query: ProgressChangesQuery,
      responses: { 200: { description: 'The changed provinces', schema: ProgressChangesReply }, 404: { description: 'No such round' } },
      handler: async ({ params, query, user }) => {
        const round = await getRound(deps.repos, params.roundId);
        const scope = await scopeToShow(deps.repos.postOffices, user, {});
        // Taken before reading, so a change made while reading is reported again next time rather than missed.
        const now = new Date();
        const provinces = await deps.repos.quotaStatistics.provincesChangedSince(round.id, scope, new Date(query.since));
        return jsonReply({ now: now.toISOString(), provinces }, { cacheControl: CACHE.noStore });
      },
    }),
  ];
}

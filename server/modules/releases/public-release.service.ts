/**
 * Reading releases as the results site does: the public sees only approved releases past their
 * embargo (anything else is a 404, as if it did not exist); staff see every release, marked
 * "chưa công bố" until it is public. Everything read here is frozen, so tables, files and report
 * cards are kept in memory once made and served with their SHA-256 as ETag.
 */
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { Estimate, Grouping } from '../../../survey-forms/index-engine/round-figures';
import { sha256, tableKey } from '../../../survey-forms/release/release-tables';
import { notFound } from '../../http/problem';
import { CONTENT_TYPES, FILE_FORMATS, tableFile, type FileFormat, type ReleaseFile } from './release-files';
import { findTable, presentProvince, presentPublicRelease, presentTable, type ReleaseContext, type TableQuery, type TrendPoint } from './release.present';
import type { ReleaseRecord } from './release.repository';
import { getRelease, isPublic, releaseTables, type ReleaseDeps } from './release.service';
import { reportCardPdf } from './report-card';

export type Audience = 'public' | 'staff';

const nowOf = (deps: Pick<ReleaseDeps, 'now'>): Date => (deps.now ?? (() => new Date()))();

/** A release as the audience may read it; for the public, one not yet public is not found. */
export async function releaseContext(deps: ReleaseDeps, releaseId: string, audience: Audience): Promise<ReleaseContext> {
  const release = await deps.releases.findById(releaseId);
  const open = release !== undefined && isPublic(release, nowOf(deps));
  if (!release || (audience === 'public' && !open)) throw notFound(`Release ${releaseId}`);
  const form = deps.forms.get(release.provenance.form.formId, release.provenance.form.version);
  const definition = deps.definitions.get(release.provenance.indexDefinition.definitionId, release.provenance.indexDefinition.version);
  if (!form || !definition) throw notFound(`The method of release ${releaseId}`);
  return { release, form, definition, provinces: deps.provinces, marked: !open };
}

/** The latest public release: of the latest year, the one whose embargo ended last (a correction supersedes). */
export async function latestPublicRelease(deps: ReleaseDeps): Promise<ReleaseRecord> {
  const all = await deps.releases.listPublic(nowOf(deps));
  const latest = [...all].sort((a, b) => b.year - a.year || (b.embargoUntil?.getTime() ?? 0) - (a.embargoUntil?.getTime() ?? 0))[0];
  if (!latest) throw notFound('A published release');
  return latest;
}

export async function listPublicReleases(deps: ReleaseDeps) {
  const all = await deps.releases.listPublic(nowOf(deps));
  return all.map((r) => ({ releaseId: r.id, roundId: r.roundId, year: r.year, publishedAt: r.embargoUntil?.toISOString() ?? '', corrects: r.corrects }));
}

export async function publicReleaseView(deps: ReleaseDeps, releaseId: string) {
  const ctx = await releaseContext(deps, releaseId, 'public');
  const corrections = (await deps.releases.listPublic(nowOf(deps))).filter((r) => r.corrects === releaseId);
  return presentPublicRelease(ctx, corrections[0]?.id ?? null);
}

export async function tableView(deps: ReleaseDeps, releaseId: string, audience: Audience, query: TableQuery) {
  const ctx = await releaseContext(deps, releaseId, audience);
  const tables = await releaseTables(deps, releaseId);
  return presentTable(ctx, findTable(ctx, tables, query), query);
}

const fileCache = new Map<string, Promise<ReleaseFile>>();
const FILE_CACHE_SIZE = 200;

function cached(key: string, make: () => Promise<ReleaseFile>): Promise<ReleaseFile> {
  const hit = fileCache.get(key);
  if (hit) return hit;
  const made = make();
  made.catch(() => fileCache.delete(key));
  fileCache.set(key, made);
  while (fileCache.size > FILE_CACHE_SIZE) fileCache.delete(fileCache.keys().next().value as string);
  return made;
}

const madeAtOf = (release: ReleaseRecord): Date => release.approvedAt ?? release.preparedAt;

/** A table as a file; the same release and query always give the same bytes. */
export async function tableDownload(deps: ReleaseDeps, releaseId: string, audience: Audience, query: TableQuery, format: FileFormat): Promise<ReleaseFile> {
  const view = await tableView(deps, releaseId, audience, query);
  const release = await getRelease(deps, releaseId);
  const key = `${releaseId}|${view.notice ? 'marked' : 'open'}|${format}|${JSON.stringify([view.edition, view.indicator, view.estimate, view.by, view.unitType, view.region])}`;
  return cached(key, () => tableFile(view, format, madeAtOf(release)));
}

/** Every format of a table, each with its size and SHA-256, and where to fetch it. */
export async function tableDownloads(deps: ReleaseDeps, releaseId: string, audience: Audience, query: TableQuery, basePath: string) {
  const files = await Promise.all(FILE_FORMATS.map((format) => tableDownload(deps, releaseId, audience, query, format)));
  const params = (format: FileFormat): string =>
    new URLSearchParams(
      Object.entries({ edition: query.edition, indicator: query.indicator, estimate: query.estimate, by: query.by, unitType: query.unitType, region: query.region, format, download: true })
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, String(v)]),
    ).toString();
  return {
    releaseId,
    files: files.map((f, i) => {
      const format = FILE_FORMATS[i] ?? 'json';
      return { format, fileName: f.fileName, contentType: CONTENT_TYPES[format], bytes: f.bytes.length, sha256: f.sha256, url: `${basePath}/tables?${params(format)}` };
    }),
  };
}

/** The province's overall index in every public release of its year or earlier (the latest version of each round). */
async function trendOf(deps: ReleaseDeps, ctx: ReleaseContext, provinceCode: string, audience: Audience): Promise<TrendPoint[]> {
  const candidates = audience === 'public' ? await deps.releases.listPublic(nowOf(deps)) : (await deps.releases.list()).filter((r) => r.status === 'approved');
  const byRound = new Map<string, ReleaseRecord>();
  for (const r of [...candidates, ctx.release]) {
    if (r.year > ctx.release.year || r.provenance.indexDefinition.definitionId !== ctx.release.provenance.indexDefinition.definitionId) continue;
    const known = byRound.get(r.roundId);
    // The release being read stands for its round; otherwise the latest version of each round.
    if (r.roundId === ctx.release.roundId) byRound.set(r.roundId, ctx.release);
    else if (!known || (r.embargoUntil?.getTime() ?? 0) > (known.embargoUntil?.getTime() ?? 0)) byRound.set(r.roundId, r);
  }
  const edition = ctx.release.provenance.boundaryEdition;
  const points: TrendPoint[] = [];
  for (const r of byRound.values()) {
    if (!r.provenance.editions.includes(edition)) continue;
    const tables = await releaseTables(deps, r.id);
    const row = tables.find((t) => tableKey(t) === tableKey({ edition, indicator: 'overall', estimate: 'index', grouping: 'province' }))?.rows.find((x) => x.group === provinceCode);
    points.push({ releaseId: r.id, year: r.year, value: row?.value ?? null, rank: row?.rank ?? null });
  }
  return points.sort((a, b) => a.year - b.year);
}

export async function provinceView(deps: ReleaseDeps, releaseId: string, provinceCode: string, audience: Audience) {
  const ctx = await releaseContext(deps, releaseId, audience);
  const tables = await releaseTables(deps, releaseId);
  return presentProvince(ctx, tables, provinceCode, await trendOf(deps, ctx, provinceCode, audience));
}

/** A province's report card as a PDF. */
export async function reportCard(deps: ReleaseDeps, releaseId: string, provinceCode: string, audience: Audience): Promise<ReleaseFile> {
  const view = await provinceView(deps, releaseId, provinceCode, audience);
  const release = await getRelease(deps, releaseId);
  const fileName = `sipas-${releaseId}-${provinceCode}${view.notice ? '-chua-cong-bo' : ''}.pdf`;
  return cached(`${releaseId}|${view.notice ? 'marked' : 'open'}|card|${provinceCode}|${view.trend.map((t) => t.releaseId).join(',')}`, async () => {
    const bytes = await reportCardPdf(view, madeAtOf(release));
    return { fileName, format: 'pdf', bytes, sha256: sha256(bytes) };
  });
}

/** Every province's report card in one zip, in province order. */
export async function reportCardArchive(deps: ReleaseDeps, releaseId: string, audience: Audience): Promise<ReleaseFile> {
  const ctx = await releaseContext(deps, releaseId, audience);
  const codes = deps.provinces.provinces(ctx.release.provenance.boundaryEdition).map((p) => p.code);
  const fileName = `sipas-${releaseId}-phieu-ket-qua${ctx.marked ? '-chua-cong-bo' : ''}.zip`;
  return cached(`${releaseId}|${ctx.marked ? 'marked' : 'open'}|cards`, async () => {
    const zip = new ZipFile();
    const mtime = madeAtOf(ctx.release);
    for (const code of codes) {
      const card = await reportCard(deps, releaseId, code, audience);
      zip.addBuffer(card.bytes, card.fileName, { mtime });
    }
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream as Readable) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    return { fileName, format: 'zip', bytes, sha256: sha256(bytes) };
  });
}

export type { Estimate, Grouping };

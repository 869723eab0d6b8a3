/**
 * Releases of a round's figures: prepared by an analyst (frozen with what they came from), approved
 * by another person with an embargo time, corrected only by a new release with a change log, and
 * checked by recomputing them from the responses they counted.
 */
import type { FormCatalogue, IndexDefinitionCatalogue } from '../../../survey-forms/catalogue';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { diffTables, explainChanges, type FigureChange } from '../../../survey-forms/release/release-changes';
import { nextReleaseNumber, responseSetDigest, tableKey, tablesDigest, weightsDigest, type ReleaseTable } from '../../../survey-forms/release/release-tables';
import { HttpProblem, notFound, validationFailed } from '../../http/problem';
import { methodOfRound } from '../aggregates/aggregation.service';
import type { AuditRepository } from '../review/audit.repository';
import type { RoundRepository } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import type { AuthenticatedUser } from '../users/user.schema';
import { freezeFigures, methodFileDigest, softwareVersion } from './release-freeze.service';
import type { ReleaseResponseRepository } from './release-responses.repository';
import type { ChangeSummary, ReleaseRecord, ReleaseRepository } from './release.repository';

export interface ReleaseDeps {
  rounds: RoundRepository;
  forms: FormCatalogue;
  definitions: IndexDefinitionCatalogue;
  provinces: ProvinceReference;
  releases: ReleaseRepository;
  releaseResponses: ReleaseResponseRepository;
  audit: AuditRepository;
  now?: () => Date;
}

const nowOf = (deps: Pick<ReleaseDeps, 'now'>): Date => (deps.now ?? (() => new Date()))();

/** Whether anyone may see a release without logging in: approved, and its embargo has passed. */
export function isPublic(release: ReleaseRecord, now: Date): boolean {
  return release.status === 'approved' && release.embargoUntil !== null && release.embargoUntil.getTime() <= now.getTime();
}

export async function getRelease(deps: Pick<ReleaseDeps, 'releases'>, releaseId: string): Promise<ReleaseRecord> {
  const release = await deps.releases.findById(releaseId);
  if (!release) throw notFound(`Release ${releaseId}`);
  return release;
}

/** Tables are immutable once written, so each process keeps the few it served last. */
const tableCache = new Map<string, Promise<ReleaseTable[]>>();
const TABLE_CACHE_SIZE = 6;

/** A release's frozen tables (from memory after the first read). */
export function releaseTables(deps: Pick<ReleaseDeps, 'releases'>, releaseId: string): Promise<ReleaseTable[]> {
  const cached = tableCache.get(releaseId);
  if (cached) {
    tableCache.delete(releaseId);
    tableCache.set(releaseId, cached);
    return cached;
  }
  const loading = deps.releases.tablesOf(releaseId);
  loading.catch(() => tableCache.delete(releaseId));
  tableCache.set(releaseId, loading);
  while (tableCache.size > TABLE_CACHE_SIZE) tableCache.delete(tableCache.keys().next().value as string);
  return loading;
}

/** The approved release of the round's previous round that changes are measured against (same index definition only). */
async function releaseToCompareWith(deps: ReleaseDeps, previousRoundId: string | null, definitionId: string): Promise<ReleaseRecord | undefined> {
  if (previousRoundId === null) return undefined;
  const previous = await deps.rounds.findById(previousRoundId);
  if (!previous || previous.indexDefinitionId !== definitionId) return undefined;
  const approved = (await deps.releases.list(previous.id)).filter((r) => r.status === 'approved');
  approved.sort((a, b) => (b.approvedAt?.getTime() ?? 0) - (a.approvedAt?.getTime() ?? 0));
  return approved[0];
}

export interface PrepareInput {
  notes?: string;
  corrects?: string;
  reason?: string;
}

/**
 * Freezes the figures of a round as its counted responses give them now, with their provenance and a
 * new release number. A correction names the approved release it corrects and why; its change log
 * lists every figure that moved.
 */
export async function prepareRelease(deps: ReleaseDeps, roundId: string, input: PrepareInput, user: AuthenticatedUser): Promise<ReleaseRecord> {
  const round = await getRound(deps, roundId);
  let corrected: ReleaseRecord | undefined;
  if (input.corrects !== undefined) {
    corrected = await deps.releases.findById(input.corrects);
    if (!corrected || corrected.roundId !== round.id) {
      throw validationFailed([{ path: '/body/corrects', code: 'not_found', message: `round ${round.id} has no release ${input.corrects}` }]);
    }
    if (corrected.status !== 'approved') {
      throw validationFailed([{ path: '/body/corrects', code: 'not_approved', message: `release ${corrected.id} is not approved: prepare a new release instead of correcting it` }]);
    }
    if (!input.reason?.trim()) throw validationFailed([{ path: '/body/reason', code: 'required', message: 'a correction says why it is made' }]);
  }
  const method = methodOfRound(deps, round);
  const compared = await releaseToCompareWith(deps, round.previousRoundId, round.indexDefinitionId);
  const frozen = await freezeFigures(
    deps,
    method,
    (province) => deps.releaseResponses.streamCounted(round.id, province),
    compared ? await releaseTables(deps, compared.id) : undefined,
  );

  let changes: FigureChange[] = [];
  let changeSummary: ChangeSummary | null = null;
  if (corrected) {
    const before = await releaseTables(deps, corrected.id);
    const oldMembers = new Map<string, Set<string>>();
    for await (const { provinceCode, ids } of deps.releases.membersOf(corrected.id)) {
      const set = oldMembers.get(provinceCode) ?? new Set<string>();
      for (const id of ids) set.add(id);
      oldMembers.set(provinceCode, set);
    }
    const byProvince: Record<string, { added: number; removed: number }> = {};
    for (const province of new Set([...oldMembers.keys(), ...frozen.members.keys()])) {
      const now = new Set(frozen.members.get(province) ?? []);
      const then = oldMembers.get(province) ?? new Set<string>();
      const added = [...now].filter((id) => !then.has(id)).length;
      const removed = [...then].filter((id) => !now.has(id)).length;
      if (added + removed > 0) byProvince[province] = { added, removed };
    }
    const bothSides = new Set(before.map(tableKey).filter((k) => frozen.tables.some((t) => tableKey(t) === k)));
    changes = explainChanges(diffTables(before, frozen.tables), new Map(Object.entries(byProvince)), round.boundaryEdition, bothSides);
    const totals = Object.values(byProvince);
    changeSummary = {
      changes: changes.length,
      responsesAdded: totals.reduce((a, d) => a + d.added, 0),
      responsesRemoved: totals.reduce((a, d) => a + d.removed, 0),
      byProvince,
    };
  }

  const ids = [...frozen.members.values()].flat();
  const base: Omit<ReleaseRecord, 'id'> = {
    roundId: round.id,
    year: round.year,
    status: 'prepared',
    notes: input.notes?.trim() || null,
    corrects: corrected?.id ?? null,
    correctionReason: corrected ? (input.reason?.trim() ?? null) : null,
    preparedBy: user.username,
    preparedAt: nowOf(deps),
    approvedBy: null,
    approvedAt: null,
    embargoUntil: null,
    provenance: {
      responses: ids.length,
      responseIdsDigest: responseSetDigest(ids),
      responsesByProvince: Object.fromEntries([...frozen.members.entries()].map(([p, list]) => [p, list.length])),
      weightedResponses: frozen.weightedResponses,
      weightsDigest: weightsDigest(frozen.weights),
      form: { formId: round.formId, version: round.formVersion, sha256: methodFileDigest('form', round.formId, round.formVersion) },
      indexDefinition: {
        definitionId: round.indexDefinitionId,
        version: round.indexDefinitionVersion,
        sha256: methodFileDigest('definition', round.indexDefinitionId, round.indexDefinitionVersion),
      },
      boundaryEdition: round.boundaryEdition,
      editions: frozen.editions,
      unitTypesOn: frozen.unitTypesOn,
      software: softwareVersion(),
      comparedWith: compared ? { releaseId: compared.id, roundId: compared.roundId } : null,
    },
    figuresDigest: tablesDigest(frozen.tables),
    tables: frozen.tables.length,
    changeSummary,
  };
  // Two analysts preparing at once: the one who loses the number takes the next.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const id = nextReleaseNumber(round.year, await deps.releases.numbersOfYear(round.year));
    const release: ReleaseRecord = { id, ...base };
    if (await deps.releases.create(release, frozen.tables, frozen.members, changes)) {
      await deps.audit.append([
        {
          at: release.preparedAt,
          actor: user.username,
          actorRole: user.role,
          action: 'release.prepared',
          roundId: round.id,
          provinceCode: null,
          subject: `release/${id}`,
          before: null,
          after: { releaseId: id, figuresDigest: release.figuresDigest, responseIdsDigest: release.provenance.responseIdsDigest, corrects: release.corrects },
          reason: release.correctionReason,
        },
      ]);
      return release;
    }
  }
  throw new HttpProblem('not_ready', 'Could not take a release number: too many releases are being prepared at once. Try again.');
}

/** Approves a prepared release with its embargo time; only an administrator other than its preparer may. */
export async function approveRelease(deps: ReleaseDeps, releaseId: string, embargoUntil: Date, user: AuthenticatedUser): Promise<ReleaseRecord> {
  const release = await getRelease(deps, releaseId);
  if (release.status === 'approved') throw new HttpProblem('release_approved', `Release ${release.id} was approved by ${release.approvedBy ?? '?'}; a change is a correction, a new release.`);
  if (release.preparedBy === user.username) throw new HttpProblem('same_person');
  const approvedAt = nowOf(deps);
  const approved = await deps.releases.approve(release.id, user.username, approvedAt, embargoUntil);
  if (!approved) throw new HttpProblem('release_approved', `Release ${release.id} was approved meanwhile.`);
  await deps.audit.append([
    {
      at: approvedAt,
      actor: user.username,
      actorRole: user.role,
      action: 'release.approved',
      roundId: approved.roundId,
      provinceCode: null,
      subject: `release/${approved.id}`,
      before: { status: 'prepared', preparedBy: release.preparedBy },
      after: { status: 'approved', embargoUntil: embargoUntil.toISOString(), figuresDigest: approved.figuresDigest },
      reason: null,
    },
  ]);
  return approved;
}

export interface ReproducibilityReport {
  releaseId: string;
  identical: boolean;
  recordedDigest: string;
  storedDigest: string;
  recomputedDigest: string;
  responseIdsDigest: { recorded: string; recomputed: string };
  /** Counted response ids that are no longer stored. */
  missingResponses: number;
  differencesTotal: number;
  /** Stored → recomputed, at most 500. */
  differences: FigureChange[];
  checkedAt: Date;
}

/**
 * Recomputes a release from the responses it counted (whatever was decided on them since) and the
 * method it names, compared with the release it was compared with, and says whether the stored tables
 * are byte-identical to the recomputed ones; where not, which figures differ.
 */
export async function checkRelease(deps: ReleaseDeps, releaseId: string): Promise<ReproducibilityReport> {
  const release = await getRelease(deps, releaseId);
  const round = await getRound(deps, release.roundId);
  const method = methodOfRound(deps, { ...round, formId: release.provenance.form.formId, formVersion: release.provenance.form.version, indexDefinitionId: release.provenance.indexDefinition.definitionId, indexDefinitionVersion: release.provenance.indexDefinition.version });
  const members = new Map<string, string[]>();
  for await (const { provinceCode, ids } of deps.releases.membersOf(release.id)) members.set(provinceCode, [...(members.get(provinceCode) ?? []), ...ids]);
  const compared = release.provenance.comparedWith ? await deps.releases.tablesOf(release.provenance.comparedWith.releaseId) : undefined;
  const frozen = await freezeFigures(deps, method, (province) => deps.releaseResponses.streamByIds(round.id, members.get(province) ?? []), compared);
  const stored = await deps.releases.tablesOf(release.id);
  const storedDigest = tablesDigest(stored);
  const recomputedDigest = tablesDigest(frozen.tables);
  const recomputedIds = [...frozen.members.values()].flat();
  const differences = diffTables(stored, frozen.tables);
  return {
    releaseId: release.id,
    identical: storedDigest === release.figuresDigest && recomputedDigest === release.figuresDigest,
    recordedDigest: release.figuresDigest,
    storedDigest,
    recomputedDigest,
    responseIdsDigest: { recorded: release.provenance.responseIdsDigest, recomputed: responseSetDigest(recomputedIds) },
    missingResponses: release.provenance.responses - recomputedIds.length,
    differencesTotal: differences.length,
    differences: differences.slice(0, 500),
    checkedAt: nowOf(deps),
  };
}

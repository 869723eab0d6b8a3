import type { FormCatalogue } from '../../../survey-forms/catalogue';
import { problemOfRow } from '../../../survey-forms/import-rows';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { checkQuotaRows, MAX_QUOTA_ROWS, quotaCellKey, quotaChanges, readQuotaCsv, readQuotaJson, type QuotaChange, type QuotaTargetInput } from '../../../survey-forms/quota-targets';
import type { RowProblem } from '../../../survey-forms/import-rows';
import { HttpProblem, validationFailed } from '../../http/problem';
import type { AuditRepository } from '../review/audit.repository';
import { reviewScope } from '../review/review.service';
import type { RoundRepository } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import type { SampleUnitRepository } from '../samples/sample-unit.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import { cellProgress, productivityOf, type CellProgress, type EnumeratorProductivity } from '../../../survey-forms/quota-progress';
import { postOfficeSummaries, responseRatesByEnumerator, summariseLevel, type LevelSummary, type RollupInputs } from '../../../survey-forms/field-rollup';
import { scopeLevel, type ScopeLevel } from '../../../survey-forms/field-scope';
import type { PostOfficeRepository } from '../post-offices/post-office.repository';
import { scopeToShow } from '../post-offices/post-office.service';
import type { QuotaStatisticsRepository } from './quota-statistics.repository';
import type { QuotaRepository } from './quota.repository';
import type { ResponseCountsCache } from './response-counts-cache';

export interface QuotaDeps {
  rounds: RoundRepository;
  quotaStatistics: QuotaStatisticsRepository;
  sampleUnits: SampleUnitRepository;
  quotas: QuotaRepository;
  audit: AuditRepository;
  forms: FormCatalogue;
  provinces: ProvinceReference;
  postOffices: PostOfficeRepository;
  now?: () => Date;
  /** Response counts kept between reads and brought up to date by province; without it every read counts afresh. */
  responseCounts?: ResponseCountsCache;
}

export interface QuotaImportOutcome {
  roundId: string;
  imported: number;
  skipped: number;
  problems: RowProblem[];
  dryRun: boolean;
  valid: number;
  unchanged: number;
  changes: QuotaChange[];
}

/**
 * Sets quota targets from CSV or JSON rows. Every problem of every row is reported; rows with
 * problems refuse the whole file unless `skipInvalid`. A supervisor sets targets only in their
 * provinces. Each changed target goes to the audit log with its value before and after.
 */
export async function importQuotas(
  deps: QuotaDeps,
  user: AuthenticatedUser,
  roundId: string,
  body: { csv?: string | undefined; targets?: unknown[] | undefined },
  skipInvalid: boolean,
  dryRun = false,
): Promise<QuotaImportOutcome> {
  const round = await getRound(deps, roundId);
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new Error(`round ${round.id} names questionnaire ${round.formId}@${round.formVersion}, which is not installed`);
  const { rows, fileProblems } = body.csv !== undefined ? readQuotaCsv(body.csv) : readQuotaJson(body.targets ?? []);
  if (rows.length > MAX_QUOTA_ROWS) throw validationFailed([{ path: '/body/csv', code: 'too_many', message: `must have at most ${MAX_QUOTA_ROWS} rows` }]);
  if ((body.csv !== undefined && fileProblems.length > 0) || rows.length === 0) {
    throw validationFailed(
      fileProblems.length > 0 ? fileProblems.map(problemOfRow) : [{ path: '/body', code: 'too_few', message: 'the file has no rows' }],
      `The file cannot be imported: ${fileProblems[0] ? problemOfRow(fileProblems[0]).message : 'it has no rows'}.`,
    );
  }
  const scope = reviewScope(user);
  const { targets, problems: rowProblems } = checkQuotaRows(rows, {
    form,
    provinces: deps.provinces,
    edition: round.boundaryEdition,
    ...(scope ? { allowedProvinces: new Set(scope) } : {}),
  });
  const problems = [...fileProblems, ...rowProblems].sort((a, b) => a.line - b.line);
  const badLines = new Set(problems.map((p) => p.line));
  const valid = targets.filter((t) => !badLines.has(t.line));
  // A preview: every problem, and each cell that would change, old → new; nothing stored.
  if (dryRun) {
    if (user.role !== 'admin' && user.postOffice) throw new HttpProblem('forbidden', 'Quota targets are set per province, by a provincial supervisor or an administrator.');
    const before = await deps.quotas.find(round.id, valid);
    const { changes, unchanged } = quotaChanges(valid, new Map([...before].map(([key, r]) => [key, r.target])));
    return { roundId: round.id, imported: 0, skipped: badLines.size, problems, dryRun: true, valid: valid.length, unchanged, changes };
  }
  if (problems.length > 0 && !skipInvalid) {
    throw validationFailed(
      problems.map(problemOfRow),
      `${new Set(problems.map((p) => p.line)).size} of ${rows.length} rows have problems; nothing was stored. Fix them, or send skipInvalid=true to store the ${targets.length} valid rows.`,
    );
  }
  const { changes, unchanged } = await storeTargets(deps, user, round.id, valid);
  return { roundId: round.id, imported: valid.length, skipped: badLines.size, problems, dryRun: false, valid: valid.length, unchanged, changes };
}

async function storeTargets(deps: QuotaDeps, user: AuthenticatedUser, roundId: string, targets: ReadonlyArray<QuotaTargetInput>): Promise<{ changes: QuotaChange[]; unchanged: number }> {
  // Targets are the province's: a post-office supervisor reads them, a provincial one sets them.
  if (user.role !== 'admin' && user.postOffice) throw new HttpProblem('forbidden', 'Quota targets are set per province, by a provincial supervisor or an administrator.');
  const at = (deps.now ?? (() => new Date()))();
  const before = await deps.quotas.find(roundId, targets);
  const outcome = quotaChanges(targets, new Map([...before].map(([key, r]) => [key, r.target])));
  const changed = targets.filter((t) => before.get(quotaCellKey(t))?.target !== t.target);
  await deps.quotas.set(
    changed.map((t) => ({
      roundId,
      provinceCode: t.provinceCode,
      servingLevel: t.servingLevel,
      serviceField: t.serviceField,
      respondentType: t.respondentType,
      target: t.target,
      updatedAt: at,
      updatedBy: user.username,
    })),
  );
  await deps.audit.append(
    changed.map((t) => ({
      at,
      actor: user.username,
      actorRole: user.role,
      action: 'quota.set' as const,
      roundId,
      provinceCode: t.provinceCode,
      subject: `quota/${quotaCellKey(t).replaceAll('|', '/')}`,
      before: { target: before.get(quotaCellKey(t))?.target ?? null },
      after: { target: t.target },
      reason: null,
    })),
  );
  return outcome;
}

type Summary = LevelSummary;

export interface QuotaProgressReport {
  roundId: string;
  /** Taken before anything was read: changes after it are what `provincesChangedSince(readAt)` reports. */
  readAt: string;
  asOf: string;
  fieldworkEnd: string;
  /** The level the reader works at: what their whole view adds up to. */
  level: ScopeLevel;
  cells: CellProgress[];
  provinces: Array<Summary & { provinceCode: string }>;
  postOffices: Array<Summary & { provinceCode: string; postOffice: string }>;
  totals: Summary;
  enumerators: Array<EnumeratorProductivity & { provinceCode: string; postOffice: string | null; responseRate: number | null }>;
}

/**
 * Progress of a round's quotas within the user's scope, rolled up enumerator → post office →
 * province → national: every cell, each post office's and province's totals and the whole view's,
 * the pace over the last seven days with the projected completion date and its status, and each
 * enumerator's productivity. Every count is read from the stored responses and sample units at the
 * time of the request.
 */
export async function quotaProgress(
  deps: QuotaDeps,
  user: AuthenticatedUser,
  roundId: string,
  query: {
    province?: string | undefined;
    postOffice?: string | undefined;
    /** One enumerator's work: their responses and the units assigned to them (no targets: those are the province's). */
    enumerator?: string | undefined;
    cells?: boolean | undefined;
    /** false: no post offices nor enumerators (the national overview); a post-office supervisor's overview shows them, so gets them anyway. */
    details?: boolean | undefined;
    servingLevel?: string | undefined;
    serviceField?: string | undefined;
    asOf?: string | undefined;
  },
): Promise<QuotaProgressReport> {
  // The real clock, as the responses' storedAt, checkedAt and review.at it is compared with.
  const readAt = new Date().toISOString();
  const round = await getRound(deps, roundId);
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new Error(`round ${round.id} names questionnaire ${round.formId}@${round.formVersion}, which is not installed`);
  const scope = await scopeToShow(deps.postOffices, user, query);
  const provinces = scope.provinces;
  // After fieldwork has ended, the pace is that of its last week.
  const today = (deps.now ?? (() => new Date()))().toISOString().slice(0, 10);
  const asOf = query.asOf ?? (today < round.fieldworkEnd ? today : round.fieldworkEnd);
  const who = query.enumerator;
  const details = query.details !== false || scope.postOffice !== undefined;
  const dimensions = form.definition.dimensions;
  const [targets, counts, allOutcomes] = await Promise.all([
    // Targets are set per province: a post office's or an enumerator's view has none of its own.
    scope.postOffice === undefined && who === undefined ? deps.quotas.list(round.id, provinces) : Promise.resolve([]),
    deps.responseCounts
      ? deps.responseCounts.read(round.id, dimensions, scope, who, details)
      : Promise.all([
          deps.quotaStatistics.countByCell(round.id, dimensions, scope, who),
          deps.quotaStatistics.dailyByCell(round.id, dimensions, scope, who),
          details ? deps.quotaStatistics.countByEnumerator(round.id, scope) : Promise.resolve(null),
        ]).then(([cells, daily, enumerators]) => ({ cells, daily, enumerators })),
    deps.sampleUnits.countByCellAndStatus(round.id, scope),
  ]);
  const { cells: responseGroups, daily } = counts;
  const enumerators = details ? (counts.enumerators ?? []) : [];
  const outcomes = who === undefined ? allOutcomes : allOutcomes.filter((o) => o.assignedTo === who);
  const matches = (g: { servingLevel: unknown; serviceField: unknown }): boolean =>
    (query.servingLevel === undefined || String(g.servingLevel) === query.servingLevel) && (query.serviceField === undefined || String(g.serviceField) === query.serviceField);
  const cells = query.cells === false ? [] : cellProgress(targets.filter(matches), responseGroups.filter(matches), outcomes.filter(matches));
  const inputs: RollupInputs = {
    responses: responseGroups.filter(matches),
    outcomes: outcomes.filter(matches),
    daily: daily.filter(matches),
    targets: targets.filter(matches),
    asOf,
    fieldworkEnd: round.fieldworkEnd,
  };
  const codes = [...new Set([...targets.map((t) => t.provinceCode), ...responseGroups.map((g) => g.provinceCode), ...(provinces ?? [])])].sort();
  const rates = responseRatesByEnumerator(outcomes);
  return {
    roundId: round.id,
    readAt,
    asOf,
    fieldworkEnd: round.fieldworkEnd,
    level: scopeLevel(scope),
    cells,
    provinces: codes
      .filter((c) => deps.provinces.province(round.boundaryEdition, c))
      .map((provinceCode) => ({ provinceCode, ...summariseLevel(inputs, (g) => g.provinceCode === provinceCode, (t) => t.provinceCode === provinceCode) })),
    postOffices: details ? postOfficeSummaries(inputs) : [],
    totals: summariseLevel(inputs, () => true, () => true),
    enumerators: enumerators.filter((e) => who === undefined || e.username === who).map((e) => ({ ...productivityOf(e), provinceCode: e.provinceCode, postOffice: e.postOffice, responseRate: rates.get(e.username) ?? null })),
  };
}

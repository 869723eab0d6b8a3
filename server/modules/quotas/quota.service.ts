import type { FormCatalogue } from '../../../survey-forms/catalogue';
import { problemOfRow } from '../../../survey-forms/import-rows';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { checkQuotaRows, MAX_QUOTA_ROWS, quotaCellKey, readQuotaCsv, readQuotaJson, type QuotaTargetInput } from '../../../survey-forms/quota-targets';
import type { RowProblem } from '../../../survey-forms/import-rows';
import { validationFailed } from '../../http/problem';
import type { AuditRepository } from '../review/audit.repository';
import { provincesToShow, reviewScope } from '../review/review.service';
import type { RoundRepository } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import type { SampleUnitRepository } from '../samples/sample-unit.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import {
  cellProgress,
  countResponses,
  forecastOf,
  paceOf,
  productivityOf,
  responseRateOf,
  roundTo,
  type CellProgress,
  type EnumeratorProductivity,
  type Forecast,
  type Pace,
  type ProgressCounts,
} from '../../../survey-forms/quota-progress';
import type { QuotaStatisticsRepository } from './quota-statistics.repository';
import type { QuotaRepository } from './quota.repository';

export interface QuotaDeps {
  rounds: RoundRepository;
  quotaStatistics: QuotaStatisticsRepository;
  sampleUnits: SampleUnitRepository;
  quotas: QuotaRepository;
  audit: AuditRepository;
  forms: FormCatalogue;
  provinces: ProvinceReference;
  now?: () => Date;
}

export interface QuotaImportOutcome {
  roundId: string;
  imported: number;
  skipped: number;
  problems: RowProblem[];
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
  if (problems.length > 0 && !skipInvalid) {
    throw validationFailed(
      problems.map(problemOfRow),
      `${new Set(problems.map((p) => p.line)).size} of ${rows.length} rows have problems; nothing was stored. Fix them, or send skipInvalid=true to store the ${targets.length} valid rows.`,
    );
  }
  const badLines = new Set(problems.map((p) => p.line));
  const valid = targets.filter((t) => !badLines.has(t.line));
  await storeTargets(deps, user, round.id, valid);
  return { roundId: round.id, imported: valid.length, skipped: badLines.size, problems };
}

async function storeTargets(deps: QuotaDeps, user: AuthenticatedUser, roundId: string, targets: ReadonlyArray<QuotaTargetInput>): Promise<void> {
  const at = (deps.now ?? (() => new Date()))();
  const before = await deps.quotas.find(roundId, targets);
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
}

interface Summary extends ProgressCounts {
  target: number | null;
  share: number | null;
  pace: Pace;
  forecast: Forecast;
}

export interface QuotaProgressReport {
  roundId: string;
  asOf: string;
  fieldworkEnd: string;
  cells: CellProgress[];
  provinces: Array<Summary & { provinceCode: string }>;
  totals: Summary;
  enumerators: EnumeratorProductivity[];
}

/**
 * Progress of a round's quotas within the user's provinces: every cell, each province's totals and
 * the round's, the pace over the last seven days with the projected completion date, and each
 * enumerator's productivity. Every count is read from the stored responses and sample units at the
 * time of the request.
 */
export async function quotaProgress(
  deps: QuotaDeps,
  user: AuthenticatedUser,
  roundId: string,
  query: { province?: string | undefined; servingLevel?: string | undefined; serviceField?: string | undefined; asOf?: string | undefined },
): Promise<QuotaProgressReport> {
  const round = await getRound(deps, roundId);
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new Error(`round ${round.id} names questionnaire ${round.formId}@${round.formVersion}, which is not installed`);
  const provinces = provincesToShow(user, query.province);
  // After fieldwork has ended, the pace is that of its last week.
  const today = (deps.now ?? (() => new Date()))().toISOString().slice(0, 10);
  const asOf = query.asOf ?? (today < round.fieldworkEnd ? today : round.fieldworkEnd);
  const [targets, responseGroups, outcomes, daily, enumerators] = await Promise.all([
    deps.quotas.list(round.id, provinces),
    deps.quotaStatistics.countByCell(round.id, form.definition.dimensions, provinces),
    deps.sampleUnits.countByCellAndStatus(round.id, provinces),
    deps.quotaStatistics.dailyByCell(round.id, form.definition.dimensions, provinces),
    deps.quotaStatistics.countByEnumerator(round.id, provinces),
  ]);
  const matches = (g: { servingLevel: unknown; serviceField: unknown }): boolean =>
    (query.servingLevel === undefined || String(g.servingLevel) === query.servingLevel) && (query.serviceField === undefined || String(g.serviceField) === query.serviceField);
  const cells = cellProgress(targets.filter(matches), responseGroups.filter(matches), outcomes.filter(matches));

  const summarise = (code: string | undefined): Summary => {
    const mine = <T extends { provinceCode: string }>(rows: ReadonlyArray<T>): T[] => rows.filter((r) => code === undefined || r.provinceCode === code);
    const counts = countResponses(mine(responseGroups.filter(matches)));
    const targetCells = mine(targets.filter(matches));
    const target = targetCells.length === 0 ? null : targetCells.reduce((sum, t) => sum + t.target, 0);
    const pace = paceOf(mergeDays(mine(daily.filter(matches))), asOf);
    return {
      target,
      ...counts,
      responseRate: responseRateOf(mine(outcomes.filter(matches))),
      share: target === null || target === 0 ? null : roundTo(counts.accepted / target, 4),
      pace,
      forecast: forecastOf({ target, collected: counts.accepted + counts.awaitingReview + counts.unchecked, perDay: pace.perDay, asOf, fieldworkEnd: round.fieldworkEnd }),
    };
  };
  const codes = [...new Set([...targets.map((t) => t.provinceCode), ...responseGroups.map((g) => g.provinceCode), ...(provinces ?? [])])].sort();
  return {
    roundId: round.id,
    asOf,
    fieldworkEnd: round.fieldworkEnd,
    cells,
    provinces: codes.filter((c) => deps.provinces.province(round.boundaryEdition, c)).map((provinceCode) => ({ provinceCode, ...summarise(provinceCode) })),
    totals: summarise(undefined),
    enumerators: enumerators.map(productivityOf),
  };
}

function mergeDays(rows: ReadonlyArray<{ day: string; responses: number }>): Array<{ day: string; responses: number }> {
  const byDay = new Map<string, number>();
  for (const r of rows) byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.responses);
  return [...byDay].map(([day, responses]) => ({ day, responses }));
}

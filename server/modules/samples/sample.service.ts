import type { FormCatalogue } from '../../../survey-forms/catalogue';
import type { PostOfficeRepository } from '../post-offices/post-office.repository';
import { scopeToShow } from '../post-offices/post-office.service';
import { problemOfRow, type RowProblem } from '../../../survey-forms/import-rows';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import {
  checkSampleRows,
  readSampleCsv,
  readSampleJson,
  MAX_SAMPLE_ROWS,
  type PersonalData,
} from '../../../survey-forms/sample-frame';
import { validationFailed } from '../../http/problem';
import type { RoundRepository } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import type { AuthenticatedUser } from '../users/user.schema';
import type { PersonalDataCipher } from './personal-data.cipher';
import type { SampleContactRepository } from './sample-contact.repository';
import { sampleUnitKey, type SampleUnitRecord } from './sample-unit.model';
import type { SampleUnitRepository } from './sample-unit.repository';
import type { SampleListQuery } from './sample.schema';

export interface SampleDeps {
  sampleUnits: SampleUnitRepository;
  sampleContacts: SampleContactRepository;
  rounds: RoundRepository;
  forms: FormCatalogue;
  provinces: ProvinceReference;
  personalData: PersonalDataCipher;
  postOffices: PostOfficeRepository;
  now?: () => Date;
}

export interface ImportOutcome {
  roundId: string;
  imported: number;
  valid: number;
  dryRun: boolean;
  skipped: number;
  problems: RowProblem[];
}

/** The provinces a user may see the sample of: a supervisor's own, everything for an admin. */
export function provinceScope(user: AuthenticatedUser): ReadonlySet<string> | undefined {
  return user.role === 'admin' ? undefined : new Set(user.provinces);
}

/**
 * Imports a round's sample list. Every problem of every row is reported. A file with problems
 * is refused whole unless `skipInvalid`, which stores the valid rows and reports the rest. Names,
 * phones and addresses are sealed before they reach the database.
 */
export async function importSample(
  deps: SampleDeps,
  user: AuthenticatedUser,
  roundId: string,
  body: { csv?: string | undefined; units?: unknown[] | undefined },
  skipInvalid: boolean,
  dryRun = false,
): Promise<ImportOutcome> {
  const round = await getRound(deps, roundId);
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new Error(`round ${round.id} names questionnaire ${round.formId}@${round.formVersion}, which is not installed`);

  const { rows, fileProblems } = body.csv !== undefined ? readSampleCsv(body.csv) : readSampleJson(body.units ?? []);
  if (rows.length > MAX_SAMPLE_ROWS) {
    throw validationFailed([{ path: '/body/csv', code: 'too_many', message: `must have at most ${MAX_SAMPLE_ROWS} rows; split the file by province` }]);
  }
  // A bad header or an unreadable file is no bad row: nothing can be imported from it.
  const fatal = body.csv !== undefined && fileProblems.length > 0;
  if (fatal || rows.length === 0) {
    throw validationFailed(
      fileProblems.length > 0 ? fileProblems.map(problemOfRow) : [{ path: '/body', code: 'too_few', message: 'the sample list has no rows' }],
      `The file cannot be imported: ${(fileProblems[0] ? problemOfRow(fileProblems[0]).message : 'it has no rows')}.`,
    );
  }

  const ids = rows.map((r) => r.values.unitId).filter((id): id is string => typeof id === 'string' || typeof id === 'number').map(String);
  const existing = await deps.sampleUnits.existingUnitIds(round.id, ids);
  const scope = provinceScope(user);
  const offices = await deps.postOffices.list();
  const { units, problems: rowProblems } = checkSampleRows(rows, {
    form,
    provinces: deps.provinces,
    edition: round.boundaryEdition,
    existing,
    postOffices: new Map(offices.map((o) => [o.code, o.provinceCode])),
    ...(scope ? { allowedProvinces: scope } : {}),
    ...(user.role !== 'admin' && user.postOffice ? { allowedPostOffice: user.postOffice } : {}),
  });
  const problems = [...fileProblems, ...rowProblems].sort((a, b) => a.line - b.line);
  const badLines = new Set(problems.map((p) => p.line));
  const valid = units.filter((u) => !badLines.has(u.line));
  // A preview: what an import would do, row by row, with nothing stored.
  if (dryRun) return { roundId: round.id, imported: 0, valid: valid.length, dryRun: true, skipped: badLines.size, problems };
  if (problems.length > 0 && !skipInvalid) {
    const badLines = new Set(problems.map((p) => p.line)).size;
    throw validationFailed(
      problems.map(problemOfRow),
      `${badLines} of ${rows.length} rows have problems; nothing was imported. Fix them, or send skipInvalid=true to import the ${units.length} valid rows.`,
    );
  }

  const now = deps.now?.() ?? new Date();
  // Contacts first, as idempotent upserts: an import cut short and repeated never leaves a unit without its contact.
  await deps.sampleContacts.store(
    valid.map((u) => ({
      roundId: round.id,
      unitId: u.unitId,
      sealed: deps.personalData.seal(u.contact, sampleUnitKey(round.id, u.unitId)),
      phoneHash: u.contact.phone === null ? null : deps.personalData.hashPhone(u.contact.phone),
    })),
  );
  const raced = await deps.sampleUnits.insert(
    valid.map(
      (u): SampleUnitRecord => ({
        roundId: round.id,
        unitId: u.unitId,
        provinceCode: u.provinceCode,
        servingLevel: u.servingLevel,
        serviceField: u.serviceField,
        respondentType: u.respondentType,
        procedure: u.procedure,
        postOffice: u.postOffice,
        appointmentAt: null,
        assignedTo: null,
        assignedAt: null,
        assignedBy: null,
        status: 'not-started',
        statusAt: null,
        statusNote: null,
        statusBy: null,
        responseId: null,
        importedAt: now,
        importedBy: user.username,
      }),
    ),
  );
  for (const u of valid) {
    if (raced.has(u.unitId)) problems.push({ line: u.line, field: 'unitId', code: 'already_imported', message: "is already in this round's sample" });
  }
  return {
    roundId: round.id,
    imported: valid.length - raced.size,
    valid: valid.length - raced.size,
    dryRun: false,
    skipped: new Set(problems.map((p) => p.line)).size,
    problems: problems.sort((a, b) => a.line - b.line),
  };
}

/** Units with their contacts opened, for the people allowed to see them. */
export async function withContacts(
  deps: Pick<SampleDeps, 'sampleContacts' | 'personalData'>,
  units: ReadonlyArray<SampleUnitRecord>,
): Promise<Array<{ unit: SampleUnitRecord; contact: PersonalData }>> {
  const contacts = await deps.sampleContacts.findContacts(units.map((u) => sampleUnitKey(u.roundId, u.unitId)));
  return units.map((unit) => {
    const key = sampleUnitKey(unit.roundId, unit.unitId);
    const sealed = contacts.get(key);
    if (!sealed) throw new Error(`sample unit ${key} has no contact record`);
    return { unit, contact: deps.personalData.open(sealed.sealed, key) };
  });
}

/** A page of a round's sample, within the user's provinces. */
export async function listSample(
  deps: SampleDeps,
  user: AuthenticatedUser,
  roundId: string,
  query: SampleListQuery,
): Promise<{ total: number; units: Array<{ unit: SampleUnitRecord; contact: PersonalData }> }> {
  const round = await getRound(deps, roundId);
  const scope = await scopeToShow(deps.postOffices, user, query);
  const page = await deps.sampleUnits.listUnits(
    round.id,
    {
      scope,
      ...(query.unassigned ? { assignedTo: null } : query.assignedTo ? { assignedTo: query.assignedTo } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.servingLevel !== undefined ? { servingLevel: query.servingLevel } : {}),
      ...(query.serviceField !== undefined ? { serviceField: query.serviceField } : {}),
    },
    { offset: query.offset, limit: query.limit },
  );
  return { total: page.total, units: await withContacts(deps, page.units) };
}

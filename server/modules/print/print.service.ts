import QRCode from 'qrcode';
import type { FormCatalogue } from '../../../survey-forms/catalogue';
import type { ProvinceReference } from '../../../survey-forms/provinces';
import { serialFor } from '../../../survey-forms/serial';
import { HttpProblem, validationFailed } from '../../http/problem';
import type { IssuedLink } from '../respondent-links/respondent-link.service';
import type { RoundRecord, RoundRepository } from '../rounds/round.repository';
import { getRound } from '../rounds/round.service';
import { sampleUnitKey, type SampleUnitRecord } from '../samples/sample-unit.model';
import type { SampleUnitRepository } from '../samples/sample-unit.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import { printDocument } from './print.html';
import { MAX_PRINTED_FORMS, type PrintQuery } from './print.schema';

export interface PrintDeps {
  rounds: RoundRepository;
  sampleUnits: SampleUnitRepository;
  forms: FormCatalogue;
  provinces: ProvinceReference;
  /** The current respondent links of these units, by unit id (none when the round allows no `cawi`). */
  respondentLinks: (round: RoundRecord, units: ReadonlyArray<SampleUnitRecord>) => Promise<Map<string, IssuedLink>>;
}

/**
 * The units a print asks for, as the user may see them: a supervisor's own provinces, an
 * enumerator's own assignments, any unit for an administrator. Units of other provinces are refused
 * (403), never printed silently.
 */
async function unitsToPrint(deps: PrintDeps, user: AuthenticatedUser, roundId: string, query: PrintQuery): Promise<SampleUnitRecord[]> {
  const scope = user.role === 'admin' ? undefined : user.provinces;
  if (user.role === 'enumerator' && query.enumerator !== undefined && query.enumerator !== user.username) {
    throw new HttpProblem('forbidden', 'An enumerator prints only their own forms.');
  }
  let units: SampleUnitRecord[];
  if (query.unitIds !== undefined) {
    const ids = [...new Set(query.unitIds.split(','))];
    const found = await deps.sampleUnits.findUnits(ids.map((id) => sampleUnitKey(roundId, id)));
    const missing = ids.filter((id) => !found.has(sampleUnitKey(roundId, id)));
    if (missing.length > 0) throw validationFailed([{ path: '/query/unitIds', code: 'unknown_sample_unit', message: `not in the sample of round ${roundId}: ${missing.slice(0, 20).join(', ')}` }]);
    units = ids.map((id) => found.get(sampleUnitKey(roundId, id)) as SampleUnitRecord);
  } else {
    if (query.province !== undefined && scope && !scope.includes(query.province)) throw new HttpProblem('forbidden', `Province ${query.province} is not one of yours.`);
    const filter = query.province !== undefined ? { scope: { provinces: [query.province] } } : { assignedTo: query.enumerator ?? user.username, ...(scope ? { scope: { provinces: scope } } : {}) };
    const page = await deps.sampleUnits.listUnits(roundId, filter, { offset: 0, limit: MAX_PRINTED_FORMS + 1 });
    units = page.units;
  }
  if (units.length > MAX_PRINTED_FORMS) {
    throw validationFailed([{ path: '/query', code: 'too_many', message: `at most ${MAX_PRINTED_FORMS} forms per document: print by enumerator or by list of units` }]);
  }
  for (const unit of units) {
    if (scope && !scope.includes(unit.provinceCode)) throw new HttpProblem('forbidden', `Sample unit ${unit.unitId} is in province ${unit.provinceCode}, not one of yours.`);
    if (user.role === 'enumerator' && unit.assignedTo !== user.username) throw new HttpProblem('forbidden', `Sample unit ${unit.unitId} is not assigned to you.`);
  }
  return units;
}

/**
 * The printable HTML of a round's paper questionnaires for the units asked for. When the round
 * allows `cawi`, each form also carries its unit's respondent link (`origin` + `/r/<token>`) as a
 * second QR code and as text.
 */
export async function printForms(deps: PrintDeps, user: AuthenticatedUser, roundId: string, query: PrintQuery, origin: string): Promise<{ html: string; forms: number }> {
  const round = await getRound(deps, roundId);
  const form = deps.forms.get(round.formId, round.formVersion);
  if (!form) throw new HttpProblem('not_found', `Questionnaire ${round.formId} version ${round.formVersion} is not installed.`);
  const units = await unitsToPrint(deps, user, round.id, query);
  const links = await deps.respondentLinks(round, units);
  const printed = await Promise.all(
    units.map(async (unit) => {
      const serial = serialFor(round.id, unit.unitId);
      const qrSvg = await QRCode.toString(serial, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      const link = links.get(unit.unitId);
      const url = link ? `${origin}${link.path}` : undefined;
      const respondent = url ? { url, qrSvg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) } : undefined;
      return { serial, unitId: unit.unitId, provinceName: deps.provinces.province(round.boundaryEdition, unit.provinceCode)?.name ?? unit.provinceCode, qrSvg, respondent };
    }),
  );
  return { html: printDocument(form, round.id, printed), forms: printed.length };
}

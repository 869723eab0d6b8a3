import type { AppDeps } from '../../deps';
import { textReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import type { RoundRecord } from '../rounds/round.repository';
import { RoundParams } from '../rounds/round.schema';
import type { SampleUnitRecord } from '../samples/sample-unit.model';
import { MAX_PRINTED_FORMS, PrintQuery } from './print.schema';
import { printForms } from './print.service';
import { respondentLinkDeps } from '../respondent-links/respondent-link.routes';
import { respondentLinksForPrint } from '../respondent-links/respondent-link.service';

/** The document styles itself and runs no script; its QR codes are inline SVG. */
const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

export function printRoutes(deps: AppDeps): RouteSpec[] {
  const linkDeps = respondentLinkDeps(deps);
  const printDeps = {
    rounds: deps.repos.rounds,
    sampleUnits: deps.repos.sampleUnits,
    forms: deps.forms,
    provinces: deps.provinces,
    respondentLinks: (round: RoundRecord, units: ReadonlyArray<SampleUnitRecord>) => respondentLinksForPrint(linkDeps, round, units),
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/print',
      tag: 'keying',
      summary: 'Printable paper questionnaires (HTML, A4, Vietnamese) for units by id, by enumerator or by province',
      description:
        'Generated from the round\'s questionnaire version: its sections, grids, options and skip rules in words. Each form carries its serial ' +
        '(`<roundId>/<unitId>/<check digits>`) as text and as a QR code in a table head the browser repeats on every printed page. ' +
        'When the round allows `cawi`, each form also carries its unit\'s respondent link (the same the links list gives; PUBLIC_URL, else the ' +
        'address asked at, followed by `/r/<token>`) as a second QR code with "Quét mã để tự trả lời trực tuyến" and the address as text; a unit ' +
        'already completed, or whose link was withdrawn, prints without it. ' +
        `At most ${MAX_PRINTED_FORMS} forms per document. Supervisors print their provinces' units, enumerators their own assignments.`,
      access: { roles: ['enumerator', 'supervisor', 'admin'] },
      params: RoundParams,
      query: PrintQuery,
      responses: {
        200: { description: 'The printable document', contentTypes: ['text/html; charset=utf-8'] },
        400: { description: 'Not exactly one of unitIds, enumerator, province; an unknown unit; too many forms' },
        403: { description: 'Units outside the user\'s provinces or assignments' },
        404: { description: 'No such round' },
      },
      handler: async ({ params, query, user, origin }) => {
        const { html } = await printForms(printDeps, user, params.roundId, query, deps.config.PUBLIC_URL ?? origin);
        return textReply(html, 'text/html; charset=utf-8', { headers: { 'Content-Security-Policy': PRINT_CSP } });
      },
    }),
  ];
}

import type { AppDeps } from '../../deps';
import { CACHE, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { presentReturned, ReturnedReply } from './returned';
import { MAX_BATCH, SubmitBody, SubmitReply } from './response.schema';
import { submitResponses } from './response.service';

export function responseRoutes(deps: AppDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/responses',
      tag: 'responses',
      summary: `Submit a batch of up to ${MAX_BATCH} responses`,
      description:
        'Each item carries a device-generated UUID and is checked on its own against its questionnaire version. ' +
        'Every accepted item is stored in MongoDB before the reply. Re-sending an item is safe: it comes back as duplicate. ' +
        'Who may submit what is checked per item, and an item that breaks a rule is `invalid` with the path and code of each problem ' +
        '(the rest of the batch is still stored): an enumerator submits only in their own provinces (`province_not_yours`) and, for a ' +
        'response naming a sample unit, only for a unit assigned to them (`not_assigned`); a supervisor submits only in their own provinces ' +
        '(`province_not_yours`); an administrator in any province; neither ever for a unit assigned to someone else (`assigned_to_other`: ' +
        'reassign the unit first). A unit completed by another response is `already_completed`; a unit of another province than the item\'s ' +
        '`wrong_province`. A corrected resend names the returned response in `correctsResponseId`; naming one not returned to you is ' +
        '`not_returned`, one corrected already `already_corrected`. Items nested too deep (`too_deep`) or too large (`too_large`) are invalid before anything else is checked; ' +
        'paradata dates must be RFC 3339 date-times with seconds 00–59 and an offset Z or ±hh:mm (`wrong_format`).',
      access: { roles: ['enumerator', 'supervisor', 'admin'] },
      body: SubmitBody,
      // One item nested too deep is refused alone (`too_deep`), never the batch.
      boundsItemDepth: true,
      responses: {
        200: { description: 'A result per item, in request order', schema: SubmitReply },
        400: { description: 'The body is not a batch (not JSON, no responses array, more than 500 items), or cannot be read under its Content-Encoding (`unreadable_body`)' },
        413: { description: 'The body is larger than the limit' },
      },
      handler: async ({ body, user }) => ({
        results: await submitResponses(
          {
            responses: deps.repos.responses,
            rounds: deps.repos.rounds,
            sampleUnits: deps.repos.sampleUnits,
            assignments: deps.repos.assignments,
            forms: deps.forms,
            provinces: deps.provinces,
            jobs: deps.jobs,
            reviewCounts: deps.repos.reviewCounts,
            logger: deps.logger,
            keyings: deps.repos.keyings,
            verification: deps.repos.verification,
            audit: deps.repos.audit,
          },
          user,
          body.responses,
        ),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/me/returned',
      tag: 'responses',
      summary: 'My responses returned for correction, with the supervisor’s comment per item (enumerator)',
      description:
        'Fetched at every sync. Each carries its answers as sent and the comments; the enumerator corrects (or interviews again) and sends the ' +
        'correction as a new response naming this one in `correctsResponseId`. Once a correction is received the response leaves this list.',
      access: { roles: ['enumerator', 'supervisor', 'admin'] },
      responses: { 200: { description: 'Responses returned to you in open rounds', schema: ReturnedReply } },
      handler: async ({ user }) => {
        const open = (await deps.repos.rounds.list()).filter((r) => r.status === 'open').map((r) => r.id);
        return jsonReply({ returned: (await deps.repos.responses.returnedTo(user.username, open)).map(presentReturned) }, { cacheControl: CACHE.noStore });
      },
    }),
  ];
}

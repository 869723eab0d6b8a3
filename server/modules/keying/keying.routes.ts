import type { AppDeps } from '../../deps';
import { defineRoute, type RouteSpec } from '../../http/route';
import { RoundParams } from '../rounds/round.schema';
import { ProvinceCode } from '../users/user.schema';
import { Type } from '@sinclair/typebox';
import { presentVerificationItem } from './keying.present';
import {
  KeyedFormQuery,
  KeyedFormView,
  KeyingErrorsReply,
  VerificationDecisionBody,
  VerificationDecisionReply,
  VerificationListQuery,
  VerificationListReply,
  VerificationParams,
} from './keying.schema';
import { decideVerification, keyingErrors, listVerification, lookUpKeyedForm, type VerificationDeps } from './verification.service';

export function keyingRoutes(deps: AppDeps): RouteSpec[] {
  const verificationDeps: VerificationDeps = {
    rounds: deps.repos.rounds,
    responses: deps.repos.responses,
    keyings: deps.repos.keyings,
    verification: deps.repos.verification,
    sampleUnits: deps.repos.sampleUnits,
    audit: deps.repos.audit,
    forms: deps.forms,
    jobs: deps.jobs,
    logger: deps.logger,
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/verification',
      tag: 'keying',
      summary: 'Paper forms whose two keyings differ, awaiting a supervisor (supervisor, admin)',
      description:
        'Double entry: a share of paper forms (the round\'s doubleEntryShare, chosen from the serial) is keyed twice, blind, by two users. ' +
        'Forms whose keyings differ wait here, oldest first, with both values of every differing item beside the question text; they do not ' +
        'count in the figures until verified. A supervisor sees their own provinces.',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      query: VerificationListQuery,
      responses: { 200: { description: 'The queue', schema: VerificationListReply }, 404: { description: 'No such round' } },
      handler: async ({ params, query, user }) => {
        const page = await listVerification(verificationDeps, user, params.roundId, query);
        const round = await deps.repos.rounds.findById(params.roundId);
        const form = round ? deps.forms.get(round.formId, round.formVersion) : undefined;
        return { total: page.total, awaitingSecondKeying: page.awaitingSecondKeying, items: page.items.map((r) => presentVerificationItem(r, form)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/rounds/:roundId/verification/:responseId',
      tag: 'keying',
      summary: 'Verify a double-keyed form: the paper\'s value for every differing item (supervisor, admin)',
      description:
        'The verified answers replace the response\'s, the form counts from now on, and the decision goes to the audit log (`response.verified`) ' +
        'with both keyings\' values. A form verified meanwhile is a 409 `stale_decision`.',
      access: { roles: ['supervisor', 'admin'] },
      params: VerificationParams,
      body: VerificationDecisionBody,
      responses: {
        200: { description: 'Verified', schema: VerificationDecisionReply },
        400: { description: 'A differing item without a value, a value for an item that does not differ, or answers the questionnaire refuses' },
        404: { description: 'No such round or double-keyed form' },
        409: { description: 'Not awaiting verification (`stale_decision`)' },
      },
      handler: async ({ params, body, user }) => {
        const decided = await decideVerification(verificationDeps, user, params.roundId, params.responseId, body.values);
        return {
          responseId: decided.responseId,
          verification: 'verified' as const,
          decidedBy: decided.decision?.by ?? user.username,
          decidedAt: (decided.decision?.at ?? new Date()).toISOString(),
          values: decided.decision?.values ?? {},
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/rounds/:roundId/keying-errors',
      tag: 'keying',
      summary: 'Keying error rate per keyer (supervisor, admin)',
      description: 'Differing items ÷ items keyed, over the double-keyed forms each keyer keyed (a difference counts against both keyers of the form).',
      access: { roles: ['supervisor', 'admin'] },
      params: RoundParams,
      query: Type.Object({ province: Type.Optional(ProvinceCode) }, { additionalProperties: false }),
      responses: { 200: { description: 'Per keyer', schema: KeyingErrorsReply }, 404: { description: 'No such round' } },
      handler: async ({ params, query, user }) => ({ keyers: await keyingErrors(verificationDeps, user, params.roundId, query.province) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/keyed-forms',
      tag: 'keying',
      summary: 'Open a paper form by its serial: its unit, and which keying it needs',
      description:
        'A serial with wrong check digits is a 400 (`wrong_check_digit` at /query/serial). The keyer\'s provinces must include the unit\'s (403 otherwise).',
      access: { roles: ['enumerator', 'supervisor', 'admin'] },
      query: KeyedFormQuery,
      responses: { 200: { description: 'The form', schema: KeyedFormView }, 400: { description: 'Not a serial, or wrong check digits' }, 404: { description: 'No such round or unit' } },
      handler: async ({ query, user }) => lookUpKeyedForm(verificationDeps, user, query.serial),
    }),
  ];
}

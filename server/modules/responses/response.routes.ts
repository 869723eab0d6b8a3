import type { AppDeps } from '../../deps';
import { defineRoute, type RouteSpec } from '../../http/route';
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
        'Every accepted item is stored in MongoDB before the reply. Re-sending an item is safe: it comes back as duplicate.',
      access: { roles: ['enumerator', 'supervisor', 'admin'] },
      body: SubmitBody,
      responses: {
        200: { description: 'A result per item, in request order', schema: SubmitReply },
        400: { description: 'The body is not a batch (not JSON, no responses array, more than 500 items)' },
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
            logger: deps.logger,
          },
          user,
          body.responses,
        ),
      }),
    }),
  ];
}

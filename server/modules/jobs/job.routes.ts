import type { AppDeps } from '../../deps';
import { HttpProblem, notFound } from '../../http/problem';
import { defineRoute, type RouteSpec } from '../../http/route';
import { JobParams, JobView } from './job.schema';

export function jobRoutes(deps: AppDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/jobs/:jobId',
      tag: 'jobs',
      summary: 'Where a background job stands: its state and progress',
      description: 'Completed jobs are kept for a day and failed ones for a week; after that the job is not found.',
      access: { roles: ['admin', 'analyst'] },
      params: JobParams,
      responses: {
        200: { description: 'The job', schema: JobView },
        404: { description: 'No such job (never requested, or no longer kept)' },
        503: { description: 'The job queue is not reachable' },
      },
      handler: async ({ params }) => {
        let job;
        try {
          job = await deps.jobs.inspect(params.jobId);
        } catch {
          throw new HttpProblem('not_ready', 'The job queue is not reachable; try again shortly.');
        }
        if (!job) throw notFound(`Job ${params.jobId}`);
        return job;
      },
    }),
  ];
}

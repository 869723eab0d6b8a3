import { Type } from '@sinclair/typebox';

/** Job ids are `<job name>.<round id>.<24 hex digits>`: deterministic, and without ':' as BullMQ requires. */
export const JobParams = Type.Object(
  { jobId: Type.String({ pattern: '^[a-z-]{1,40}\\.[a-z0-9][a-z0-9-]{2,40}\\.[0-9a-f]{24}$', description: 'As returned when the job was requested.' }) },
  { additionalProperties: false },
);

export const JobView = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'recompute-round, recompute-provinces, export-microdata, …' }),
  state: Type.String({ description: 'waiting, delayed, active, completed, failed (BullMQ job states).' }),
  progress: Type.Unknown({
    description:
      'What the job last reported. A full recompute reports { phase: counting|tallying|computing|done, cellsDone, cellsTotal, provincesDone, provincesTotal }; ' +
      'a microdata export { phase: counting|writing|done, percent, rows, rowsTotal }.',
  }),
  result: Type.Unknown({ description: 'What the job returned, once completed.' }),
  failedReason: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  createdAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

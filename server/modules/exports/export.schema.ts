import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../../survey-forms/typebox';
import { JobParams } from '../jobs/job.schema';

export const ExportParams = Type.Object(
  { exportId: JobParams.properties.jobId },
  { additionalProperties: false },
);

export const RequestExportBody = Type.Object(
  {
    kind: StringEnum(['microdata'], { description: 'microdata: one row per counted response, item codes as columns, no personal data.' }),
    format: StringEnum(['csv', 'xlsx'], {
      description: 'csv: UTF-8 with a byte-order mark (codebook at GET /api/v1/rounds/:roundId/microdata/codebook). xlsx: data, codebook and metadata sheets.',
    }),
  },
  { additionalProperties: false },
);

export const ExportView = Type.Object({
  id: Type.String({ description: 'Also the id of its job (GET /api/v1/jobs/:jobId).' }),
  roundId: Type.String(),
  kind: StringEnum(['microdata']),
  format: StringEnum(['csv', 'xlsx']),
  state: StringEnum(['queued', 'writing', 'ready', 'failed', 'expired']),
  progress: Type.Union(
    [
      Type.Object({
        phase: StringEnum(['counting', 'writing', 'done']),
        percent: Type.Integer({ minimum: 0, maximum: 100 }),
        rows: Type.Integer({ description: 'Rows written so far.' }),
        rowsTotal: Type.Integer({ description: 'Rows to write (counted responses when the job started).' }),
      }),
      Type.Null(),
    ],
    { description: 'Null once failed or expired.' },
  ),
  rows: Type.Integer({ description: 'Rows in the finished file.' }),
  fileName: Type.String(),
  bytes: Type.Union([Type.Integer(), Type.Null()]),
  requestedBy: Type.String(),
  requestedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'After this the file is refused (410) and deleted.' }),
  downloadUrl: Type.Union([Type.String(), Type.Null()], { description: 'Where to download the file, while it is ready and not expired.' }),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const CodebookQuery = Type.Object(
  { format: StringEnum(['json', 'csv'], { default: 'json', description: 'csv: UTF-8 with a byte-order mark.' }) },
  { additionalProperties: false },
);

export const CodebookReply = Type.Object({
  roundId: Type.String(),
  formId: Type.String(),
  formVersion: Type.String(),
  boundaryEdition: Type.Integer(),
  rows: Type.Array(
    Type.Object({
      column: Type.String(),
      kind: Type.String({ description: 'id, code, flag (1 selected / 0 not, of a multiple choice), number or text.' }),
      labelVi: Type.String(),
      labelEn: Type.String(),
      code: Type.Union([Type.String(), Type.Number(), Type.Null()], { description: 'Null on the line describing the column itself.' }),
      codeLabelVi: Type.Union([Type.String(), Type.Null()]),
      codeLabelEn: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

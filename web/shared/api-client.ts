import type { Static } from '@sinclair/typebox';
import type * as deviceSchema from '../../server/modules/devices/device.schema';
import type * as postOfficeSchema from '../../server/modules/post-offices/post-office.schema';
import type * as returnedSchema from '../../server/modules/responses/returned';
import type * as aggregateSchema from '../../server/modules/aggregates/aggregate.schema';
import type * as assignmentSchema from '../../server/modules/assignments/assignment.schema';
import type * as authSchema from '../../server/modules/auth/auth.schema';
import type * as exportSchema from '../../server/modules/exports/export.schema';
import type * as formSchema from '../../server/modules/forms/form.schema';
import type * as indexDefinitionSchema from '../../server/modules/index-definitions/index-definition.schema';
import type * as keyingSchema from '../../server/modules/keying/keying.schema';
import type * as quotaSchema from '../../server/modules/quotas/quota.schema';
import type * as releaseSchema from '../../server/modules/releases/release.schema';
import type * as respondentSchema from '../../server/modules/respondent-links/respondent-link.schema';
import type * as responseSchema from '../../server/modules/responses/response.schema';
import type * as reviewSchema from '../../server/modules/review/review.schema';
import type * as roundSchema from '../../server/modules/rounds/round.schema';
import type * as sampleSchema from '../../server/modules/samples/sample.schema';
import type * as provinceAreaSchema from '../../server/modules/quality/province-area.schema';
import type * as userSchema from '../../server/modules/users/user.schema';

/**
 * The one client of the API for the browser apps: the enumerator app and the supervisor and analyst
 * dashboards. Reply types are the server's own schemas (types only: nothing of the server is bundled).
 *
 * Each call answers with what happened rather than throwing, so the enumerator app's offline sync
 * decides plainly: acknowledged, refused, log in again, or try later. The dashboards, which only
 * show a failure, wrap a call in `orThrow`.
 */
export type ApiOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'unauthenticated'; message?: string }
  | { kind: 'network'; message?: string }
  | { kind: 'http'; status: number; code?: string; message: string; details?: ProblemDetail[] };

/** One problem of a refused request (`error.details`): where (`/line/<n>/<field>` for a list's row), which code, what. */
export interface ProblemDetail {
  path: string;
  code: string;
  message: string;
}

export type MeReply = Static<typeof authSchema.MeReply>;
export type LoginReply = Static<typeof authSchema.LoginReply>;
export type RoundView = roundSchema.RoundView;
export type FormDefinition = Static<typeof formSchema.FormDefinition>;
export type IndexDefinition = Static<typeof indexDefinitionSchema.IndexDefinition>;
export type MyAssignmentsReply = assignmentSchema.MyAssignmentsReply;
export type SampleUnitView = sampleSchema.SampleUnitView;
export type SubmitReply = Static<typeof responseSchema.SubmitReply>;
export type QuotaProgressReply = Static<typeof quotaSchema.QuotaProgressReply>;
export type ReviewListReply = Static<typeof reviewSchema.ReviewListReply>;
export type ReviewResponseView = Static<typeof reviewSchema.ReviewResponseView>;
export type ExportView = Static<typeof exportSchema.ExportView>;
export type UserView = userSchema.UserView;
export type UserListReply = Static<typeof userSchema.UserListReply>;
export type UserListQuery = Partial<userSchema.UserListQuery>;
export type UserImportReply = Static<typeof userSchema.UserImportReply>;
export type RoundOverview = roundSchema.RoundOverview;
export type FormList = Static<typeof formSchema.FormList>;
export type IndexDefinitionList = Static<typeof indexDefinitionSchema.IndexDefinitionList>;
export type SampleImportReply = Static<typeof sampleSchema.SampleImportReply>;
export type SampleListReply = Static<typeof sampleSchema.SampleListReply>;
export type SampleListQuery = Partial<sampleSchema.SampleListQuery>;
export type SpreadBody = assignmentSchema.SpreadBody;
export type SpreadReply = Static<typeof assignmentSchema.SpreadReply>;
export type QuotaImportReply = Static<typeof quotaSchema.QuotaImportReply>;
export type QuotaTargetsReply = Static<typeof quotaSchema.QuotaTargetsReply>;
export type AreasReply = Static<typeof provinceAreaSchema.AreasReply>;
/** An uploaded list: CSV text, an XLSX workbook in base64, or JSON rows. */
export type Upload = { csv: string } | { xlsx: string };
/** Options of every list upload: refuse the file on any bad row, or keep the good ones; or only check (a preview). */
export interface UploadOptions {
  skipInvalid?: boolean;
  dryRun?: boolean;
}
export type ReturnedReply = Static<typeof returnedSchema.ReturnedReply>;
export type ReturnedResponseView = returnedSchema.ReturnedResponseView;
export type DeviceReceiptBody = deviceSchema.DeviceReceiptBody;
export type DeviceListReply = Static<typeof deviceSchema.DeviceListReply>;
export type UnsentOnDevicesReply = Static<typeof deviceSchema.UnsentReply>;
export type PostOfficeListReply = Static<typeof postOfficeSchema.PostOfficeListReply>;
export type ProgressChangesReply = Static<typeof quotaSchema.ProgressChangesReply>;
export type QuotaProgressQuery = Partial<Static<typeof quotaSchema.QuotaProgressQuery>>;
export type RespondentQuestionnaireReply = Static<typeof respondentSchema.RespondentQuestionnaireReply>;
export type RowField = aggregateSchema.RowField;
export type ReleaseView = Static<typeof releaseSchema.ReleaseView>;
export type PublicRelease = Static<typeof releaseSchema.PublicReleaseReply>;
export type ReleaseTable = Static<typeof releaseSchema.TableReply>;
export type ReleaseDownloads = Static<typeof releaseSchema.DownloadsReply>;
export type ReleaseProvince = Static<typeof releaseSchema.ProvinceReply>;
export type ReleaseCheck = Static<typeof releaseSchema.CheckReply>;
export type ReleaseChanges = Static<typeof releaseSchema.ChangesReply>;
export type ReleaseFigureChange = Static<typeof releaseSchema.FigureChangeSchema>;
/** Which frozen table of a release: the query of GET …/tables without its output options. */
export type ReleaseTableQuery = Partial<Pick<Static<typeof releaseSchema.TableQuerySchema>, 'edition' | 'indicator' | 'estimate' | 'by' | 'unitType' | 'region'>>;
/** An aggregates reply whose rows carry the fields asked for (`fields`; all by default). */
export type AggregatesReply<F extends RowField = RowField> = Omit<Static<typeof aggregateSchema.AggregatesReply>, 'rows'> & {
  rows: Array<Required<Pick<Static<typeof aggregateSchema.AggregateRow>, F>>>;
};
/** Which table of figures: the query of GET /rounds/:roundId/aggregates without its output options. */
export type AggregatesQuery = Pick<Static<typeof aggregateSchema.AggregatesQuery>, 'by' | 'indicator' | 'estimate'> &
  Partial<Pick<Static<typeof aggregateSchema.AggregatesQuery>, 'edition' | 'suppress'>>;
export type RespondentLinkList = Static<typeof respondentSchema.LinkListReply>;
export type RespondentLinkView = Static<typeof respondentSchema.LinkView>;
export type RespondentUnitLink = Static<typeof respondentSchema.UnitLinkReply>;
export type RespondentLinkQuery = Partial<Pick<Static<typeof respondentSchema.LinkListQuery>, 'province' | 'offset' | 'limit'>>;

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

const segment = encodeURIComponent;
const withQuery = (path: string, query: Query): string => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
};

/** What a refusal says: its code and message; any 401 but a failed login means the token is no good. */
async function refusal(res: Response): Promise<Exclude<ApiOutcome<never>, { kind: 'ok' | 'network' }>> {
  let error: { code?: string; message?: string; details?: ProblemDetail[] } | undefined;
  try {
    error = ((await res.json()) as { error?: { code?: string; message?: string; details?: ProblemDetail[] } } | undefined)?.error;
  } catch {
    return { kind: 'http', status: res.status, message: res.statusText };
  }
  const message = error?.message ?? res.statusText;
  if (res.status === 401 && error?.code !== 'login_failed') return { kind: 'unauthenticated', message };
  return { kind: 'http', status: res.status, ...(error?.code ? { code: error.code } : {}), message, ...(Array.isArray(error?.details) ? { details: error.details } : {}) };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function call<T>(path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<ApiOutcome<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      cache: 'no-store',
    });
  } catch (error) {
    return { kind: 'network', message: messageOf(error) };
  }
  if (!res.ok) return refusal(res);
  try {
    return { kind: 'ok', value: (res.status === 204 ? undefined : await res.json()) as T };
  } catch (error) {
    // The reply was cut off: as far as we know, nothing was acknowledged.
    return { kind: 'network', message: messageOf(error) };
  }
}

/** The file name a reply's Content-Disposition gives, else the fallback. */
export function fileNameOf(res: Response, fallback: string): string {
  const header = res.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

/** Hands a file in memory to the browser to save (a list of problems to fix offline, say). */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Downloads a file the API sends as an attachment. The API needs the bearer token, which a plain link
 * cannot carry, so the file is fetched and saved from memory under the server's file name.
 */
export async function downloadFile(token: string, path: string, fallbackName: string): Promise<ApiOutcome<undefined>> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch (error) {
    return { kind: 'network', message: messageOf(error) };
  }
  if (!res.ok) return refusal(res);
  let blob: Blob;
  try {
    blob = await res.blob();
  } catch (error) {
    return { kind: 'network', message: messageOf(error) };
  }
  saveFile(blob, fileNameOf(res, fallbackName));
  return { kind: 'ok', value: undefined };
}

const round = (roundId: string): string => `/api/v1/rounds/${segment(roundId)}`;

export const api = {
  login: (username: string, password: string) => call<LoginReply>('/api/v1/auth/login', { method: 'POST', body: { username, password } }),
  me: (token: string) => call<MeReply>('/api/v1/me', { token }),
  logout: (token: string) => call<undefined>('/api/v1/auth/logout', { method: 'POST', token }),

  // The enumerator app.
  myAssignments: (token: string) => call<MyAssignmentsReply>('/api/v1/me/assignments', { token }),
  form: (token: string, formId: string, version: string) => call<FormDefinition>(`/api/v1/forms/${segment(formId)}/${segment(version)}`, { token }),
  submit: (token: string, responses: responseSchema.ResponseSubmission[]) =>
    call<SubmitReply>('/api/v1/responses', { method: 'POST', token, body: { responses } }),
  reportStatus: (token: string, report: { roundId: string; unitId: string } & assignmentSchema.StatusBody) =>
    call<SampleUnitView>(`/api/v1/me/assignments/${segment(report.roundId)}/${segment(report.unitId)}/status`, {
      method: 'PUT',
      token,
      body: { status: report.status, at: report.at, ...(report.note ? { note: report.note } : {}), ...(report.appointmentAt ? { appointmentAt: report.appointmentAt } : {}) },
    }),
  /** Responses returned to me for correction, with the supervisor's comments. */
  returned: (token: string) => call<ReturnedReply>('/api/v1/me/returned', { token }),
  /** The receipt of this device's outbox, sent with every sync. */
  deviceReceipt: (token: string, receipt: DeviceReceiptBody) => call<{ kept: boolean }>('/api/v1/me/device-receipts', { method: 'POST', token, body: receipt }),

  // The dashboards.
  rounds: (token: string) => call<Static<typeof roundSchema.RoundListReply>>('/api/v1/rounds', { token }),
  indexDefinition: (token: string, definitionId: string, version: string) =>
    call<IndexDefinition>(`/api/v1/index-definitions/${segment(definitionId)}/${segment(version)}`, { token }),
  quotaProgress: (token: string, roundId: string, query: QuotaProgressQuery) => call<QuotaProgressReply>(withQuery(`${round(roundId)}/quota-progress`, query), { token }),
  /** Which provinces changed since the `now` of the previous answer. */
  progressChanges: (token: string, roundId: string, since: string) => call<ProgressChangesReply>(withQuery(`${round(roundId)}/progress-changes`, { since }), { token }),
  postOffices: (token: string, province?: string) => call<PostOfficeListReply>(withQuery('/api/v1/post-offices', { province }), { token }),
  devices: (token: string, query: Partial<Static<typeof deviceSchema.DeviceListQuery>>) => call<DeviceListReply>(withQuery('/api/v1/devices', query), { token }),
  /** At round close: responses devices hold that the server does not have, and on which devices. */
  devicesUnsent: (token: string, roundId: string) => call<UnsentOnDevicesReply>(`${round(roundId)}/devices/unsent`, { token }),
  reviewQueue: (token: string, roundId: string, query: Partial<Static<typeof reviewSchema.ReviewListQuery>>) =>
    call<ReviewListReply>(withQuery(`${round(roundId)}/review`, query), { token }),
  response: (token: string, roundId: string, responseId: string) => call<ReviewResponseView>(`${round(roundId)}/responses/${segment(responseId)}`, { token }),
  decide: (token: string, roundId: string, responseId: string, body: Static<typeof reviewSchema.DecisionBody>) =>
    call<ReviewResponseView>(`${round(roundId)}/responses/${segment(responseId)}/review`, { method: 'POST', token, body }),
  /** A table of figures; `fields` picks the row fields (all by default). */
  aggregates: <F extends RowField = RowField>(token: string, roundId: string, query: AggregatesQuery, fields?: ReadonlyArray<F>) =>
    call<AggregatesReply<F>>(withQuery(`${round(roundId)}/aggregates`, { fields: fields ? fields.join(',') : 'all', ...query }), { token }),
  requestExport: (token: string, roundId: string, body: Static<typeof exportSchema.RequestExportBody>) =>
    call<ExportView>(`${round(roundId)}/exports`, { method: 'POST', token, body }),
  exportStatus: (token: string, exportId: string) => call<ExportView>(`/api/v1/exports/${segment(exportId)}`, { token }),

  // Releases (staff).
  releases: (token: string, roundId: string) => call<Static<typeof releaseSchema.ReleaseList>>(`${round(roundId)}/releases`, { token }),
  prepareRelease: (token: string, roundId: string, body: Static<typeof releaseSchema.PrepareReleaseBody>) =>
    call<ReleaseView>(`${round(roundId)}/releases`, { method: 'POST', token, body }),
  approveRelease: (token: string, releaseId: string, embargoUntil: string) =>
    call<ReleaseView>(`/api/v1/releases/${segment(releaseId)}/approve`, { method: 'POST', token, body: { embargoUntil } }),
  checkRelease: (token: string, releaseId: string) => call<ReleaseCheck>(`/api/v1/releases/${segment(releaseId)}/check`, { method: 'POST', token }),
  releaseChanges: (token: string, releaseId: string, offset = 0) => call<ReleaseChanges>(`/api/v1/releases/${segment(releaseId)}/changes?limit=200&offset=${offset}`, { token }),
  releaseTable: (token: string, releaseId: string, query: ReleaseTableQuery) => call<ReleaseTable>(withQuery(`/api/v1/releases/${segment(releaseId)}/tables`, query), { token }),

  // The public results site: no login.
  publicReleases: () => call<Static<typeof releaseSchema.PublicReleaseList>>('/api/v1/public/releases'),
  latestRelease: () => call<PublicRelease>('/api/v1/public/releases/latest'),
  publicRelease: (releaseId: string) => call<PublicRelease>(`/api/v1/public/releases/${segment(releaseId)}`),
  publicTable: (releaseId: string, query: ReleaseTableQuery) => call<ReleaseTable>(withQuery(`/api/v1/public/releases/${segment(releaseId)}/tables`, query)),
  publicDownloads: (releaseId: string, query: ReleaseTableQuery) => call<ReleaseDownloads>(withQuery(`/api/v1/public/releases/${segment(releaseId)}/downloads`, query)),
  publicProvince: (releaseId: string, provinceCode: string) => call<ReleaseProvince>(`/api/v1/public/releases/${segment(releaseId)}/provinces/${segment(provinceCode)}`),
  publicChanges: (releaseId: string, offset = 0) => call<ReleaseChanges>(`/api/v1/public/releases/${segment(releaseId)}/changes?limit=200&offset=${offset}`),
  /** Where a province's report card (PDF) and the archive of all cards are: plain links, no login. */
  reportCardUrl: (releaseId: string, provinceCode: string) => `/api/v1/public/releases/${segment(releaseId)}/provinces/${segment(provinceCode)}/report-card`,
  reportCardsUrl: (releaseId: string) => `/api/v1/public/releases/${segment(releaseId)}/report-cards`,
  // The respondent page (no account: the token in its address is the key).
  respondQuestionnaire: (token: string) => call<RespondentQuestionnaireReply>(`/api/v1/respond/${segment(token)}`),
  respondSaveDraft: (token: string, answers: Record<string, unknown>) =>
    call<Static<typeof respondentSchema.RespondentDraftReply>>(`/api/v1/respond/${segment(token)}/draft`, { method: 'PUT', body: { answers } }),
  respondSubmit: (token: string, body: respondentSchema.RespondentSubmitBody) =>
    call<Static<typeof respondentSchema.RespondentSubmitReply>>(`/api/v1/respond/${segment(token)}/submit`, { method: 'POST', body }),

  // Downloads.
  /** A table of figures as a file: CSV, XLSX, or JSON with its codebook and metadata. */
  downloadAggregates: (token: string, roundId: string, query: AggregatesQuery, format: 'csv' | 'xlsx' | 'json') => {
    const { suppress, ...table } = query;
    const path = withQuery(`${round(roundId)}/aggregates`, {
      ...table,
      format,
      fields: 'all',
      ...(suppress ? { suppress: true } : {}),
      ...(format === 'json' ? { download: true } : {}),
    });
    return downloadFile(token, path, `${roundId}.${format}`);
  },
  // The console (administrators).
  users: (token: string, query: UserListQuery) => call<UserListReply>(withQuery('/api/v1/users', { ...query }), { token }),
  createUser: (token: string, body: userSchema.CreateUserBody) => call<UserView>('/api/v1/users', { method: 'POST', token, body }),
  updateUser: (token: string, username: string, body: userSchema.UpdateUserBody) => call<UserView>(`/api/v1/users/${segment(username)}`, { method: 'PATCH', token, body }),
  resetPassword: (token: string, username: string) =>
    call<Static<typeof userSchema.PasswordResetReply>>(`/api/v1/users/${segment(username)}/password-reset`, { method: 'POST', token }),
  importUsers: (token: string, upload: Upload, options: UploadOptions) => call<UserImportReply>(withQuery('/api/v1/users/import', { ...options }), { method: 'POST', token, body: upload }),
  forms: (token: string) => call<FormList>('/api/v1/forms', { token }),
  indexDefinitions: (token: string) => call<IndexDefinitionList>('/api/v1/index-definitions', { token }),
  createRound: (token: string, body: roundSchema.CreateRoundBody) => call<RoundView>('/api/v1/rounds', { method: 'POST', token, body }),
  updateRound: (token: string, roundId: string, body: roundSchema.UpdateRoundBody) => call<RoundView>(round(roundId), { method: 'PATCH', token, body }),
  roundOverview: (token: string, roundId: string) => call<RoundOverview>(`${round(roundId)}/overview`, { token }),
  importSample: (token: string, roundId: string, upload: Upload, options: UploadOptions) =>
    call<SampleImportReply>(withQuery(`${round(roundId)}/sample`, { ...options }), { method: 'POST', token, body: upload }),
  sample: (token: string, roundId: string, query: SampleListQuery) => call<SampleListReply>(withQuery(`${round(roundId)}/sample`, { ...query }), { token }),
  assign: (token: string, roundId: string, body: assignmentSchema.AssignBody) =>
    call<Static<typeof assignmentSchema.AssignReply>>(`${round(roundId)}/assignments`, { method: 'POST', token, body }),
  spread: (token: string, roundId: string, body: SpreadBody) => call<SpreadReply>(`${round(roundId)}/assignments/spread`, { method: 'POST', token, body }),
  quotas: (token: string, roundId: string) => call<QuotaTargetsReply>(`${round(roundId)}/quotas`, { token }),
  importQuotas: (token: string, roundId: string, upload: Upload, options: UploadOptions) =>
    call<QuotaImportReply>(withQuery(`${round(roundId)}/quotas`, { ...options }), { method: 'POST', token, body: upload }),
  setQuotaCell: (token: string, roundId: string, body: Static<typeof quotaSchema.QuotaCellBody>) =>
    call<QuotaImportReply>(`${round(roundId)}/quotas/cell`, { method: 'PUT', token, body }),
  provinceAreas: (token: string, edition: 63 | 34) => call<AreasReply>(`/api/v1/province-areas/${edition}`, { token }),
  setProvinceAreas: (token: string, edition: 63 | 34, body: Static<typeof provinceAreaSchema.AreasBody>) =>
    call<AreasReply>(`/api/v1/province-areas/${edition}`, { method: 'PUT', token, body }),

  /** A finished export, from the `downloadUrl` its status gives. */
  downloadExport: (token: string, downloadUrl: string, fileName: string) => downloadFile(token, downloadUrl, fileName),

  // Paper forms: keying, double entry, printing.
  keyedForm: (token: string, serial: string) => call<Static<typeof keyingSchema.KeyedFormView>>(withQuery('/api/v1/keyed-forms', { serial }), { token }),
  verificationQueue: (token: string, roundId: string, query: { province?: string; offset?: number; limit?: number } = {}) =>
    call<Static<typeof keyingSchema.VerificationListReply>>(withQuery(`${round(roundId)}/verification`, query), { token }),
  verify: (token: string, roundId: string, responseId: string, values: Record<string, unknown>) =>
    call<Static<typeof keyingSchema.VerificationDecisionReply>>(`${round(roundId)}/verification/${segment(responseId)}`, { method: 'POST', token, body: { values } }),
  keyingErrors: (token: string, roundId: string) => call<Static<typeof keyingSchema.KeyingErrorsReply>>(`${round(roundId)}/keying-errors`, { token }),
  /** The printable HTML of paper forms (units by id, by enumerator or by province). */
  printForms: async (token: string, roundId: string, query: { unitIds?: string; enumerator?: string; province?: string }): Promise<ApiOutcome<string>> => {
    try {
      const res = await fetch(withQuery(`${round(roundId)}/print`, query), { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
      if (!res.ok) return refusal(res);
      return { kind: 'ok', value: await res.text() };
    } catch (error) {
      return { kind: 'network', message: messageOf(error) };
    }
  },
  // Respondent links (supervisors): each unit's link and how it stands, as JSON or CSV.
  respondentLinks: (token: string, roundId: string, query: RespondentLinkQuery) =>
    call<RespondentLinkList>(withQuery(`${round(roundId)}/respondent-links`, { ...query }), { token }),
  downloadRespondentLinks: (token: string, roundId: string, query: RespondentLinkQuery) =>
    downloadFile(token, withQuery(`${round(roundId)}/respondent-links`, { ...query, format: 'csv' }), `${roundId}-respondent-links.csv`),
  withdrawRespondentLink: (token: string, roundId: string, unitId: string, reason?: string) =>
    call<RespondentUnitLink>(`${round(roundId)}/respondent-links/${segment(unitId)}/withdraw`, { method: 'POST', token, body: reason ? { reason } : {} }),
  reissueRespondentLink: (token: string, roundId: string, unitId: string, reason?: string) =>
    call<RespondentUnitLink>(`${round(roundId)}/respondent-links/${segment(unitId)}/reissue`, { method: 'POST', token, body: reason ? { reason } : {} }),
};

export type ApiClient = typeof api;

/** A failed call, for the dashboards: the status tells a wrong password or a lost session (401) from the rest (0: no reply). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly details: ReadonlyArray<ProblemDetail> = [],
  ) {
    super(message);
  }
}

/** The value of a call that worked; else an `ApiError` with the server's message. */
export async function orThrow<T>(pending: Promise<ApiOutcome<T>>): Promise<T> {
  const outcome = await pending;
  switch (outcome.kind) {
    case 'ok':
      return outcome.value;
    case 'unauthenticated':
      throw new ApiError(401, outcome.message ?? 'Unauthorized');
    case 'network':
      throw new ApiError(0, outcome.message ?? 'No reply');
    case 'http':
      throw new ApiError(outcome.status, outcome.message, outcome.code, outcome.details);
  }
}

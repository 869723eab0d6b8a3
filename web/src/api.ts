import type { FormDefinition } from '../../survey-forms/form-definition.schema';
import type { MyAssignmentsReply } from '../../server/modules/assignments/assignment.schema';
import type { SubmitResult } from '../../server/modules/responses/response.schema';
import type { StatusReport } from './device-store';

/**
 * The few API calls the app makes. Each answers with what happened rather than throwing, so the
 * callers decide plainly: acknowledged, refused, log in again, or try later.
 */
export type ApiOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'unauthenticated' }
  | { kind: 'network' }
  | { kind: 'http'; status: number; code?: string; message: string };

async function call<T>(path: string, init: RequestInit & { token?: string }): Promise<ApiOutcome<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, cache: 'no-store' });
  } catch {
    return { kind: 'network' };
  }
  let body: unknown;
  try {
    body = res.status === 204 ? undefined : await res.json();
  } catch {
    // The reply was cut off: as far as we know, nothing was acknowledged.
    return res.ok ? { kind: 'network' } : { kind: 'http', status: res.status, message: res.statusText };
  }
  if (res.ok) return { kind: 'ok', value: body as T };
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (res.status === 401 && error?.code !== 'login_failed') return { kind: 'unauthenticated' };
  return { kind: 'http', status: res.status, ...(error?.code ? { code: error.code } : {}), message: error?.message ?? res.statusText };
}

export const api = {
  login: (username: string, password: string) =>
    call<{ token: string; expiresAt: string }>('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) }),
  me: (token: string) => call<{ username: string; role: string; displayName: string }>('/api/v1/me', { method: 'GET', token }),
  logout: (token: string) => call<undefined>('/api/v1/auth/logout', { method: 'POST', token }),
  myAssignments: (token: string) => call<MyAssignmentsReply>('/api/v1/me/assignments', { method: 'GET', token }),
  form: (token: string, formId: string, version: string) =>
    call<FormDefinition>(`/api/v1/forms/${encodeURIComponent(formId)}/${encodeURIComponent(version)}`, { method: 'GET', token }),
  submit: (token: string, responses: unknown[]) =>
    call<{ results: SubmitResult[] }>('/api/v1/responses', { method: 'POST', token, body: JSON.stringify({ responses }) }),
  reportStatus: (token: string, report: StatusReport) =>
    call<unknown>(`/api/v1/me/assignments/${encodeURIComponent(report.roundId)}/${encodeURIComponent(report.unitId)}/status`, {
      method: 'PUT',
      token,
      body: JSON.stringify({ status: report.status, at: report.at, ...(report.note ? { note: report.note } : {}) }),
    }),
};

export type Api = typeof api;

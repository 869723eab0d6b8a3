/** The API calls of the analyst dashboard. Errors become messages the page shows. */
import { ApiError } from '../shared/login';

export { ApiError };

export interface AggregateRow {
  group: string;
  label: string;
  n: number;
  value: number | null;
  low: number | null;
  high: number | null;
  reliable: boolean;
  rank: number | null;
  changePoints: number | null;
  changePlaces: number | null;
  suppressed: boolean;
}

export interface Extreme {
  value: number;
  groups: string[];
}

export interface AggregatesReply {
  roundId: string;
  by: string;
  indicator: string;
  indicatorLabel: { vi: string; en: string };
  estimate: string;
  minimumN: number;
  boundaryEdition: 63 | 34;
  computedAt: string | null;
  responses: number;
  comparison: { previousRoundId: string; comparable: boolean; reason: string | null } | null;
  summary: { provinces: number; median: number; q1: number; q3: number; min: Extreme; max: Extreme } | null;
  rows: AggregateRow[];
}

export interface RoundView {
  id: string;
  year: number;
  boundaryEdition: 63 | 34;
  indexDefinitionId: string;
  indexDefinitionVersion: string;
}

export interface IndicatorDefinition {
  id: string;
  level: 'criterion' | 'element' | 'component' | 'overall';
  label: { vi: string; en: string };
}

export interface ExportView {
  id: string;
  state: 'queued' | 'writing' | 'ready' | 'failed' | 'expired';
  progress: { phase: string; percent: number; rows: number; rowsTotal: number } | null;
  fileName: string;
  expiresAt: string | null;
  downloadUrl: string | null;
  error: string | null;
}

async function request(path: string, token: string | null, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(path, {
    ...init,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    cache: 'no-store',
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    throw new ApiError(res.status, body?.error?.message ?? res.statusText);
  }
  return res;
}

const json = async <T>(path: string, token: string | null, init: RequestInit = {}): Promise<T> => (await request(path, token, init)).json() as Promise<T>;

export const api = {
  login: (username: string, password: string) => json<{ token: string }>('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ username, password }) }),
  me: (token: string) => json<{ username: string; role: string }>('/api/v1/me', token),
  rounds: (token: string) => json<{ rounds: RoundView[] }>('/api/v1/rounds', token),
  definition: (token: string, id: string, version: string) =>
    json<{ indicators: IndicatorDefinition[] }>(`/api/v1/index-definitions/${encodeURIComponent(id)}/${encodeURIComponent(version)}`, token),
  aggregates: (token: string, roundId: string, query: Record<string, string>) =>
    json<AggregatesReply>(`/api/v1/rounds/${encodeURIComponent(roundId)}/aggregates?${new URLSearchParams({ fields: 'all', ...query }).toString()}`, token),
  requestExport: (token: string, roundId: string, format: 'csv' | 'xlsx') =>
    json<ExportView>(`/api/v1/rounds/${encodeURIComponent(roundId)}/exports`, token, { method: 'POST', body: JSON.stringify({ kind: 'microdata', format }) }),
  exportStatus: (token: string, id: string) => json<ExportView>(`/api/v1/exports/${encodeURIComponent(id)}`, token),
};

/** The file name a reply's Content-Disposition gives, else the fallback. */
export function fileNameOf(res: Response, fallback: string): string {
  const header = res.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

/**
 * Downloads a file the API sends as an attachment. The API needs the bearer token, which a plain link
 * cannot carry, so the file is fetched and saved from memory under the server's file name.
 */
export async function downloadFile(token: string, path: string, fallbackName: string): Promise<void> {
  const res = await request(path, token);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameOf(res, fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

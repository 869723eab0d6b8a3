/**
 * What the sections that drive the real API share: their configuration (a database and queue prefix
 * of their own), a small JSON caller, and the sipas-2017 round they submit to.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../server/config';

export const BENCH_ADMIN = { username: 'admin', password: 'bench-password' } as const;

/** The API's configuration for one bench section: database `sipas_bench_<label>_<suffix>`, queue prefix alike. */
export function benchConfig(uri: string, redisUrl: string, label: string, suffix: string): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: uri,
    MONGODB_DB: `sipas_bench_${label}_${suffix}`,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `bench-${label}-${suffix}`,
    ADMIN_USERNAME: BENCH_ADMIN.username,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    LOG_LEVEL: 'silent',
    PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
  });
}

export type ApiCall = <T = unknown>(method: string, url: string, token: string | null, body?: unknown) => Promise<{ status: number; body: T }>;

/** A JSON caller of the API at `base`; the body is undefined when the reply is not JSON. */
export function apiCaller(base: string): ApiCall {
  return async <T>(method: string, url: string, token: string | null, body?: unknown) => {
    const res = await fetch(base + url, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as T };
  };
}

/** Logs in as the bench's administrator and opens a sipas-2017 round on the 63 provinces; returns the token. */
export async function openBenchRound(call: ApiCall, roundId: string): Promise<string> {
  const login = await call<{ token: string }>('POST', '/api/v1/auth/login', null, BENCH_ADMIN);
  if (login.status !== 200) throw new Error(`the bench could not log in (${login.status})`);
  const created = await call('POST', '/api/v1/rounds', login.body.token, {
    id: roundId,
    year: 2024,
    formId: 'sipas-2017',
    formVersion: '1',
    boundaryEdition: 63,
    fieldworkStart: '2024-08-01',
    fieldworkEnd: '2024-12-15',
    status: 'open',
  });
  if (created.status !== 201) throw new Error(`could not create the bench round (${created.status})`);
  return login.body.token;
}

/**
 * Fills a realistic SIPAS round through the public API, so a newcomer sees real tables at once:
 * every province of the edition, answers drawn so provincial values spread like the published
 * range (about 75–96%), paradata that passes the quality checks (interviews at least as long as the
 * questionnaire's minimum, in working hours during fieldwork, by enumerators of the province —
 * `demo-enumerator-<code>-<n>`, created on first use — whose interviews never overlap, no straight-lining).
 *
 *   npm run demo:seed                                   # 3,000 responses, 63 provinces, sipas-2017, round demo-2021
 *   npm run demo:seed -- --responses 10000 --edition 34 # the 34 units (sipas-2022, round demo-2025)
 *   npm run demo:seed -- --year 2024 --form sipas-2022 && npm run demo:seed -- --year 2025 --edition 34 --previous demo-2024
 *
 * Response ids derive from the round and the seed, so running it twice stores nothing twice.
 * Options: --url (SIPAS_URL, default http://127.0.0.1:3000), --username/--password (ADMIN_USERNAME,
 * ADMIN_PASSWORD), --round, --year, --edition 63|34, --form id[@version], --responses, --seed,
 * --weighted (responses carry design weights), --previous <roundId>, --no-recompute.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { compileForm, type CompiledForm } from '../survey-forms/form';
import { surveyFormsDir } from '../survey-forms/paths';
import { loadProvinceReference, type BoundaryEdition } from '../survey-forms/provinces';
import { createRandom, syntheticAnswers, type Random } from '../survey-forms/synthetic-answers';

export interface DemoSeedOptions {
  baseUrl: string;
  username: string;
  password: string;
  edition: BoundaryEdition;
  /** Defaults: 2021 on the 63 units, 2025 on the 34. */
  year?: number;
  /** @defaultValue `demo-<year>` */
  roundId?: string;
  /** Defaults: sipas-2017 on the 63 units, sipas-2022 on the 34. */
  formId?: string;
  formVersion?: string;
  /** How many responses in all; at least one per province. @defaultValue 3000 */
  responses?: number;
  /** Same seed, same round. @defaultValue 2024 */
  seed?: number;
  /** Give every response a design weight. @defaultValue false */
  weighted?: boolean;
  /** The round changes are measured against. */
  previousRoundId?: string;
  /** Fieldwork dates (YYYY-MM-DD); interviews start in its first month. @defaultValue 1 August – 15 December of the year */
  fieldwork?: { start: string; end: string };
  /** Ask for a full recompute at the end and wait for it. @defaultValue true */
  recompute?: boolean;
  /** At most 500, the API's limit. @defaultValue 500 */
  batchSize?: number;
  log?: (line: string) => void;
}

export interface DemoSeedResult {
  roundId: string;
  formId: string;
  formVersion: string;
  edition: BoundaryEdition;
  /** Responses sent, and how the API answered them. */
  sent: number;
  accepted: number;
  duplicates: number;
  /** The share of satisfied answers each province's responses were drawn around. */
  targets: Record<string, number>;
  /** The full recompute job, when one was asked for. */
  jobId: string | null;
}

/**
 * One enumerator's interviews, one after another: from a random day of the first month of fieldwork
 * (which runs August to mid-December), between 07:30 and 17:00 Vietnam time (UTC+7), each at least
 * the questionnaire's minimum length, 5–40 minutes apart. No two of them overlap.
 */
function interviewSchedule(random: Random, start: number, minDurationSeconds: number, count: number): Array<{ startedAt: string; endedAt: string }> {
  const DAY = 86_400_000;
  const dayStart = (day: number): number => start + day * DAY + 30 * 60_000; // 07:30 at UTC+7 is 00:30 UTC
  const dayEnd = (day: number): number => start + day * DAY + 10 * 3_600_000; // 17:00 at UTC+7
  let day = Math.floor(random() * 30);
  let at = dayStart(day) + Math.floor(random() * 120) * 60_000;
  const schedule: Array<{ startedAt: string; endedAt: string }> = [];
  for (let i = 0; i < count; i += 1) {
    const seconds = minDurationSeconds + 120 + Math.floor(random() * 1500);
    if (at + seconds * 1000 > dayEnd(day)) {
      day += 1 + Math.floor(random() * 2);
      if (day > 135) throw new Error('too many interviews for one enumerator in one fieldwork period');
      at = dayStart(day) + Math.floor(random() * 60) * 60_000;
    }
    schedule.push({ startedAt: new Date(at).toISOString(), endedAt: new Date(at + seconds * 1000).toISOString() });
    at += seconds * 1000 + (5 + Math.floor(random() * 36)) * 60_000;
  }
  return schedule;
}

/** A version-4-shaped UUID derived from the round, the seed and the response's number. */
export function responseId(roundId: string, seed: number, index: number): string {
  const hex = createHash('sha256').update(`${roundId}\n${seed}\n${index}`).digest('hex');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Larger provinces get more responses, as in the real survey (Hà Nội and TP HCM most). */
function allocate(codes: ReadonlyArray<string>, total: number, random: Random): Map<string, number> {
  if (total < codes.length) throw new Error(`--responses must be at least ${codes.length}, one per province`);
  const sizes = codes.map((code) => (code === '01' || code === '79' ? 3 : 0.7 + 0.6 * random()));
  const sum = sizes.reduce((a, b) => a + b, 0);
  const counts = sizes.map((s) => Math.max(1, Math.floor((s / sum) * total)));
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; left !== 0; i = (i + 1) % codes.length) {
    if (left > 0) {
      counts[i] = (counts[i] as number) + 1;
      left -= 1;
    } else if ((counts[i] as number) > 1) {
      counts[i] = (counts[i] as number) - 1;
      left += 1;
    }
  }
  return new Map(codes.map((code, i) => [code, counts[i] as number]));
}

/**
 * One API call. A 503 (the database too slow for a moment, or too many passwords checked at once) or
 * a dropped connection is tried again after a pause, a few times: every call of the seeders is safe to repeat.
 */
export async function call<T>(baseUrl: string, method: string, url: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> {
  for (let attempt = 1; ; attempt += 1) {
    let res: Response;
    let text: string;
    try {
      res = await fetch(new URL(url, baseUrl), {
        method,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      text = await res.text();
    } catch (error) {
      if (attempt >= 6) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    if (res.status === 503 && attempt < 6) {
      const seconds = Math.min(10, Math.max(1, Number(res.headers.get('retry-after')) || 1));
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

/** How many enumerators send at the same time. */
const CONCURRENT_ENUMERATORS = 4;

/** Interviews one demo enumerator does in a round: about 40 working days. */
const INTERVIEWS_PER_ENUMERATOR = 400;

// ---- Post offices (issue 16) -------------------------------------------------------------------
// Each province's post office (Bưu điện tỉnh) runs its fieldwork through district post offices; the
// demo gives every province DEMO_POST_OFFICES of them, `BD<province>-<n>`, and puts each demo
// enumerator in one, so the supervisor dashboard rolls up enumerator → post office → province.
const DEMO_POST_OFFICES = 2;

/** The demo post offices of the provinces. */
export function demoPostOffices(provinces: ReadonlyArray<{ code: string; name: string }>): Array<{ code: string; name: string; provinceCode: string }> {
  return provinces.flatMap((p) =>
    Array.from({ length: DEMO_POST_OFFICES }, (_, i) => ({
      code: `BD${p.code}-${i + 1}`,
      name: i === 0 ? `Bưu điện Trung tâm ${p.name}` : `Bưu điện khu vực ${i + 1} ${p.name}`,
      provinceCode: p.code,
    })),
  );
}

/** The post office of a province's k-th demo enumerator. */
export function demoPostOfficeOf(provinceCode: string, k: number): string {
  return `BD${provinceCode}-${((k - 1) % DEMO_POST_OFFICES) + 1}`;
}
// ---- end of post offices -------------------------------------------------------------------------

/** A demo enumerator (`demo-enumerator-<province>-<n>`), created on first use, logged in. */
export async function enumeratorToken(baseUrl: string, adminToken: string, username: string, provinceCode: string, postOffice: string): Promise<string> {
  // A password may not contain its username (server/modules/users/password-policy.ts).
  const password = username.replace('demo-enumerator-', 'demo-password-');
  const created = await call(baseUrl, 'POST', '/api/v1/users', adminToken, {
    username,
    password,
    role: 'enumerator',
    displayName: `Điều tra viên demo ${username.slice('demo-enumerator-'.length)}`,
    provinces: [provinceCode],
    postOffice,
  });
  if (created.status !== 201 && created.status !== 409) throw new Error(`could not create ${username} (${created.status})`);
  const login = await call<{ token: string }>(baseUrl, 'POST', '/api/v1/auth/login', null, { username, password });
  if (login.status !== 200) throw new Error(`could not log in as ${username}: it exists with another password`);
  return login.body.token;
}

/** Seeds one round; see the file comment. */
export async function seedDemoRound(options: DemoSeedOptions): Promise<DemoSeedResult> {
  const log = options.log ?? (() => undefined);
  const edition = options.edition;
  const year = options.year ?? (edition === 34 ? 2025 : 2021);
  const roundId = options.roundId ?? `demo-${year}`;
  const formId = options.formId ?? (edition === 34 ? 'sipas-2022' : 'sipas-2017');
  const formVersion = options.formVersion ?? '1';
  const total = options.responses ?? 3000;
  const seed = options.seed ?? 2024;
  const batchSize = Math.min(500, options.batchSize ?? 500);
  const { baseUrl } = options;
  const fieldwork = options.fieldwork ?? { start: `${year}-08-01`, end: `${year}-12-15` };

  const login = await call<{ token: string }>(baseUrl, 'POST', '/api/v1/auth/login', null, { username: options.username, password: options.password });
  if (login.status !== 200) throw new Error(`login as ${options.username} failed (${login.status})`);
  const adminToken = login.body.token;

  const formReply = await call<unknown>(baseUrl, 'GET', `/api/v1/forms/${formId}/${formVersion}`, adminToken);
  if (formReply.status !== 200) throw new Error(`questionnaire ${formId} version ${formVersion} is not served (${formReply.status})`);
  const form: CompiledForm = compileForm(formReply.body, `${formId}/${formVersion}`);

  const created = await call<{ error?: { message: string } }>(baseUrl, 'POST', '/api/v1/rounds', adminToken, {
    id: roundId,
    year,
    formId,
    formVersion,
    boundaryEdition: edition,
    fieldworkStart: fieldwork.start,
    fieldworkEnd: fieldwork.end,
    status: 'open',
    ...(options.previousRoundId ? { previousRoundId: options.previousRoundId } : {}),
  });
  if (created.status === 409) log(`round ${roundId} exists already: adding to it (responses already sent come back as duplicates)`);
  else if (created.status !== 201) throw new Error(`could not create round ${roundId}: ${created.body.error?.message ?? created.status}`);
  else log(`created round ${roundId} (${formId}@${formVersion}, ${edition} units)`);

  const random = createRandom(seed);
  const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces')).provinces(edition);
  const codes = provinces.map((p) => p.code);
  // Provincial targets spread like published SIPAS values, about 75–96%.
  const targets = Object.fromEntries(codes.map((code) => [code, Math.round((0.75 + 0.21 * random()) * 10000) / 10000]));
  const designWeight = Object.fromEntries(codes.map((code) => [code, 0.5 + Math.floor(random() * 6) / 2]));
  const perProvince = allocate(codes, total, random);
  const offices = await call(baseUrl, 'PUT', '/api/v1/post-offices', adminToken, { postOffices: demoPostOffices(provinces) });
  if (offices.status !== 200) throw new Error(`could not add the demo post offices (${offices.status})`);

  // Enumerators per province as the post office assigns them (one per 400 interviews, about 40 days
  // of work); each submits their own interviews.
  const work: Array<{ enumerator: string; postOffice: string; items: Array<Record<string, unknown>> }> = [];
  let made = 0;
  for (const code of codes) {
    const count = perProvince.get(code) ?? 0;
    for (let first = 0, k = 1; first < count; first += INTERVIEWS_PER_ENUMERATOR, k += 1) {
      const share = Math.min(INTERVIEWS_PER_ENUMERATOR, count - first);
      const schedule = interviewSchedule(random, Date.parse(`${fieldwork.start}T00:00:00Z`), form.definition.quality.minDurationSeconds, share);
      const items = schedule.map((times) => ({
        id: responseId(roundId, seed, made++),
        roundId,
        formId,
        formVersion,
        provinceCode: code,
        answers: syntheticAnswers(form, random, { satisfied: targets[code] as number }),
        paradata: { ...times, appVersion: 'demo-seed' },
        ...(options.weighted ? { weight: (designWeight[code] as number) * (random() < 0.5 ? 1 : 1.5) } : {}),
      }));
      work.push({ enumerator: `demo-enumerator-${code}-${k}`, postOffice: demoPostOfficeOf(code, k), items });
    }
  }

  // Enumerators sync at the same time, as they do in the field: a few at once.
  let accepted = 0;
  let duplicates = 0;
  let sent = 0;
  const submitWork = async ({ enumerator, postOffice, items }: (typeof work)[number]): Promise<void> => {
    let token = await enumeratorToken(baseUrl, adminToken, enumerator, String(items[0]?.provinceCode), postOffice);
    type Reply = { results: Array<{ status: string; errors?: Array<{ path: string; message: string }> }> };
    for (let start = 0; start < items.length; start += batchSize) {
      const batch = items.slice(start, start + batchSize);
      // A session not yet readable where the request lands (a loaded or replicated database) is a 401, and the
      // refused upload a reset connection: log in again and resend, which is safe (the same ids come back as duplicates).
      let reply: { status: number; body: Reply } | undefined;
      for (let attempt = 1; !reply || (reply.status === 401 && attempt <= 3); attempt += 1) {
        if (reply) token = await enumeratorToken(baseUrl, adminToken, enumerator, String(items[0]?.provinceCode), postOffice);
        reply = await call<Reply>(baseUrl, 'POST', '/api/v1/responses', token, { responses: batch }).catch((error: unknown) => {
          if (attempt >= 3) throw error;
          return { status: 401, body: { results: [] } };
        });
      }
      if (reply?.status !== 200) throw new Error(`a batch of ${enumerator} was refused (${String(reply?.status)})`);
      for (const result of reply.body.results) {
        if (result.status === 'accepted') accepted += 1;
        else if (result.status === 'duplicate') duplicates += 1;
        else throw new Error(`a demo response was ${result.status}: ${(result.errors ?? []).map((e) => `${e.path} ${e.message}`).join('; ')}`);
      }
      sent += batch.length;
    }
    log(`sent ${sent} of ${made}`);
  };
  const queue = [...work];
  await Promise.all(
    Array.from({ length: CONCURRENT_ENUMERATORS }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await submitWork(next);
    }),
  );

  // Quota targets per province × serving level × service field, around what was collected: some
  // cells reached, others behind, as the supervisor dashboard shows mid-fieldwork.
  const { servingLevel, serviceField } = form.definition.dimensions;
  const collected = new Map<string, { provinceCode: string; servingLevel: unknown; serviceField: unknown; count: number }>();
  for (const item of work.flatMap((w) => w.items)) {
    const answers = item.answers as Record<string, unknown>;
    if (answers[servingLevel] === undefined || answers[serviceField] === undefined) continue;
    const key = JSON.stringify([item.provinceCode, answers[servingLevel], answers[serviceField]]);
    const cell = collected.get(key) ?? { provinceCode: String(item.provinceCode), servingLevel: answers[servingLevel], serviceField: answers[serviceField], count: 0 };
    cell.count += 1;
    collected.set(key, cell);
  }
  const quotaTargets = [...collected.values()].map(({ count, ...cell }) => ({ ...cell, target: Math.max(1, Math.round(count * (0.9 + 0.4 * random()))) }));
  const quotas = await call<{ imported: number }>(baseUrl, 'POST', `/api/v1/rounds/${roundId}/quotas`, adminToken, { targets: quotaTargets });
  if (quotas.status !== 200) throw new Error(`could not set quota targets (${quotas.status})`);
  log(`set ${quotaTargets.length} quota targets`);

  let jobId: string | null = null;
  if (options.recompute !== false) {
    // Only checked responses count: let the quality checks finish, so the recompute reads them all.
    for (const deadline = Date.now() + 300_000; ; ) {
      const table = await call<{ review: { unchecked: number } }>(baseUrl, 'GET', `/api/v1/rounds/${roundId}/aggregates?fields=group`, adminToken);
      if (table.status !== 200) throw new Error(`could not read the round's aggregates (${table.status})`);
      if (table.body.review.unchecked === 0) break;
      if (Date.now() > deadline) throw new Error('the quality checks did not finish within 5 minutes; is the worker running?');
      log(`waiting for the quality checks: ${table.body.review.unchecked} responses left`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const queued = await call<{ jobId: string }>(baseUrl, 'POST', `/api/v1/rounds/${roundId}/recompute`, adminToken);
    if (queued.status !== 202) throw new Error(`could not ask for a recompute (${queued.status})`);
    jobId = queued.body.jobId;
    for (const deadline = Date.now() + 300_000; ; ) {
      const job = await call<{ state: string; progress: { cellsDone?: number; cellsTotal?: number } | null; failedReason: string | null }>(
        baseUrl,
        'GET',
        `/api/v1/jobs/${jobId}`,
        adminToken,
      );
      if (job.body.state === 'completed') break;
      if (job.body.state === 'failed') throw new Error(`the recompute failed: ${job.body.failedReason ?? 'no reason given'}`);
      if (Date.now() > deadline) throw new Error('the recompute did not finish within 5 minutes; is the worker running?');
      log(`recomputing: ${job.body.progress?.cellsDone ?? 0} of ${job.body.progress?.cellsTotal ?? '?'} cells`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    log('figures recomputed');
  }
  return { roundId, formId, formVersion, edition, sent, accepted, duplicates, targets, jobId };
}

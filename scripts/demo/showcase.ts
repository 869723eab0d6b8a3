/**
 * The demo that shows every role (`npm run demo:seed` without options): one account per role, last
 * year's round for changes, this year's round with fieldwork around today (so pace and forecast mean
 * something), a sample list assigned to the demo enumerator, and responses the quality checks flag
 * so the review queue has work. Each step is one function in STEPS: add yours there.
 */
import { compileForm, type CompiledForm } from '../../survey-forms/form';
import { createRandom, syntheticAnswers } from '../../survey-forms/synthetic-answers';
import { call, responseId, seedDemoRound } from '../demo-seed';

export interface ShowcaseOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** @defaultValue today */
  today?: Date;
  log?: (line: string) => void;
}

interface Context extends ShowcaseOptions {
  admin: string;
  year: number;
  roundId: string;
  accounts: Array<{ role: string; username: string; password: string; provinces: string[] }>;
  log: (line: string) => void;
}

const DAY = 86_400_000;
const iso = (at: number) => new Date(at).toISOString().slice(0, 10);
/** The demo accounts, one per role (the administrator is the one logging in). Passwords are `sipas-<role>-demo` (a password may not contain its username). */
const PEOPLE = [
  { role: 'supervisor', username: 'demo-supervisor', displayName: 'Giám sát viên demo (Hà Nội, TP HCM)', provinces: ['01', '79'] },
  { role: 'analyst', username: 'demo-analyst', displayName: 'Phân tích viên demo (Bộ Nội vụ)', provinces: [] as string[] },
  { role: 'enumerator', username: 'demo-enumerator', displayName: 'Điều tra viên demo (Bưu điện Hà Nội)', provinces: ['01'] },
];

async function accounts(ctx: Context): Promise<void> {
  for (const person of PEOPLE) {
    const password = `sipas-${person.role}-demo`;
    const created = await call(ctx.baseUrl, 'POST', '/api/v1/users', ctx.admin, { ...person, password });
    if (created.status !== 201 && created.status !== 409) throw new Error(`could not create ${person.username} (${created.status})`);
    ctx.accounts.push({ role: person.role, username: person.username, password, provinces: person.provinces });
  }
  ctx.log(`accounts: ${PEOPLE.map((p) => p.username).join(', ')}`);
}

async function rounds(ctx: Context): Promise<void> {
  const today = (ctx.today ?? new Date()).getTime();
  const seed = { baseUrl: ctx.baseUrl, username: ctx.username, password: ctx.password, edition: 34 as const, log: ctx.log };
  const previous = await seedDemoRound({ ...seed, year: ctx.year - 1, responses: 1200 });
  // Fieldwork began 40 days ago and ends in 50: the interviews so far lie in the past weeks.
  await seedDemoRound({ ...seed, year: ctx.year, roundId: ctx.roundId, responses: 900, previousRoundId: previous.roundId, fieldwork: { start: iso(today - 40 * DAY), end: iso(today + 50 * DAY) } });
}

async function formOf(ctx: Context): Promise<CompiledForm> {
  const round = await call<{ formId: string; formVersion: string }>(ctx.baseUrl, 'GET', `/api/v1/rounds/${ctx.roundId}`, ctx.admin);
  const reply = await call<unknown>(ctx.baseUrl, 'GET', `/api/v1/forms/${round.body.formId}/${round.body.formVersion}`, ctx.admin);
  return compileForm(reply.body, `${round.body.formId}/${round.body.formVersion}`);
}

async function sampleAndAssignments(ctx: Context): Promise<void> {
  const form = await formOf(ctx);
  const codes = (dimension: 'servingLevel' | 'serviceField' | 'respondentType') => form.itemById.get(form.definition.dimensions[dimension])?.codes ?? [];
  const [levels, fields, types] = [codes('servingLevel'), codes('serviceField'), codes('respondentType')];
  const names = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thu Dung', 'Hoàng Minh Đức', 'Vũ Thị Hà', 'Đặng Quốc Hùng', 'Bùi Thị Lan', 'Đỗ Văn Long', 'Ngô Thị Mai', 'Dương Văn Nam', 'Lý Thị Oanh'];
  const units = names.map((name, i) => ({
    unitId: `DEMO-HN-${String(i + 1).padStart(3, '0')}`,
    provinceCode: '01',
    servingLevel: levels[i % levels.length],
    serviceField: fields[i % fields.length],
    respondentType: types[0],
    name,
    phone: `0912 555 ${String(100 + i)}`,
    address: `${i + 3} Phố Huế, Hai Bà Trưng, Hà Nội`,
  }));
  const imported = await call<{ imported: number }>(ctx.baseUrl, 'POST', `/api/v1/rounds/${ctx.roundId}/sample?skipInvalid=true`, ctx.admin, { units });
  if (imported.status !== 200) throw new Error(`could not import the demo sample (${imported.status})`);
  const spread = await call(ctx.baseUrl, 'POST', `/api/v1/rounds/${ctx.roundId}/assignments/spread`, ctx.admin, { enumerators: ['demo-enumerator'], filter: { province: '01', unassigned: true } });
  if (spread.status !== 200 && spread.status !== 400) throw new Error(`could not assign the demo sample (${spread.status})`);
  ctx.log(`sample: ${units.length} units in Hà Nội, assigned to demo-enumerator`);
}

async function flaggedResponses(ctx: Context): Promise<void> {
  const form = await formOf(ctx);
  const enumerator = ctx.accounts.find((a) => a.username === 'demo-enumerator');
  if (!enumerator) throw new Error('the demo enumerator was not created');
  const login = await call<{ token: string }>(ctx.baseUrl, 'POST', '/api/v1/auth/login', null, { username: enumerator.username, password: enumerator.password });
  if (login.status !== 200) throw new Error('could not log in as demo-enumerator: it exists with another password');
  const token = login.body.token;
  const random = createRandom(7);
  const now = (ctx.today ?? new Date()).getTime();
  // Interviews of a minute each, a day apart: the too-fast rule flags every one.
  const responses = Array.from({ length: 6 }, (_, i) => ({
    id: responseId(ctx.roundId, -1, i),
    roundId: ctx.roundId,
    formId: form.definition.formId,
    formVersion: form.definition.version,
    provinceCode: '01',
    answers: syntheticAnswers(form, random, { satisfied: 0.8 }),
    paradata: { startedAt: new Date(now - (i + 1) * DAY).toISOString(), endedAt: new Date(now - (i + 1) * DAY + 60_000).toISOString(), appVersion: 'demo-seed' },
  }));
  const reply = await call(ctx.baseUrl, 'POST', '/api/v1/responses', token, { responses });
  if (reply.status !== 200) throw new Error(`could not send the flagged demo responses (${reply.status})`);
  ctx.log('review queue: 6 responses the quality checks will flag (too fast)');
}

/** The steps, in order. Each is safe to run twice. */
const STEPS: ReadonlyArray<(ctx: Context) => Promise<void>> = [accounts, rounds, sampleAndAssignments, flaggedResponses];

export async function seedShowcase(options: ShowcaseOptions): Promise<Context['accounts']> {
  const login = await call<{ token: string }>(options.baseUrl, 'POST', '/api/v1/auth/login', null, { username: options.username, password: options.password });
  if (login.status !== 200) throw new Error(`login as ${options.username} failed (${login.status})`);
  const year = (options.today ?? new Date()).getUTCFullYear();
  const ctx: Context = { ...options, admin: login.body.token, year, roundId: `demo-${year}`, accounts: [], log: options.log ?? (() => undefined) };
  for (const step of STEPS) await step(ctx);
  return [{ role: 'admin', username: options.username, password: options.password, provinces: [] }, ...ctx.accounts];
}

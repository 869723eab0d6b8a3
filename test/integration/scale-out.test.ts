/**
 * Scale-out: two API processes and two worker processes — real child processes started as
 * production starts them (server/main.ts, workers/main.ts, under tsx) — on one MongoDB and one
 * Redis. Batches are submitted concurrently through both APIs (some re-sent through the other one),
 * and once the workers are done the figures equal a recount from the stored responses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadFormCatalogue, loadIndexDefinitionCatalogue } from '../../survey-forms/catalogue';
import { indexDefinitionsDir, surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { createTallier, type TalliedResponse } from '../../survey-forms/tally';
import { figuresOf } from '../../server/modules/aggregates/aggregation.service';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { freePort } from '../support/services';
import { describeWithMongo } from '../support/system';

const ROOT = path.resolve(__dirname, '../..');
const ADMIN = { username: 'admin', password: 'scale-out-password' };

interface Child {
  name: string;
  process: ChildProcess;
  output: string[];
}

function startChild(name: string, entry: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, process: child, output };
}

async function waitReady(base: string, child: Child, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited (${child.process.exitCode}): ${child.output.join('')}`);
    const ready = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${child.name} not ready within ${timeoutMs} ms: ${child.output.join('')}`);
}

describeWithMongo('scale-out: two API and two worker processes on one MongoDB and one Redis', () => {
  const suffix = randomUUID().slice(0, 8);
  const env = {
    MONGODB_URI: process.env.SIPAS_TEST_MONGODB_URI ?? '',
    MONGODB_DB: `sipas_test_scale_${suffix}`,
    REDIS_URL: process.env.SIPAS_TEST_REDIS_URL ?? '',
    QUEUE_PREFIX: `test-scale-${suffix}`,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    SWEEP_INTERVAL_SECONDS: '3600',
    HOST: '127.0.0.1',
  };
  const children: Child[] = [];
  const bases: string[] = [];

  beforeAll(async () => {
    const ports = [await freePort(), await freePort()];
    const apis = ports.map((port, i) => startChild(`api-${i + 1}`, 'server/main.ts', { ...env, PORT: String(port) }));
    const workers = [1, 2].map((i) => startChild(`worker-${i}`, 'workers/main.ts', env));
    children.push(...apis, ...workers);
    bases.push(...ports.map((port) => `http://127.0.0.1:${port}`));
    await Promise.all(apis.map((api, i) => waitReady(bases[i] as string, api)));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.process.exitCode !== null) return resolve();
            child.process.once('exit', () => resolve());
            child.process.kill('SIGTERM');
          }),
      ),
    );
    const connection = await mongoose.createConnection(env.MONGODB_URI, { dbName: env.MONGODB_DB }).asPromise();
    await connection.db?.dropDatabase();
    await connection.close();
  }, 60_000);

  test('when batches arrive concurrently through both APIs, then every response is stored once and the figures equal a recount of the stored responses', async () => {
    const call = async (base: string, method: string, url: string, token: string | null, body?: unknown) => {
      const res = await fetch(base + url, {
        method,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
    };
    const [one, two] = bases as [string, string];
    const token = (await call(one, 'POST', '/api/v1/auth/login', null, ADMIN)).body.token as string;
    const round = makeRound();
    const roundId = String(round.id);
    expect((await call(two, 'POST', '/api/v1/rounds', token, round)).status).toBe(201);

    // 12 batches of 40 over six provinces; every fifth response straight-lined (flagged, left out of the figures).
    const provinces = ['01', '79', '31', '48', '92', '42'];
    const batches = Array.from({ length: 12 }, (_, b) =>
      Array.from({ length: 40 }, (_, k) =>
        makeResponse(roundId, provinces[(b + k) % provinces.length] as string, (b * 40 + k) % 5 === 0 ? makeAnswers(5, {}, { straightLine: true }) : makeAnswers(1 + ((b + k) % 5))),
      ),
    );
    // Each batch through one API, and three of them re-sent at the same time through the other one.
    const sends = [
      ...batches.map((responses, b) => call(b % 2 ? two : one, 'POST', '/api/v1/responses', token, { responses })),
      ...[0, 5, 10].map((b) => call(b % 2 ? one : two, 'POST', '/api/v1/responses', token, { responses: batches[b] })),
    ];
    const replies = await Promise.all(sends);
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      for (const result of reply.body.results as Array<{ status: string }>) expect(['accepted', 'duplicate']).toContain(result.status);
    }

    const connection = await mongoose.createConnection(env.MONGODB_URI, { dbName: env.MONGODB_DB }).asPromise();
    try {
      const responses = connection.collection('responses');
      expect(await responses.countDocuments({ roundId })).toBe(480);

      // The workers are done when nothing is unchecked and the figures count every counted response.
      const counted = { roundId, reviewStatus: { $in: ['clear', 'approved'] } };
      const deadline = Date.now() + 90_000;
      let aggregates: Record<string, unknown> = {};
      for (;;) {
        aggregates = (await call(two, 'GET', `/api/v1/rounds/${roundId}/aggregates?by=province`, token)).body;
        const review = aggregates.review as { unchecked: number };
        if (review.unchecked === 0 && aggregates.responses === (await responses.countDocuments(counted))) break;
        if (Date.now() > deadline) throw new Error(`figures not settled: ${JSON.stringify({ responses: aggregates.responses, review })}`);
        await new Promise((r) => setTimeout(r, 250));
      }

      // The recount: tally the stored counted responses here, with the round's own method, and compute the figures.
      const forms = loadFormCatalogue(surveyFormsDir());
      const definitions = loadIndexDefinitionCatalogue(indexDefinitionsDir(), forms);
      const provinceReference = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
      const stored = await connection.collection('rounds').findOne({ _id: roundId as never });
      const form = forms.get(String(round.formId), String(round.formVersion))!;
      const definition = definitions.get(String(stored?.indexDefinitionId), String(stored?.indexDefinitionVersion))!;
      const tallies = await Promise.all(
        provinces.map(async (provinceCode) => {
          const tallier = createTallier(form, definition);
          const docs = await responses.find({ ...counted, provinceCode }).sort({ _id: 1 }).toArray();
          for (const doc of docs) tallier.add(doc as unknown as TalliedResponse);
          return tallier.cells();
        }),
      );
      const recounted = figuresOf({ provinces: provinceReference }, { round: { ...round, ...stored, id: roundId } as never, form, definition }, tallies.flat());
      const expectedRows = recounted.editions.find((e) => e.edition === 63)?.indicators.overall?.estimates.index.groupings.province.filter((r) => r.n > 0);
      const rows = (aggregates.rows as Array<{ group: string; n: number; value: number | null }>).filter((r) => r.n > 0);
      expect(rows.map((r) => [r.group, r.n, r.value])).toEqual(expectedRows?.map((r) => [r.group, r.n, r.value]));

      // The review counts the read shows equal a count of the stored states.
      const flagged = await responses.countDocuments({ roundId, reviewStatus: 'flagged' });
      expect(flagged).toBeGreaterThan(0);
      expect(aggregates.review).toMatchObject({ awaitingReview: flagged, unchecked: 0, rejected: 0 });
    } finally {
      await connection.close();
    }
  }, 180_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import mongoose from 'mongoose';
import request from 'supertest';
import { projectRoot } from '../../survey-forms/paths';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { ADMIN, describeWithMongo } from '../support/system';

interface RunningApi {
  child: ChildProcess;
  port: number;
  logs: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  db: string;
}

/** Starts `server/main.ts` as its own process, as in production, and waits for it to listen. */
async function spawnApi(env: Record<string, string>): Promise<RunningApi> {
  const suffix = randomUUID().slice(0, 8);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'main.ts')], {
    cwd: projectRoot(),
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: String(process.env.SIPAS_TEST_MONGODB_URI),
      MONGODB_DB: `sipas_test_${suffix}`,
      REDIS_URL: String(process.env.SIPAS_TEST_REDIS_URL),
      QUEUE_PREFIX: `test-${suffix}`,
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'API listening') resolve(Number(entry.port));
        } catch {
          // not a log line
        }
      }
    });
    void exited.then((code) => reject(new Error(`the API exited with ${code} before listening`)));
  });
  return { child, port, logs, exited, db: `sipas_test_${suffix}` };
}

interface Started {
  reply: Promise<{ status: number; connection: string | undefined; body: string }>;
  finish(): void;
}

/** A POST whose headers and first half of body are sent now, and the rest on `finish()`: a request in flight. */
function startSlowPost(port: number, agent: http.Agent, urlPath: string, token: string, body: string): Promise<Started> {
  return new Promise((resolveStarted) => {
    const bytes = Buffer.from(body);
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: urlPath,
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': bytes.length, authorization: `Bearer ${token}` },
    });
    const reply = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }));
      });
      req.on('error', reject);
    });
    req.flushHeaders();
    req.write(bytes.subarray(0, bytes.length >> 1), () => resolveStarted({ reply, finish: () => req.end(bytes.subarray(bytes.length >> 1)) }));
  });
}

describeWithMongo('on SIGTERM the API stops taking connections and answers every request it started', () => {
  test('when SIGTERM comes with batches in flight on kept-alive connections, then each gets its full reply with Connection: close, new connections are refused, and a request that never ends is cut at the drain time', async () => {
    const api = await spawnApi({ SHUTDOWN_DRAIN_SECONDS: '4' });
    const base = `http://127.0.0.1:${api.port}`;
    try {
      const login = await request(base).post('/api/v1/auth/login').send(ADMIN).expect(200);
      const token = (login.body as { token: string }).token;
      const round = makeRound();
      await request(base).post('/api/v1/rounds').set('Authorization', `Bearer ${token}`).send(round).expect(201);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
      const batches = Array.from({ length: 6 }, () => ({ responses: Array.from({ length: 20 }, () => makeResponse(String(round.id), '01', makeAnswers(4))) }));
      const inFlight = await Promise.all(batches.map((batch) => startSlowPost(api.port, agent, '/api/v1/responses', token, JSON.stringify(batch))));
      const neverEnding = await startSlowPost(api.port, agent, '/api/v1/responses', token, JSON.stringify(batches[0]));
      // Headers and half bodies are on the server before it is told to stop.
      await new Promise((r) => setTimeout(r, 300));
      const signalled = Date.now();
      api.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));

      const refused = await new Promise<string>((resolve) => {
        const probe = http.get({ host: '127.0.0.1', port: api.port, path: '/healthz', agent: false }, () => resolve('answered'));
        probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');

      for (const started of inFlight) started.finish();
      const replies = await Promise.all(inFlight.map((s) => s.reply));
      for (const reply of replies) {
        expect(reply.status).toBe(200);
        expect(reply.connection).toBe('close');
        const results = (JSON.parse(reply.body) as { results: Array<{ status: string }> }).results;
        expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 'accepted'));
      }

      await expect(neverEnding.reply).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(await api.exited).toBe(0);
      const stoppedAfter = Date.now() - signalled;
      expect(stoppedAfter).toBeGreaterThanOrEqual(4000);
      expect(api.logs).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'requests still running at the end of the drain time were cut', cut: 1 })]));
      expect(api.logs.map((l) => l.msg)).toContain('API stopped');
      agent.destroy();
    } finally {
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
      const connection = await mongoose.createConnection(String(process.env.SIPAS_TEST_MONGODB_URI), { dbName: api.db }).asPromise();
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  });
});

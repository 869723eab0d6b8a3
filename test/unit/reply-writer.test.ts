import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable, Writable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import express from 'express';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import { createAuthenticate } from '../../server/http/auth';
import { HttpProblem } from '../../server/http/problem';
import { bytesReply, CACHE, csvReply, jsonReply, streamReply } from '../../server/http/reply';
import { defineRoute, mountRoutes, writeError, type RouteSpec } from '../../server/http/route';

/** A stream that sends its first chunk, then fails: a stored file that breaks part way. */
function failingAfterFirstChunk(): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) return void setTimeout(() => this.destroy(new Error('the file store went away')), 20);
      sent = true;
      this.push('first part;');
    },
  });
}

describe('the reply writer (server/http/route.ts)', () => {
  const logLines: Array<{ msg?: string; err?: { message?: string } }> = [];
  const logSink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as (typeof logLines)[number]);
      done();
    },
  });
  let endless: PassThrough | undefined;
  const routes: RouteSpec[] = [
    ['/value', () => ({ hello: 'xin chào' })],
    ['/nothing', () => undefined],
    ['/created', () => jsonReply({ id: 'r-1' }, { status: 201, cacheControl: CACHE.noStore, headers: { 'X-Round': 'r-1' } })],
    ['/table.csv', () => csvReply('a,b\r\n1,2\r\n', { fileName: 'bảng.csv' })],
    ['/table.xlsx', () => bytesReply(Buffer.from('PK fake'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', { fileName: 'table.xlsx' })],
    ['/file', () => streamReply(Readable.from(['one,', 'two']), 'text/csv; charset=utf-8', { fileName: 'file.csv', length: 7 })],
    ['/broken-at-once', () => streamReply(new Readable({ read() { this.destroy(new Error('no such file')); } }), 'text/csv', { fileName: 'gone.csv' })],
    ['/refused', () => { throw new HttpProblem('export_not_ready', 'Export e-1 is running; its file is not ready.'); }],
    ['/broken-part-way', () => streamReply(failingAfterFirstChunk(), 'text/plain', { fileName: 'part.txt', length: 1000 })],
    [
      '/endless',
      () => {
        endless = new PassThrough();
        endless.write('tick;');
        return streamReply(endless, 'text/plain');
      },
    ],
  ].map(([path, handler]) =>
    defineRoute({ method: 'get', path: path as string, tag: 'test', summary: 'test', access: 'public', query: Type.Object({}), responses: {}, handler: handler as () => unknown }),
  );
  const nobodyLogsIn = createAuthenticate(() => {
    throw new Error('public routes never authenticate');
  });
  const app = express();
  app.use(pinoHttp({ logger: pino({ level: 'info' }, logSink) }));
  const router = express.Router();
  mountRoutes(router, routes, nobodyLogsIn);
  app.use(router);
  app.use(writeError);

  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('when a handler returns a value, then it is JSON with status 200; undefined is a 204', async () => {
    const res = await request(server).get('/value').expect(200).expect('Content-Type', 'application/json; charset=utf-8');
    expect(res.body).toEqual({ hello: 'xin chào' });
    await request(server).get('/nothing').expect(204);
  });

  test('when a handler returns a JSON reply, then its status, Cache-Control and headers are sent', async () => {
    const res = await request(server).get('/created').expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-round']).toBe('r-1');
    expect(res.body).toEqual({ id: 'r-1' });
  });

  test('when a handler returns a CSV, then it is an attachment in UTF-8 with one byte-order mark', async () => {
    const res = await request(server).get('/table.csv').buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="b?ng.csv"; filename*=UTF-8''b%E1%BA%A3ng.csv`);
    expect((res.body as Buffer).toString('utf8')).toBe('\uFEFFa,b\r\n1,2\r\n');
  });

  test('when a handler returns bytes, then they are sent as they are with the given type', async () => {
    const res = await request(server).get('/table.xlsx').expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe('attachment; filename=table.xlsx');
    expect(res.headers['content-length']).toBe('7');
  });

  test('when a handler returns a stream, then it is piped whole with its length and file name', async () => {
    const res = await request(server).get('/file').expect(200);
    expect(res.headers['content-length']).toBe('7');
    expect(res.headers['content-disposition']).toBe('attachment; filename=file.csv');
    expect(res.text).toBe('one,two');
  });

  test('when a stream fails before its first byte, then the client gets the catalogue 500 without the file headers', async () => {
    const res = await request(server).get('/broken-at-once').expect(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' } });
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  test('when a handler throws a catalogued problem, then its code and status go out', async () => {
    const res = await request(server).get('/refused').expect(409);
    expect(res.body).toEqual({ error: { code: 'export_not_ready', message: 'Export e-1 is running; its file is not ready.' } });
  });

  test('when a stream fails part way, then the response is cut off (no 500 body after the headers) and the failure is logged', async () => {
    const outcome = await new Promise<{ status: number | undefined; body: string; ended: 'complete' | 'cut off' }>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/broken-part-way' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body, ended: res.complete ? 'complete' : 'cut off' }));
        res.on('error', () => resolve({ status: res.statusCode, body, ended: 'cut off' }));
      });
    });
    expect(outcome).toEqual({ status: 200, body: 'first part;', ended: 'cut off' });
    await waitFor(() => logLines.some((l) => l.err?.message === 'the file store went away'));
    expect(logLines.find((l) => l.err?.message === 'the file store went away')?.msg).toBe('a reply failed after its headers were sent; it was cut off');
  });

  test('when the client goes away during a download, then the stream is destroyed', async () => {
    await new Promise<void>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/endless' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
    });
    await waitFor(() => endless?.destroyed === true);
    expect(endless?.destroyed).toBe(true);
  });
});

async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}

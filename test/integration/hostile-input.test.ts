import { brotliCompressSync, gzipSync } from 'node:zlib';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { collection } from '../support/database';
import { ADMIN, describeWithMongo, startTestSystem, type TestSystem } from '../support/system';

interface Problem {
  path: string;
  code: string;
  message: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: Problem[] };
}
interface Result {
  id: string;
  status: string;
  errors?: Problem[];
}

/** `{"a":{"a":…}}` nested `depth` levels, as text: built without recursion, sent as it is. */
const nestedText = (depth: number, leaf = '1'): string => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
const nestedArrayText = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describeWithMongo('hostile and malformed input: always a 4xx that says what is wrong, never a 5xx', () => {
  let system: TestSystem;
  let admin: string;
  let enumerator: { username: string; token: string };
  let roundId: string;

  beforeAll(async () => {
    system = await startTestSystem({ worker: false });
    admin = await system.login(ADMIN.username, ADMIN.password);
    enumerator = await system.createUser('enumerator', ['01']);
    const round = makeRound();
    roundId = String(round.id);
    await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
    const sample = 'unit_id,province_code,serving_level,service_field,respondent_type,name,phone\nHN-1,01,2,1,1,Nguyễn Văn An,0912000001\n';
    await system.http().post(`/api/v1/rounds/${roundId}/sample`).set('Authorization', `Bearer ${admin}`).send({ csv: sample }).expect(200);
    await system.http().post(`/api/v1/rounds/${roundId}/assignments`).set('Authorization', `Bearer ${admin}`).send({ enumerator: enumerator.username, unitIds: ['HN-1'] }).expect(200);
  });
  afterAll(() => system?.stop());

  const submitText = (text: string, token = enumerator.token) =>
    system.http().post('/api/v1/responses').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(text);
  /** Sends bytes as they are: superagent would serialise a Buffer declared as JSON into JSON. */
  const asIs = (bytes: unknown) => bytes as string;
  const submitEncoded = (encoding: string, bytes: Buffer) =>
    system
      .http()
      .post('/api/v1/responses')
      .set('Authorization', `Bearer ${enumerator.token}`)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', encoding)
      .serialize(asIs)
      .send(bytes);
  const stored = (ids: unknown[]) => collection(system, 'responses').countDocuments({ _id: { $in: ids.map(String) } });

  describe('path parameters that are not valid percent-encoding', () => {
    test.each([
      ['/api/v1/rounds/%zz', 'roundId'],
      ['/api/v1/rounds/%c0%ae%c0%ae/responses/0b7e8f7c-3f7e-4c57-9d5e-8a0b0c6d1e2f', 'roundId'],
      ['/api/v1/exports/%FF%FE', 'exportId'],
      ['/api/v1/rounds/%E0%A4%A/aggregates', 'roundId'],
      ['/api/v1/forms/sipas-2017/%zz', 'version'],
      ['/api/v1/ROUNDS/%zz/', 'roundId'],
    ])('when %s is asked for, then 400 names the parameter %s', async (path, name) => {
      const res = await system.http().get(path).set('Authorization', `Bearer ${admin}`).expect(400);
      expect((res.body as ErrorBody).error).toMatchObject({ code: 'validation_failed', details: [{ path: `/params/${name}`, code: 'wrong_format', message: 'is not valid percent-encoded UTF-8' }] });
    });

    test('when a bad encoding is in a path no endpoint has, or in a web app file, then 404, not 500', async () => {
      for (const path of ['/api/v1/%zz/nothing', '/app/%zz', '/supervisor/%FF%FE.js']) {
        const res = await system.http().get(path);
        expect({ path, status: res.status, code: (res.body as ErrorBody).error?.code }).toEqual({ path, status: 404, code: 'not_found' });
      }
    });
  });

  describe('bodies that do not match their Content-Encoding', () => {
    const garbage = Buffer.from('this is not compressed at all, just bytes ¯\\_(ツ)_/¯');
    test.each([
      ['gzip', 'POST', '/api/v1/responses'],
      ['br', 'POST', '/api/v1/responses'],
      ['deflate', 'POST', '/api/v1/responses'],
      ['gzip', 'POST', '/api/v1/auth/login'],
      ['br', 'PUT', `/api/v1/rounds/ROUND/quotas/cell`],
      ['gzip', 'GET', '/api/v1/rounds'],
      ['gzip', 'GET', '/healthz'],
    ])('when a body marked %s but not compressed so is sent to %s %s, then 400 unreadable_body', async (encoding, method, path) => {
      const verb = method === 'GET' ? 'get' : method === 'PUT' ? 'put' : 'post';
      const res = await system.http()[verb](path.replace('ROUND', roundId))
        .set('Authorization', `Bearer ${admin}`)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .serialize(asIs)
        .send(garbage);
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).error.code).toBe('unreadable_body');
    });

    test('when a body is gzip or brotli done right, then it is read; an unknown encoding is 415; a body that inflates past the limit is 413', async () => {
      const item = makeResponse(roundId, '01', makeAnswers(4));
      const json = JSON.stringify({ responses: [item] });
      const gzipped = await submitEncoded('gzip', gzipSync(json)).expect(200);
      expect((gzipped.body as { results: Result[] }).results).toEqual([{ id: item.id, status: 'accepted' }]);
      const brotli = await submitEncoded('br', brotliCompressSync(json)).expect(200);
      expect((brotli.body as { results: Result[] }).results).toEqual([{ id: item.id, status: 'duplicate' }]);
      const unknown = await submitEncoded('x-compress-9', Buffer.from(json)).expect(415);
      expect((unknown.body as ErrorBody).error.code).toBe('unsupported_media_type');
      const bomb = gzipSync(Buffer.concat([Buffer.from('{"responses":["'), Buffer.alloc(20 * 1024 * 1024, 0x61), Buffer.from('"]}')]));
      const big = await submitEncoded('gzip', bomb).expect(413);
      expect((big.body as ErrorBody).error.code).toBe('payload_too_large');
    });
  });

  describe('free-form JSON nested very deep or very large', () => {
    test('when one item of a batch has answers nested 4,000 deep, then that item is invalid with the path and the valid one beside it is stored', async () => {
      const good = makeResponse(roundId, '01', makeAnswers(4));
      const deep = makeResponse(roundId, '01', makeAnswers(4));
      const text = JSON.stringify({ responses: [deep, good] }).replace('"c01_s":4', `"c01_s":${nestedText(4000)}`);
      const res = await submitText(text).expect(200);
      const [bad, ok] = (res.body as { results: Result[] }).results;
      expect(ok).toEqual({ id: good.id, status: 'accepted' });
      expect(bad).toMatchObject({ id: deep.id, status: 'invalid', errors: [{ code: 'too_deep', message: 'is nested more than 32 levels deep in the response' }] });
      expect(bad?.errors?.[0]?.path).toMatch(/^\/answers\/c01_s(\/a){30}$/);
      expect(await stored([good.id, deep.id])).toBe(1);
      // A device holding that item resends it: the same answer, never a 500.
      const again = await submitText(text).expect(200);
      expect((again.body as { results: Result[] }).results.map((r) => r.status)).toEqual(['invalid', 'duplicate']);
    });

    test('when paradata is nested 10,000 deep, or an item is larger than 256 KiB, then those items are invalid and the rest stored', async () => {
      const deepParadata = makeResponse(roundId, '01', makeAnswers(4));
      const huge = makeResponse(roundId, '01', makeAnswers(4, { comment: 'x'.repeat(300 * 1024) }));
      const good = makeResponse(roundId, '01', makeAnswers(4));
      const text = JSON.stringify({ responses: [deepParadata, huge, good] }).replace('"appVersion":"test"', `"appVersion":"test","trace":${nestedArrayText(10_000)}`);
      const results = ((await submitText(text).expect(200)).body as { results: Result[] }).results;
      expect(results.map((r) => [r.status, r.errors?.map((e) => e.code)])).toEqual([
        ['invalid', ['too_deep']],
        ['invalid', ['too_large']],
        ['accepted', undefined],
      ]);
      expect(results[0]?.errors?.[0]?.path).toMatch(/^\/paradata\/trace(\/0)+$/);
      expect(await stored([deepParadata.id, huge.id, good.id])).toBe(1);
    });

    test('when a whole body is nested 10,000 deep, then 400 (too_deep, or the wrong type) on any endpoint, never a stack overflow', async () => {
      const deepObject = nestedText(10_000);
      const asRound = await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).set('Content-Type', 'application/json').send(deepObject).expect(400);
      expect((asRound.body as ErrorBody).error.details).toEqual([{ path: `/body${'/a'.repeat(64)}`, code: 'too_deep', message: 'is nested more than 64 levels deep' }]);
      const sample = await system
        .http()
        .post(`/api/v1/rounds/${roundId}/sample`)
        .set('Authorization', `Bearer ${admin}`)
        .set('Content-Type', 'application/json')
        .send(`{"units":[${nestedText(10_000)}]}`)
        .expect(400);
      expect((sample.body as ErrorBody).error.details?.[0]).toMatchObject({ code: 'too_deep' });
      const batch = await submitText(nestedArrayText(10_000)).expect(400);
      expect((batch.body as ErrorBody).error.details).toEqual([{ path: '/body', code: 'wrong_type', message: 'must be of type object' }]);
      const items = await submitText(`{"responses":${nestedArrayText(10_000)}}`).expect(200);
      expect((items.body as { results: Result[] }).results).toEqual([{ id: null, status: 'invalid', errors: [expect.objectContaining({ code: 'too_deep' })] }]);
    });
  });

  describe('dates JavaScript cannot read, or reads otherwise', () => {
    test('when paradata carries a leap second, an offset without minutes or 30 February, then the item is invalid naming the field, and nothing is stored as 1970', async () => {
      const paradata = (startedAt: string, endedAt: string) => ({ paradata: { startedAt, endedAt, appVersion: 'test' } });
      const leap = makeResponse(roundId, '01', makeAnswers(4), paradata('2024-08-01T23:59:60Z', '2024-08-02T00:20:00Z'));
      const shortOffset = makeResponse(roundId, '01', makeAnswers(4), paradata('2024-08-01T00:00:00Z', '2024-08-01T01:00:00.5+01'));
      const rolledOver = makeResponse(roundId, '01', makeAnswers(4), paradata('2024-02-30T08:00:00Z', '2024-02-30T08:30:00Z'));
      const vietnamTime = makeResponse(roundId, '01', makeAnswers(4), paradata('2024-08-02T09:00:00+07:00', '2024-08-02T09:25:30.250+07:00'));
      const res = await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${enumerator.token}`).send({ responses: [leap, shortOffset, rolledOver, vietnamTime] }).expect(200);
      const results = (res.body as { results: Result[] }).results;
      expect(results.map((r) => [r.status, r.errors?.map((e) => [e.path, e.code])])).toEqual([
        ['invalid', [['/paradata/startedAt', 'wrong_format']]],
        ['invalid', [['/paradata/endedAt', 'wrong_format']]],
        ['invalid', [['/paradata/startedAt', 'wrong_format'], ['/paradata/endedAt', 'wrong_format']]],
        ['accepted', undefined],
      ]);
      expect(results[0]?.errors?.[0]?.message).toContain('seconds 00–59');
      const kept = await collection(system, 'responses').findOne({ _id: String(vietnamTime.id) });
      expect(kept).toMatchObject({ interviewStartedAt: new Date('2024-08-02T02:00:00Z'), interviewEndedAt: new Date('2024-08-02T02:25:30.250Z') });
      expect(await collection(system, 'responses').countDocuments({ interviewStartedAt: { $lt: new Date('2000-01-01') } })).toBe(0);
    });

    test('when a status report is dated with a leap second or an offset without minutes, then 400 names /body/at and the unit is unchanged', async () => {
      for (const at of ['2024-08-01T23:59:60Z', '2024-08-01T01:00:00.5+01', 'yesterday']) {
        const res = await system
          .http()
          .put(`/api/v1/me/assignments/${roundId}/HN-1/status`)
          .set('Authorization', `Bearer ${enumerator.token}`)
          .send({ status: 'refused', at })
          .expect(400);
        expect((res.body as ErrorBody).error.details).toEqual([expect.objectContaining({ path: '/body/at', code: 'wrong_format' })]);
      }
      expect(await collection(system, 'sample_units').findOne({ _id: `${roundId}|HN-1` })).toMatchObject({ status: 'not-started', statusAt: null });
    });
  });
});

import { makeAnswers, makeResponse, makeRound } from '../factories';
import { ADMIN, describeWithMongo, startTestSystem } from '../support/system';

interface Table {
  responses: number;
  review: { unchecked: number };
}

describeWithMongo('aggregates replies kept by the API', () => {
  test('when a read finds nothing changed, then it is the same reply and ETag (304 when asked conditionally); a stored batch changes it at once', async () => {
    const system = await startTestSystem({ worker: false });
    try {
      const admin = await system.login(ADMIN.username, ADMIN.password);
      const analyst = await system.userToken('analyst');
      const round = makeRound();
      const roundId = String(round.id);
      await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
      const submit = async (count: number) => {
        const responses = Array.from({ length: count }, (_, i) => makeResponse(roundId, '01', makeAnswers(i % 2 ? 5 : 2)));
        await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses }).expect(200);
      };
      const url = `/api/v1/rounds/${roundId}/aggregates?by=province`;
      const read = async (): Promise<{ table: Table; etag: string }> => {
        const reply = await system.http().get(url).set('Authorization', `Bearer ${analyst}`).expect(200);
        return { table: reply.body as Table, etag: String(reply.headers.etag) };
      };

      await submit(4);
      const first = await read();
      expect(first.table).toMatchObject({ responses: 0, review: { unchecked: 4 } });
      expect(await read()).toEqual(first);
      await system.http().get(url).set('Authorization', `Bearer ${analyst}`).set('If-None-Match', first.etag).expect(304);
      // Another query is another reply.
      const national = await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=national`).set('Authorization', `Bearer ${analyst}`).expect(200);
      expect(national.headers.etag).not.toBe(first.etag);

      // Stored, not yet checked: the unchecked count shows it at once.
      await submit(3);
      const stored = await read();
      expect(stored.table).toMatchObject({ responses: 0, review: { unchecked: 7 } });
      expect(stored.etag).not.toBe(first.etag);
      await system.http().get(url).set('Authorization', `Bearer ${analyst}`).set('If-None-Match', first.etag).expect(200);
    } finally {
      await system.stop();
    }
  });

  test('when a new batch is checked, then the next read has its figures and a new ETag', async () => {
    const system = await startTestSystem();
    try {
      const admin = await system.login(ADMIN.username, ADMIN.password);
      const analyst = await system.userToken('analyst');
      const round = makeRound();
      const roundId = String(round.id);
      await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
      const url = `/api/v1/rounds/${roundId}/aggregates?by=province`;
      const read = async () => {
        const reply = await system.http().get(url).set('Authorization', `Bearer ${analyst}`).expect(200);
        return { table: reply.body as Table, etag: String(reply.headers.etag) };
      };
      const before = await read();
      expect(before.table).toMatchObject({ responses: 0 });
      expect(await read()).toEqual(before);

      const responses = Array.from({ length: 5 }, (_, i) => makeResponse(roundId, '01', makeAnswers(i % 2 ? 5 : 2)));
      await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses }).expect(200);
      await system.drain();
      const after = await read();
      expect(after.table).toMatchObject({ responses: 5, review: { unchecked: 0 } });
      expect(after.etag).not.toBe(before.etag);
      expect(await read()).toEqual(after);

      const more = Array.from({ length: 2 }, () => makeResponse(roundId, '02', makeAnswers(5)));
      await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses: more }).expect(200);
      await system.drain();
      const later = await read();
      expect(later.table).toMatchObject({ responses: 7, review: { unchecked: 0 } });
      expect(later.etag).not.toBe(after.etag);
    } finally {
      await system.stop();
    }
  });
});

import pino from 'pino';
import { startWorker, type RunningWorker } from '../../workers/main';
import { makeAnswers, makeResponse, makeRound } from '../factories';
import { ADMIN, describeWithMongo, startTestSystem } from '../support/system';

describeWithMongo('worker processes by queue', () => {
  test('when exports run in a process of their own, then it writes files and leaves checks and figures to the other process', async () => {
    const system = await startTestSystem({ worker: false });
    const logger = pino({ level: 'silent' });
    const exporter = await startWorker({ ...system.config, WORKER_QUEUES: 'exports' }, logger);
    let aggregator: RunningWorker | undefined;
    try {
      const admin = await system.login(ADMIN.username, ADMIN.password);
      const analyst = await system.userToken('analyst');
      const round = makeRound();
      const roundId = String(round.id);
      await system.http().post('/api/v1/rounds').set('Authorization', `Bearer ${admin}`).send(round).expect(201);
      const responses = Array.from({ length: 4 }, (_, i) => makeResponse(roundId, '01', makeAnswers(i % 2 ? 5 : 2)));
      await system.http().post('/api/v1/responses').set('Authorization', `Bearer ${admin}`).send({ responses }).expect(200);
      const review = async (): Promise<{ responses: number; review: { unchecked: number } }> =>
        (await system.http().get(`/api/v1/rounds/${roundId}/aggregates?by=province`).set('Authorization', `Bearer ${analyst}`).expect(200)).body as {
          responses: number;
          review: { unchecked: number };
        };

      // The exporter's sweep looks only at exports: stored responses stay unchecked.
      expect(await exporter.sweep()).toBe(0);
      expect(await review()).toMatchObject({ responses: 0, review: { unchecked: 4 } });

      aggregator = await startWorker({ ...system.config, WORKER_QUEUES: 'aggregation,quality' }, logger);
      await system.drain();
      expect(await review()).toMatchObject({ responses: 4, review: { unchecked: 0 } });

      const requested = await system.http().post(`/api/v1/rounds/${roundId}/exports`).set('Authorization', `Bearer ${analyst}`).send({ kind: 'microdata', format: 'xlsx' }).expect(202);
      const id = (requested.body as { id: string }).id;
      const deadline = Date.now() + 20_000;
      let view: { state: string; rows: number } = { state: 'queued', rows: 0 };
      while (view.state !== 'ready' && view.state !== 'failed' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        view = (await system.http().get(`/api/v1/exports/${id}`).set('Authorization', `Bearer ${analyst}`).expect(200)).body as typeof view;
      }
      expect(view).toMatchObject({ state: 'ready', rows: 4 });
    } finally {
      await aggregator?.stop();
      await exporter.stop();
      await system.stop();
    }
  });
});

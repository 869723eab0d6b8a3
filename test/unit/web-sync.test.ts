import type { ApiOutcome } from '../../web/shared/api-client';
import type { OutboxItem, SentRecord } from '../../web/src/device-store';
import { syncOutbox } from '../../web/src/sync';
import type { SubmitResult } from '../../server/modules/responses/response.schema';

/** An outbox in memory, with the same rule as the device's: items leave only through `acknowledge`. */
function memoryStore(items: OutboxItem[]) {
  const outbox = new Map(items.map((i) => [i.id, i]));
  const sent: SentRecord[] = [];
  return {
    outbox: () => Promise.resolve([...outbox.values()]),
    putOutbox: (item: OutboxItem) => Promise.resolve(void outbox.set(item.id, item)),
    acknowledge: (id: string, record?: SentRecord) => {
      outbox.delete(id);
      if (record) sent.push(record);
      return Promise.resolve();
    },
    items: () => [...outbox.values()],
    sent,
  };
}

let n = 0;
function response(username = 'enum-1'): OutboxItem {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    kind: 'response',
    username,
    unitKey: `r|U-${n}`,
    unitLabel: `Person ${n}`,
    queuedAt: new Date(Date.UTC(2024, 8, 1, 0, n)).toISOString(),
    state: 'waiting',
    attempts: 0,
    payload: {
      id,
      roundId: 'r-2024',
      formId: 'sipas-2017',
      formVersion: '1',
      provinceCode: '01',
      answers: {},
      paradata: { startedAt: '2024-09-01T00:00:00Z', endedAt: '2024-09-01T00:20:00Z' },
    },
  };
}

const session = { token: 't', username: 'enum-1' };
const now = () => new Date('2024-09-02T00:00:00Z');
const ok = (results: SubmitResult[]): ApiOutcome<{ results: SubmitResult[] }> => ({ kind: 'ok', value: { results } });
const noStatus = () => Promise.resolve<ApiOutcome<unknown>>({ kind: 'ok', value: {} });

describe('outbox sync', () => {
  test('when the server accepts some items and refuses others, then only the acknowledged leave the outbox', async () => {
    const items = [response(), response(), response(), response()];
    const store = memoryStore(items);
    const submit = jest.fn((_token: string, batch: unknown[]) =>
      Promise.resolve(
        ok(
          (batch as Array<{ id: string }>).map((b, i) =>
            i === 0 ? { id: b.id, status: 'accepted' } : i === 1 ? { id: b.id, status: 'duplicate' } : i === 2 ? { id: b.id, status: 'invalid', errors: [{ path: '/roundId', code: 'round_closed', message: 'closed' }] } : { id: b.id, status: 'conflict', errors: [] },
          ),
        ),
      ),
    );
    const report = await syncOutbox({ store, api: { submit, reportStatus: noStatus }, now }, session);
    expect(report).toEqual({ acknowledged: 2, refused: 2, stopped: null });
    expect(store.items().map((i) => [i.id, i.state])).toEqual([
      [items[2]?.id, 'needs-correction'],
      [items[3]?.id, 'needs-correction'],
    ]);
    expect(store.items()[0]?.problems).toEqual([{ path: '/roundId', code: 'round_closed', message: 'closed' }]);
    expect(store.sent.map((s) => s.status)).toEqual(['accepted', 'duplicate']);
  });

  test('when the reply is lost, then nothing leaves, and the next run sends the very same items again', async () => {
    const items = [response(), response()];
    const store = memoryStore(items);
    const sentBatches: unknown[][] = [];
    const submit = jest
      .fn()
      .mockImplementationOnce((_t: string, batch: unknown[]) => {
        sentBatches.push(batch);
        return Promise.resolve({ kind: 'network' });
      })
      .mockImplementationOnce((_t: string, batch: Array<{ id: string }>) => {
        sentBatches.push(batch);
        return Promise.resolve(ok(batch.map((b) => ({ id: b.id, status: 'duplicate' }))));
      });
    expect(await syncOutbox({ store, api: { submit, reportStatus: noStatus }, now }, session)).toEqual({ acknowledged: 0, refused: 0, stopped: { reason: 'network' } });
    expect(store.items()).toHaveLength(2);
    expect(await syncOutbox({ store, api: { submit, reportStatus: noStatus }, now }, session)).toMatchObject({ acknowledged: 2, stopped: null });
    expect(sentBatches[1]).toEqual(sentBatches[0]);
    expect(store.items()).toHaveLength(0);
  });

  test('when the login has expired, then the run stops and keeps everything', async () => {
    const store = memoryStore([response(), response()]);
    const submit = jest.fn().mockResolvedValue({ kind: 'unauthenticated' });
    expect(await syncOutbox({ store, api: { submit, reportStatus: noStatus }, now }, session)).toMatchObject({ stopped: { reason: 'unauthenticated' } });
    expect(store.items()).toHaveLength(2);
  });

  test('when there are more items than a batch holds, then they go in batches of at most the batch size, oldest first', async () => {
    const items = Array.from({ length: 7 }, () => response());
    const store = memoryStore([...items].reverse());
    const sizes: number[] = [];
    const submit = jest.fn((_t: string, batch: unknown[]) => {
      sizes.push(batch.length);
      return Promise.resolve(ok((batch as Array<{ id: string }>).map((b) => ({ id: b.id, status: 'accepted' }))));
    });
    await syncOutbox({ store, api: { submit, reportStatus: noStatus }, now, batchSize: 3 }, session);
    expect(sizes).toEqual([3, 3, 1]);
    expect(store.sent.map((s) => s.id)).toEqual(items.map((i) => i.id));
  });

  test('when the body is too large, then the batch is halved and sent again', async () => {
    const items = Array.from({ length: 4 }, () => response());
    const store = memoryStore(items);
    const sizes: number[] = [];
    const submit = jest.fn((_t: string, batch: unknown[]) => {
      sizes.push(batch.length);
      return Promise.resolve(
        batch.length > 2 ? { kind: 'http' as const, status: 413, message: 'too large' } : ok((batch as Array<{ id: string }>).map((b) => ({ id: b.id, status: 'accepted' }))),
      );
    });
    expect(await syncOutbox({ store, api: { submit, reportStatus: noStatus }, now }, session)).toMatchObject({ acknowledged: 4, stopped: null });
    expect(sizes).toEqual([4, 2, 2]);
  });

  test('when the outbox holds another user’s items, then they are not sent under this login', async () => {
    const store = memoryStore([response('someone-else')]);
    const submit = jest.fn();
    expect(await syncOutbox({ store, api: { submit, reportStatus: noStatus }, now }, session)).toEqual({ acknowledged: 0, refused: 0, stopped: null });
    expect(submit).not.toHaveBeenCalled();
  });

  test('when a status report meets a completed unit (409), then it is dropped; an unassigned unit (404) needs attention', async () => {
    const status = (unitId: string): OutboxItem => ({
      id: `s-${unitId}`,
      kind: 'status',
      username: 'enum-1',
      unitKey: `r|${unitId}`,
      unitLabel: unitId,
      queuedAt: '2024-09-01T00:00:00Z',
      state: 'waiting',
      attempts: 0,
      payload: { roundId: 'r', unitId, status: 'refused', at: '2024-09-01T00:00:00Z' },
    });
    const store = memoryStore([status('A'), status('B')]);
    const reportStatus = jest
      .fn()
      .mockResolvedValueOnce({ kind: 'http', status: 409, message: 'completed' })
      .mockResolvedValueOnce({ kind: 'http', status: 404, message: 'not yours' });
    expect(await syncOutbox({ store, api: { submit: jest.fn(), reportStatus }, now }, session)).toEqual({ acknowledged: 1, refused: 1, stopped: null });
    expect(store.items()).toEqual([expect.objectContaining({ id: 's-B', state: 'needs-correction', problems: [expect.objectContaining({ code: 'not_assigned' })] })]);
  });
});

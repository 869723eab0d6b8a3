import type { ApiClient, ApiOutcome } from '../shared/api-client';
import type { DeviceStore, OutboxItem, StatusReport } from './device-store';

/** The API takes at most this many responses a request. */
export const MAX_BATCH = 500;

export interface SyncDeps {
  store: Pick<DeviceStore, 'outbox' | 'acknowledge' | 'putOutbox'>;
  /** What a status report answers is not read here: only whether it worked. */
  api: Pick<ApiClient, 'submit'> & { reportStatus: (token: string, report: StatusReport) => Promise<ApiOutcome<unknown>> };
  now: () => Date;
  /** @defaultValue MAX_BATCH */
  batchSize?: number;
}

export type SyncStop = { reason: 'unauthenticated' } | { reason: 'network' } | { reason: 'http'; status: number; message: string };

export interface SyncReport {
  /** Items the server acknowledged in this run (they left the outbox). */
  acknowledged: number;
  /** Items the server refused in this run (they stay, marked for correction). */
  refused: number;
  /** Why the run stopped early; null when every waiting item got an answer. */
  stopped: SyncStop | null;
}

const byQueueTime = (a: OutboxItem, b: OutboxItem): number => a.queuedAt.localeCompare(b.queuedAt) || a.id.localeCompare(b.id);

/**
 * Sends the user's waiting outbox items. Responses go in batches; each item leaves the outbox only
 * when the server answered `accepted` or `duplicate` for it. `conflict` and `invalid` keep the item,
 * marked for correction with the server's reasons. A lost reply, a network failure or an expired
 * login keep everything as it was: the next run sends the same ids again, and the server answers
 * `duplicate` for those it already stored.
 */
export async function syncOutbox(deps: SyncDeps, session: { token: string; username: string }): Promise<SyncReport> {
  const report: SyncReport = { acknowledged: 0, refused: 0, stopped: null };
  const waiting = (await deps.store.outbox()).filter((i) => i.username === session.username && i.state === 'waiting').sort(byQueueTime);
  const responses = waiting.filter((i): i is Extract<OutboxItem, { kind: 'response' }> => i.kind === 'response');
  const statuses = waiting.filter((i): i is Extract<OutboxItem, { kind: 'status' }> => i.kind === 'status');

  let size = Math.min(deps.batchSize ?? MAX_BATCH, MAX_BATCH);
  for (let start = 0; start < responses.length; ) {
    const batch = responses.slice(start, start + size);
    const outcome = await deps.api.submit(
      session.token,
      batch.map((i) => i.payload),
    );
    if (outcome.kind === 'http' && outcome.status === 413 && batch.length > 1) {
      size = Math.max(1, Math.floor(batch.length / 2));
      continue;
    }
    if (outcome.kind !== 'ok') {
      report.stopped = outcome.kind === 'http' ? { reason: 'http', status: outcome.status, message: outcome.message } : { reason: outcome.kind };
      return report;
    }
    const { results } = outcome.value;
    if (results.length !== batch.length || results.some((r, i) => r.id !== batch[i]?.id)) {
      report.stopped = { reason: 'http', status: 200, message: 'the server answered for other items than were sent' };
      return report;
    }
    for (const [i, result] of results.entries()) {
      const item = batch[i] as OutboxItem;
      if (result.status === 'accepted' || result.status === 'duplicate') {
        await deps.store.acknowledge(item.id, { id: item.id, unitKey: item.unitKey, sentAt: deps.now().toISOString(), status: result.status });
        report.acknowledged += 1;
      } else {
        await deps.store.putOutbox({ ...item, state: 'needs-correction', problems: result.errors ?? [], attempts: item.attempts + 1 });
        report.refused += 1;
      }
    }
    start += batch.length;
  }

  for (const item of statuses) {
    const outcome = await deps.api.reportStatus(session.token, item.payload);
    if (outcome.kind === 'ok' || (outcome.kind === 'http' && outcome.status === 409)) {
      // 409: the unit is completed; the server's status is the right one, the report is moot.
      await deps.store.acknowledge(item.id);
      report.acknowledged += 1;
    } else if (outcome.kind === 'http' && outcome.status >= 400 && outcome.status < 500) {
      const code = outcome.status === 404 ? 'not_assigned' : (outcome.code ?? 'invalid');
      await deps.store.putOutbox({ ...item, state: 'needs-correction', problems: [{ path: '', code, message: outcome.message }], attempts: item.attempts + 1 });
      report.refused += 1;
    } else {
      report.stopped = outcome.kind === 'http' ? { reason: 'http', status: outcome.status, message: outcome.message } : { reason: outcome.kind };
      return report;
    }
  }
  return report;
}

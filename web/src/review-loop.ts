/**
 * The enumerator's end of the review loop and of the device receipts: at every sync the app fetches
 * the responses its supervisor returned (with a comment per item) and reports what its outbox holds.
 * A returned response is corrected as a new draft — a new response id naming the returned one — and
 * goes through the server's checks again.
 */
import type { ApiClient, ReturnedResponseView } from '../shared/api-client';
import type { DeviceStore, Draft, Session, SyncState } from './device-store';
import { newClock } from './paradata';
import { newUuid } from './uuid';
import { APP_VERSION } from './version';

/** Most unsent ids a receipt lists (the server's limit). */
const MAX_RECEIPT_IDS = 2000;

/** This device's id, made on first use and kept. */
export async function deviceIdOf(store: DeviceStore): Promise<string> {
  const known = await store.getMeta('deviceId');
  if (known) return known;
  const made = newUuid().replaceAll('-', '');
  await store.setMeta('deviceId', made);
  return made;
}

/** Fetches the responses returned to this enumerator; a failure waits for the next sync or download. */
export async function fetchReturned(deps: { store: DeviceStore; api: ApiClient }, session: Session): Promise<void> {
  const returned = await deps.api.returned(session.token);
  if (returned.kind === 'ok') await deps.store.setMeta('returned', returned.value.returned);
}

/** Fetches the returned responses and sends the outbox receipt; failures wait for the next sync. */
export async function afterSync(deps: { store: DeviceStore; api: ApiClient }, session: Session, sync: SyncState, now: Date): Promise<void> {
  await fetchReturned(deps, session);
  const outbox = (await deps.store.outbox()).filter((i) => i.username === session.username && i.kind === 'response');
  const oldest = outbox.map((i) => i.queuedAt).sort()[0] ?? null;
  await deps.api.deviceReceipt(session.token, {
    deviceId: await deviceIdOf(deps.store),
    appVersion: APP_VERSION,
    at: now.toISOString(),
    unsentCompleted: outbox.length,
    oldestUnsentAt: oldest,
    lastSuccessfulSyncAt: sync.lastSuccessAt,
    unsent: outbox.slice(0, MAX_RECEIPT_IDS).flatMap((i) => (i.kind === 'response' ? [{ id: i.id, roundId: i.payload.roundId }] : [])),
  });
}

/** The returned responses not being corrected on this device yet. */
export function openReturns(returned: ReadonlyArray<ReturnedResponseView>, drafts: ReadonlyArray<Draft>, correctedIds: ReadonlySet<string>): ReturnedResponseView[] {
  const underway = new Set(drafts.map((d) => d.correctsResponseId).filter((id): id is string => id !== undefined));
  return returned.filter((r) => !underway.has(r.id) && !correctedIds.has(r.id));
}

/**
 * Starts the correction of a returned response: a new draft (a new response id) with the answers as
 * sent, the supervisor's comments beside their items, and the returned response's id.
 */
export async function startCorrection(deps: { store: DeviceStore; now?: () => Date }, session: Session, returned: ReturnedResponseView, unitLabel: string): Promise<Draft> {
  const now = (deps.now ?? (() => new Date()))();
  const draft: Draft = {
    id: newUuid(),
    username: session.username,
    unitKey: `${returned.roundId}|${returned.sampleUnitId ?? ''}`,
    unitLabel,
    roundId: returned.roundId,
    sampleUnitId: returned.sampleUnitId ?? '',
    provinceCode: returned.provinceCode,
    formId: returned.formId,
    formVersion: returned.formVersion,
    answers: { ...returned.answers },
    startedAt: now.toISOString(),
    clock: newClock(),
    sectionIndex: 0,
    updatedAt: now.toISOString(),
    correctsResponseId: returned.id,
    reviewComments: returned.comments.map((c) => ({ item: c.item, text: c.text })),
  };
  await deps.store.putDraft(draft);
  return draft;
}

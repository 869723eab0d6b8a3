import type { ReturnedResponseView } from '../shared/api-client';
import type { DeviceStore, Draft, OutboxItem, SentRecord, Session, Settings, SyncState, UnitRecord } from './device-store';
import { openReturns } from './review-loop';
import { DEFAULT_SETTINGS, EMPTY_SYNC, formKey } from './field-work';

/** What the screens show, read from the device store in one go after every change. */
export interface Snapshot {
  session: Session | undefined;
  settings: Settings;
  sync: SyncState;
  units: UnitRecord[];
  drafts: Draft[];
  outbox: OutboxItem[];
  sent: SentRecord[];
  /** Questionnaire versions on the device. */
  formKeys: Set<string>;
  /** Round id → the key of its questionnaire version. */
  roundForms: Map<string, string>;
  /** Responses returned for correction and not being corrected on this device yet. */
  returned: ReturnedResponseView[];
}

/** Reads the device store; drafts and outbox items of another user (waiting for them to log in again) are left out. */
export async function readSnapshot(store: DeviceStore): Promise<Snapshot> {
  const [session, settings, syncState, units, drafts, outbox, sent, rounds, returned] = await Promise.all([
    store.getMeta('session'),
    store.getMeta('settings'),
    store.getMeta('sync'),
    store.units(),
    store.drafts(),
    store.outbox(),
    store.sent(),
    store.rounds(),
    store.getMeta('returned'),
  ]);
  const roundForms = new Map(rounds.map((r) => [r.id, formKey(r.formId, r.formVersion)]));
  const formKeys = new Set<string>();
  for (const key of new Set(roundForms.values())) if (await store.form(key)) formKeys.add(key);
  const mine = (x: { username: string }) => !session || x.username === session.username;
  // Paper forms being keyed are the keying screen's: they are no interviews of the list.
  const interviews = drafts.filter((d) => mine(d) && !d.keyed);
  return {
    session,
    settings: settings ?? DEFAULT_SETTINGS,
    sync: syncState ?? EMPTY_SYNC,
    units: units.sort((a, b) => a.key.localeCompare(b.key)),
    drafts: interviews,
    outbox: outbox.filter(mine).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt)),
    sent,
    formKeys,
    roundForms,
    // A correction sent or waiting to be sent settles its returned response on this device.
    returned: openReturns(
      returned ?? [],
      interviews,
      new Set(outbox.flatMap((i) => (i.kind === 'response' && i.payload.correctsResponseId ? [i.payload.correctsResponseId] : []))),
    ),
  };
}

/** Responses waiting to be sent (status reports are counted apart: they are no responses). */
export function waitingCount(snapshot: Snapshot): number {
  return snapshot.outbox.filter((i) => i.state === 'waiting' && i.kind === 'response').length;
}

/** Items the server refused, waiting for the enumerator. */
export function correctionCount(snapshot: Snapshot): number {
  return snapshot.outbox.filter((i) => i.state === 'needs-correction').length;
}

export type ShownStatus =
  | 'not-started'
  | 'in-progress'
  | 'appointment'
  | 'revisit'
  | 'completed'
  | 'queued'
  | 'refused'
  | 'not-reachable'
  | 'needs-correction'
  | 'returned';

/** A unit's status as the enumerator sees it: what waits on the device goes before what the server said. */
export function shownStatus(unit: UnitRecord, snapshot: Snapshot): ShownStatus {
  const items = snapshot.outbox.filter((i) => i.unitKey === unit.key);
  const response = items.find((i) => i.kind === 'response');
  if (response) return response.state === 'needs-correction' ? 'needs-correction' : 'queued';
  if (snapshot.returned.some((r) => r.roundId === unit.roundId && r.sampleUnitId === unit.unitId)) return 'returned';
  // A draft first: the correction of a returned response is one, on a unit whose first response was sent.
  if (snapshot.drafts.some((d) => d.unitKey === unit.key)) return 'in-progress';
  if (unit.status === 'completed' || snapshot.sent.some((s) => s.unitKey === unit.key)) return 'completed';
  const reports = items.filter((i): i is Extract<OutboxItem, { kind: 'status' }> => i.kind === 'status');
  const latest = reports[reports.length - 1];
  return latest ? latest.payload.status : unit.status;
}

import type { Problem } from '../../survey-forms/ajv';
import type { FormDefinition } from '../../survey-forms/form-definition.schema';
import type { ResponseSubmission } from '../../server/modules/responses/response.schema';
import type { RoundView } from '../../server/modules/rounds/round.schema';
import type { ReturnedResponseView } from '../../server/modules/responses/returned';
import type { ReportedStatus, SampleUnitView } from '../../server/modules/samples/sample.schema';
import type { Lang } from './i18n';
import type { SectionClock, Location } from './paradata';

/**
 * Everything the app keeps on the device, in IndexedDB: it survives reloads, closed tabs and
 * days offline. Moves between stores (a completed draft into the outbox, an acknowledged item
 * out of it) happen in one transaction, so a response is always in exactly one place.
 */

export interface Session {
  token: string;
  expiresAt: string;
  username: string;
  displayName: string;
  /** The server refused the token: the outbox waits until the same user logs in again. */
  expired: boolean;
}

export interface Settings {
  lang: Lang;
  recordLocation: boolean;
}

export interface SyncState {
  lastSuccessAt: string | null;
  lastDownloadAt: string | null;
  /** The last failure to act on, in the app's words; null after a clean sync. */
  lastError: string | null;
}

export interface Meta {
  session: Session;
  settings: Settings;
  sync: SyncState;
  /** Responses the supervisor returned for correction, as the last sync found them. */
  returned: ReturnedResponseView[];
  /** This device's id, made once: its receipts are kept under it. */
  deviceId: string;
}

export type UnitRecord = SampleUnitView & { key: string };
export interface FormRecord {
  key: string;
  definition: FormDefinition;
}

/** A response being filled in. Its id is generated once, when it is created, and never changes. */
export interface Draft {
  id: string;
  username: string;
  unitKey: string;
  unitLabel: string;
  roundId: string;
  sampleUnitId: string;
  provinceCode: string;
  formId: string;
  formVersion: string;
  answers: Record<string, unknown>;
  startedAt: string;
  clock: SectionClock;
  location?: Location;
  sectionIndex: number;
  updatedAt: string;
  /** Why the server refused it, when it came back from the outbox for correction. */
  serverProblems?: Problem[];
  /** A correction of a response the supervisor returned: its id, and the comments per item. */
  correctsResponseId?: string;
  reviewComments?: Array<{ item: string; text: string }>;
  /** A paper form being keyed (the keying screen's, not an interview): its serial, which keying, and the item the cursor is on. */
  keyed?: { serial: string; keying: 'first' | 'second'; cursor: string | null };
}

export interface StatusReport {
  roundId: string;
  unitId: string;
  status: ReportedStatus;
  note?: string;
  /** With status appointment: when to come back. */
  appointmentAt?: string;
  at: string;
}

/** Something waiting for the server: a completed response, or a status report of a unit. */
export type OutboxItem = {
  id: string;
  username: string;
  unitKey: string;
  unitLabel: string;
  queuedAt: string;
  state: 'waiting' | 'needs-correction';
  problems?: Problem[];
  attempts: number;
} & ({ kind: 'response'; payload: ResponseSubmission } | { kind: 'status'; payload: StatusReport });

/** A response the server acknowledged (accepted, or already held it). */
export interface SentRecord {
  id: string;
  unitKey: string;
  sentAt: string;
  status: 'accepted' | 'duplicate';
}

type StoreName = 'meta' | 'rounds' | 'units' | 'forms' | 'drafts' | 'outbox' | 'sent';
const DB_NAME = 'sipas-enumerator';
const DB_VERSION = 1;

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function openDatabase(name: string): Promise<IDBDatabase> {
  const request = indexedDB.open(name, DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore('meta');
    db.createObjectStore('rounds', { keyPath: 'id' });
    db.createObjectStore('units', { keyPath: 'key' });
    db.createObjectStore('forms', { keyPath: 'key' });
    db.createObjectStore('drafts', { keyPath: 'id' });
    db.createObjectStore('outbox', { keyPath: 'id' });
    db.createObjectStore('sent', { keyPath: 'id' });
  };
  return promised(request);
}

export type DeviceStore = Awaited<ReturnType<typeof openDeviceStore>>;

/** Opens the app's database (created on first use). */
export async function openDeviceStore(name = DB_NAME) {
  const db = await openDatabase(name);

  /** Runs `work` in one transaction and resolves when it is committed (not merely requested). */
  const transact = <T>(stores: StoreName[], mode: IDBTransactionMode, work: (tx: IDBTransaction) => Promise<T> | T): Promise<T> =>
    new Promise((resolve, reject) => {
      const tx = db.transaction(stores, mode);
      let result: T;
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      Promise.resolve(work(tx)).then(
        (r) => {
          result = r;
        },
        (error: unknown) => {
          tx.abort();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  const all = <T>(store: StoreName): Promise<T[]> => transact([store], 'readonly', (tx) => promised(tx.objectStore(store).getAll() as IDBRequest<T[]>));
  const one = <T>(store: StoreName, key: string): Promise<T | undefined> =>
    transact([store], 'readonly', (tx) => promised(tx.objectStore(store).get(key) as IDBRequest<T | undefined>));
  const put = (store: StoreName, value: unknown): Promise<void> =>
    transact([store], 'readwrite', (tx) => {
      tx.objectStore(store).put(value);
    });
  const remove = (store: StoreName, key: string): Promise<void> =>
    transact([store], 'readwrite', (tx) => {
      tx.objectStore(store).delete(key);
    });

  return {
    getMeta: <K extends keyof Meta>(key: K): Promise<Meta[K] | undefined> => one<Meta[K]>('meta', key),
    setMeta: <K extends keyof Meta>(key: K, value: Meta[K]): Promise<void> =>
      transact(['meta'], 'readwrite', (tx) => {
        tx.objectStore('meta').put(value, key);
      }),
    deleteMeta: (key: keyof Meta): Promise<void> => remove('meta', key),

    rounds: () => all<RoundView>('rounds'),
    units: () => all<UnitRecord>('units'),
    unit: (key: string) => one<UnitRecord>('units', key),
    /** Replaces the downloaded rounds and units with the server's current list. */
    replaceAssignments: (rounds: RoundView[], units: UnitRecord[]): Promise<void> =>
      transact(['rounds', 'units'], 'readwrite', (tx) => {
        const r = tx.objectStore('rounds');
        const u = tx.objectStore('units');
        r.clear();
        u.clear();
        for (const round of rounds) r.put(round);
        for (const unit of units) u.put(unit);
      }),

    form: (key: string) => one<FormRecord>('forms', key),
    putForm: (form: FormRecord) => put('forms', form),

    drafts: () => all<Draft>('drafts'),
    draft: (id: string) => one<Draft>('drafts', id),
    putDraft: (draft: Draft) => put('drafts', draft),
    /** A draft given up (a keyed form cancelled). */
    deleteDraft: (id: string) => remove('drafts', id),
    /**
     * Changes some fields of a draft, reading and writing in one transaction: the form's writes
     * and the location arriving late never overwrite each other.
     */
    patchDraft: (id: string, patch: (current: Draft) => Partial<Draft>): Promise<Draft | undefined> =>
      transact(['drafts'], 'readwrite', async (tx) => {
        const drafts = tx.objectStore('drafts');
        const current = await promised(drafts.get(id) as IDBRequest<Draft | undefined>);
        if (!current) return undefined;
        const next = { ...current, ...patch(current) };
        drafts.put(next);
        return next;
      }),

    outbox: () => all<OutboxItem>('outbox'),
    putOutbox: (item: OutboxItem) => put('outbox', item),
    sent: () => all<SentRecord>('sent'),

    /** A completed draft becomes an outbox item, atomically: it is never in both places, never in neither. */
    completeDraft: (draftId: string, item: OutboxItem): Promise<void> =>
      transact(['drafts', 'outbox'], 'readwrite', (tx) => {
        tx.objectStore('outbox').put(item);
        tx.objectStore('drafts').delete(draftId);
      }),
    /** An outbox item leaves only here: when the server has acknowledged it. */
    acknowledge: (id: string, sent?: SentRecord): Promise<void> =>
      transact(['outbox', 'sent'], 'readwrite', (tx) => {
        tx.objectStore('outbox').delete(id);
        if (sent) tx.objectStore('sent').put(sent);
      }),
    /** A refused response goes back to the drafts for correction, under the same id. */
    reopen: (id: string, draft: Draft): Promise<void> =>
      transact(['outbox', 'drafts'], 'readwrite', (tx) => {
        tx.objectStore('drafts').put(draft);
        tx.objectStore('outbox').delete(id);
      }),
    /** Forgets the downloaded list and personal data (after logging out with nothing unsent). */
    clearDownloads: (): Promise<void> =>
      transact(['rounds', 'units', 'sent'], 'readwrite', (tx) => {
        tx.objectStore('rounds').clear();
        tx.objectStore('units').clear();
        tx.objectStore('sent').clear();
      }),
    close: () => db.close(),
  };
}

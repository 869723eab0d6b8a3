import { compileForm, type CompiledForm, type PrecompiledValidators } from '../../survey-forms/form';
import type { FormDefinition } from '../../survey-forms/form-definition.schema';
import type { ReportedStatus } from '../../server/modules/samples/sample.schema';
import type { ApiClient } from '../shared/api-client';
import type { DeviceStore, Draft, OutboxItem, Session, Settings, SyncState, UnitRecord } from './device-store';
import { prefillFromSample, withoutUnasked } from './form-model';
import { translate, type Lang } from './i18n';
import { currentLocation, newClock, tick } from './paradata';
import { afterSync, fetchReturned } from './review-loop';
import { syncOutbox, type SyncReport } from './sync';
import { newUuid } from './uuid';
import { APP_VERSION } from './version';

/**
 * What an enumerator does with the app, as functions over the device store and the API: log in,
 * download, start and complete interviews, report outcomes, sync. The screens call these.
 */

export interface FieldWorkDeps {
  store: DeviceStore;
  api: ApiClient;
  now?: () => Date;
}

const nowOf = (deps: FieldWorkDeps): Date => deps.now?.() ?? new Date();

export const DEFAULT_SETTINGS: Settings = { lang: 'vi', recordLocation: true };
export const EMPTY_SYNC: SyncState = { lastSuccessAt: null, lastDownloadAt: null, lastError: null };

export const formKey = (formId: string, version: string): string => `${formId}@${version}`;
export const unitKey = (roundId: string, unitId: string): string => `${roundId}|${unitId}`;

const compiled = new Map<string, CompiledForm>();
let precompiled: PrecompiledValidators | undefined;

/** The validators built with the app (ajv standalone code): the page then compiles no code, as its CSP requires. */
export function usePrecompiledValidators(validators: PrecompiledValidators): void {
  precompiled = validators;
  compiled.clear();
}

/** A questionnaire version compiled once per page: the same compiler and validator as the server's. */
export function compiledForm(definition: FormDefinition): CompiledForm {
  const key = formKey(definition.formId, definition.version);
  let form = compiled.get(key);
  if (!form) {
    form = compileForm(definition, key, precompiled);
    compiled.set(key, form);
  }
  return form;
}

/** Items on the device not yet acknowledged by the server, and interviews in progress, of a user. */
export async function unsentCount(store: DeviceStore, username: string): Promise<number> {
  const [outbox, drafts] = await Promise.all([store.outbox(), store.drafts()]);
  return outbox.filter((i) => i.username === username).length + drafts.filter((d) => d.username === username).length;
}

/** Logs in, or says why not in the enumerator's language. Unsent work of another user blocks the login. */
export async function logIn(deps: FieldWorkDeps, lang: Lang, username: string, password: string): Promise<{ error: string } | { session: Session }> {
  const t = translate(lang);
  const previous = await deps.store.getMeta('session');
  if (previous && previous.username !== username) {
    const count = await unsentCount(deps.store, previous.username);
    if (count > 0) return { error: t('loginOtherUser', { count, name: previous.username }) };
  }
  const login = await deps.api.login(username, password);
  if (login.kind === 'network') return { error: t('loginOffline') };
  if (login.kind !== 'ok') return { error: login.kind === 'http' && login.status === 401 ? t('loginFailed') : t('syncError', { message: login.kind === 'http' ? login.message : '' }) };
  const me = await deps.api.me(login.value.token);
  if (me.kind !== 'ok') return { error: t('loginOffline') };
  if (me.value.role !== 'enumerator') {
    await deps.api.logout(login.value.token);
    return { error: t('loginNotEnumerator', { name: me.value.username, role: me.value.role }) };
  }
  if (previous && previous.username !== username) await deps.store.clearDownloads();
  const session: Session = { token: login.value.token, expiresAt: login.value.expiresAt, username: me.value.username, displayName: me.value.displayName, expired: false };
  await deps.store.setMeta('session', session);
  return { session };
}

async function updateSync(store: DeviceStore, change: Partial<SyncState>): Promise<void> {
  const current = (await store.getMeta('sync')) ?? EMPTY_SYNC;
  await store.setMeta('sync', { ...current, ...change });
}

async function expire(store: DeviceStore, session: Session): Promise<void> {
  await store.setMeta('session', { ...session, expired: true });
}

/** Downloads the assigned units and the questionnaire versions they need. */
export async function download(deps: FieldWorkDeps, session: Session, lang: Lang): Promise<void> {
  const t = translate(lang);
  const mine = await deps.api.myAssignments(session.token);
  if (mine.kind === 'unauthenticated') return expire(deps.store, session);
  if (mine.kind !== 'ok') {
    await updateSync(deps.store, { lastError: t('syncError', { message: mine.kind === 'network' ? t('networkError') : t('serverError', { status: mine.status }) }) });
    return;
  }
  for (const round of mine.value.rounds) {
    const key = formKey(round.formId, round.formVersion);
    if (await deps.store.form(key)) continue;
    const form = await deps.api.form(session.token, round.formId, round.formVersion);
    if (form.kind === 'ok') await deps.store.putForm({ key, definition: form.value });
  }
  await deps.store.replaceAssignments(
    mine.value.rounds,
    mine.value.assignments.map((a) => ({ ...a, key: unitKey(a.roundId, a.unitId) })),
  );
  // A download also brings the responses a supervisor returned, so they show without anything to send.
  await fetchReturned(deps, session);
  await updateSync(deps.store, { lastDownloadAt: nowOf(deps).toISOString(), lastError: null });
}

let syncing: Promise<SyncReport | undefined> | undefined;

/**
 * Sends what waits in the outbox. One run at a time per page, and one per device across tabs
 * where the browser has Web Locks; the server's duplicate check makes an overlap harmless anyway.
 */
export function sync(deps: FieldWorkDeps, session: Session, lang: Lang): Promise<SyncReport | undefined> {
  const t = translate(lang);
  if (session.expired) return Promise.resolve(undefined);
  syncing ??= (async () => {
    const run = async (): Promise<SyncReport> => {
      const report = await syncOutbox({ store: deps.store, api: deps.api, now: () => nowOf(deps) }, session);
      if (report.stopped === null) {
        // "Last successful sync" is the last time the server took what was waiting: a run with nothing to send proves nothing.
        if (report.acknowledged + report.refused > 0) await updateSync(deps.store, { lastSuccessAt: nowOf(deps).toISOString(), lastError: null });
        // What was sent changed the units' status on the server: fetch the list as it is now.
        if (report.acknowledged > 0) await download(deps, session, lang);
        await afterSync(deps, session, (await deps.store.getMeta('sync')) ?? EMPTY_SYNC, nowOf(deps));
      } else if (report.stopped.reason === 'unauthenticated') {
        await expire(deps.store, session);
      } else {
        const message = report.stopped.reason === 'network' ? t('networkError') : `${t('serverError', { status: report.stopped.status })}: ${report.stopped.message}`;
        await updateSync(deps.store, { lastError: t('syncError', { message }) });
      }
      return report;
    };
    try {
      if (typeof navigator !== 'undefined' && navigator.locks) {
        return await navigator.locks.request('sipas-sync', { ifAvailable: true }, (lock) => (lock ? run() : undefined));
      }
      return await run();
    } finally {
      syncing = undefined;
    }
  })();
  return syncing;
}

function queueStatus(deps: FieldWorkDeps, session: Session, unit: UnitRecord, status: ReportedStatus, note?: string, appointmentAt?: string): Promise<void> {
  const at = nowOf(deps).toISOString();
  const item: OutboxItem = {
    id: newUuid(),
    kind: 'status',
    username: session.username,
    unitKey: unit.key,
    unitLabel: unit.contact.name,
    queuedAt: at,
    state: 'waiting',
    attempts: 0,
    payload: { roundId: unit.roundId, unitId: unit.unitId, status, at, ...(note ? { note } : {}), ...(appointmentAt ? { appointmentAt } : {}) },
  };
  return deps.store.putOutbox(item);
}

/**
 * Records a visit's outcome without an interview (refused, not reachable, an appointment with its
 * date and time, come back another day); it is sent with the next sync.
 */
export function reportOutcome(
  deps: FieldWorkDeps,
  session: Session,
  unit: UnitRecord,
  status: 'refused' | 'not-reachable' | 'appointment' | 'revisit',
  note: string,
  appointmentAt?: string,
): Promise<void> {
  return queueStatus(deps, session, unit, status, note.trim() || undefined, status === 'appointment' ? appointmentAt : undefined);
}

/**
 * Starts an interview: the response's id is made here, once, and travels with it to the server.
 * Answers the sample list already knows are filled in; the location is asked for when allowed.
 */
export async function startDraft(deps: FieldWorkDeps, session: Session, unit: UnitRecord, form: CompiledForm, settings: Settings): Promise<Draft> {
  const round = (await deps.store.rounds()).find((r) => r.id === unit.roundId);
  if (!round) throw new Error(`round ${unit.roundId} is not on this device`);
  const now = nowOf(deps);
  const draft: Draft = {
    id: newUuid(),
    username: session.username,
    unitKey: unit.key,
    unitLabel: unit.contact.name,
    roundId: unit.roundId,
    sampleUnitId: unit.unitId,
    provinceCode: unit.provinceCode,
    formId: round.formId,
    formVersion: round.formVersion,
    answers: prefillFromSample(form, unit),
    startedAt: now.toISOString(),
    clock: newClock(),
    sectionIndex: 0,
    updatedAt: now.toISOString(),
  };
  await deps.store.putDraft(draft);
  await queueStatus(deps, session, unit, 'in-progress');
  if (settings.recordLocation) {
    void currentLocation().then(async (location) => {
      if (location) await deps.store.patchDraft(draft.id, (current) => (current.location ? {} : { location }));
    });
  }
  return draft;
}

/**
 * Completes a draft whose answers pass the questionnaire's checks: it moves to the outbox as the
 * exact submission the server will get, with its paradata.
 */
export async function completeDraft(deps: FieldWorkDeps, draftId: string, form: CompiledForm): Promise<OutboxItem> {
  const draft = await deps.store.draft(draftId);
  if (!draft) throw new Error(`draft ${draftId} is not on this device`);
  const now = nowOf(deps);
  const clock = tick(draft.clock, now.getTime(), null);
  const item: OutboxItem = {
    id: draft.id,
    kind: 'response',
    username: draft.username,
    unitKey: draft.unitKey,
    unitLabel: draft.unitLabel,
    queuedAt: now.toISOString(),
    state: 'waiting',
    attempts: 0,
    payload: {
      id: draft.id,
      roundId: draft.roundId,
      formId: draft.formId,
      formVersion: draft.formVersion,
      provinceCode: draft.provinceCode,
      sampleUnitId: draft.sampleUnitId,
      ...(draft.correctsResponseId ? { correctsResponseId: draft.correctsResponseId } : {}),
      answers: withoutUnasked(form, draft.answers),
      paradata: {
        startedAt: draft.startedAt,
        endedAt: now.toISOString(),
        appVersion: APP_VERSION,
        sectionSeconds: clock.seconds,
        ...(draft.location ? { location: draft.location } : {}),
      },
    },
  };
  await deps.store.completeDraft(draft.id, item);
  return item;
}

/** A refused response goes back to the drafts, same id, with the server's reasons shown in the form. */
export async function reopenForCorrection(deps: FieldWorkDeps, item: Extract<OutboxItem, { kind: 'response' }>): Promise<Draft> {
  const { payload } = item;
  const draft: Draft = {
    id: item.id,
    username: item.username,
    unitKey: item.unitKey,
    unitLabel: item.unitLabel,
    roundId: payload.roundId,
    sampleUnitId: payload.sampleUnitId ?? '',
    ...(payload.correctsResponseId ? { correctsResponseId: payload.correctsResponseId } : {}),
    provinceCode: payload.provinceCode,
    formId: payload.formId,
    formVersion: payload.formVersion,
    answers: payload.answers,
    startedAt: payload.paradata.startedAt,
    clock: { seconds: { ...(payload.paradata.sectionSeconds ?? {}) }, running: null },
    ...(payload.paradata.location ? { location: payload.paradata.location } : {}),
    sectionIndex: 0,
    updatedAt: nowOf(deps).toISOString(),
    serverProblems: item.problems ?? [],
  };
  await deps.store.reopen(item.id, draft);
  return draft;
}

/** Puts a refused item back in line unchanged (e.g. after the supervisor reopened the round). */
export function retry(deps: FieldWorkDeps, item: OutboxItem): Promise<void> {
  const { problems: _problems, ...rest } = item;
  return deps.store.putOutbox({ ...rest, state: 'waiting' });
}

/** Logs out when nothing is left unsent; the downloaded list with its personal data is then removed from the device. */
export async function logOut(deps: FieldWorkDeps, session: Session, lang: Lang): Promise<{ error: string } | { ok: true }> {
  const t = translate(lang);
  const count = await unsentCount(deps.store, session.username);
  if (count > 0) return { error: t('logOutBlocked', { count }) };
  if (!session.expired) await deps.api.logout(session.token);
  await deps.store.deleteMeta('session');
  await deps.store.clearDownloads();
  return { ok: true };
}

import type { FieldScope } from '../../../survey-forms/field-scope';
import type { ResponseRepository } from '../responses/response.repository';
import type { AuthenticatedUser } from '../users/user.schema';
import type { DeviceReceipt, DeviceRepository } from './device.repository';
import type { DeviceListQuery, DeviceReceiptBody, DeviceView } from './device.schema';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** App versions compare by their numbers (1.10 after 1.9). */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Keeps a device's receipt (the latest per device and user), with the user's place in the field at the time. */
export async function recordReceipt(devices: DeviceRepository, user: AuthenticatedUser, body: DeviceReceiptBody, now: Date): Promise<boolean> {
  return devices.keepLatest({
    deviceId: body.deviceId,
    username: user.username,
    provinces: user.provinces,
    postOffice: user.postOffice,
    appVersion: body.appVersion,
    at: new Date(body.at),
    receivedAt: now,
    unsentCompleted: body.unsentCompleted,
    oldestUnsentAt: body.oldestUnsentAt === null ? null : new Date(body.oldestUnsentAt),
    lastSuccessfulSyncAt: body.lastSuccessfulSyncAt === null ? null : new Date(body.lastSuccessfulSyncAt),
    unsent: body.unsent ?? [],
  });
}

/** A receipt as supervisors read it, with how long the device has been silent and how old its unsent work is now. */
export function presentDevice(r: DeviceReceipt, now: Date, currentVersion: string | null): DeviceView {
  return {
    deviceId: r.deviceId,
    username: r.username,
    provinces: r.provinces,
    postOffice: r.postOffice,
    appVersion: r.appVersion,
    at: r.at.toISOString(),
    receivedAt: r.receivedAt.toISOString(),
    unsentCompleted: r.unsentCompleted,
    oldestUnsentAt: r.oldestUnsentAt?.toISOString() ?? null,
    lastSuccessfulSyncAt: r.lastSuccessfulSyncAt?.toISOString() ?? null,
    silentDays: Math.max(0, Math.floor((now.getTime() - r.receivedAt.getTime()) / DAY_MS)),
    // The device's clock may be off: the age is measured on the device's clock up to its receipt, then on ours.
    unsentOldHours:
      r.oldestUnsentAt === null || r.unsentCompleted === 0
        ? null
        : Math.max(0, Math.floor((r.at.getTime() - r.oldestUnsentAt.getTime() + (now.getTime() - r.receivedAt.getTime())) / HOUR_MS)),
    versionBehind: currentVersion !== null && compareVersions(r.appVersion, currentVersion) < 0,
  };
}

/** The devices within a scope, filtered by staleness; the current version is the one asked for or the newest reported. */
export async function listDevices(devices: DeviceRepository, scope: FieldScope, query: DeviceListQuery, now: Date) {
  const receipts = await devices.list(scope);
  const currentVersion = query.currentVersion ?? receipts.map((r) => r.appVersion).sort(compareVersions).at(-1) ?? null;
  const views = receipts
    .map((r) => presentDevice(r, now, currentVersion))
    .filter(
      (d) =>
        (query.silentDays === undefined || d.silentDays >= query.silentDays) &&
        (query.unsentOlderThanHours === undefined || (d.unsentOldHours !== null && d.unsentOldHours >= query.unsentOlderThanHours)) &&
        (query.versionBehind === undefined || d.versionBehind === query.versionBehind),
    );
  return { currentVersion, devices: views, totals: { devices: views.length, unsentCompleted: views.reduce((sum, d) => sum + d.unsentCompleted, 0) } };
}

/**
 * At round close: the responses of a round that devices reported holding, by their latest receipts,
 * and that the server has not stored — on which devices they are.
 */
export async function unsentOnDevices(deps: { devices: DeviceRepository; responses: ResponseRepository }, scope: FieldScope, roundId: string) {
  const receipts = (await deps.devices.list(scope)).filter((r) => r.unsent.some((u) => u.roundId === roundId));
  const ids = [...new Set(receipts.flatMap((r) => r.unsent.filter((u) => u.roundId === roundId).map((u) => u.id)))];
  const stored = await deps.responses.findHashes(ids);
  const devices = receipts
    .map((r) => ({
      deviceId: r.deviceId,
      username: r.username,
      postOffice: r.postOffice,
      provinces: r.provinces,
      responseIds: r.unsent.filter((u) => u.roundId === roundId && !stored.has(u.id)).map((u) => u.id).sort(),
    }))
    .filter((d) => d.responseIds.length > 0);
  return { roundId, unsentOnDevices: new Set(devices.flatMap((d) => d.responseIds)).size, devices };
}

import { Type, type Static } from '@sinclair/typebox';
import { DATE_TIME_RULE } from '../../../survey-forms/date-time';
import { RoundId } from '../rounds/round.schema';
import { PostOfficeCode, ProvinceCode, Username } from '../users/user.schema';

/** Most unsent response ids one receipt lists: a device's outbox rarely holds more; beyond, only the count is sent. */
export const MAX_RECEIPT_IDS = 2000;

export const DeviceId = Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$', description: 'Generated once by the app on the device and kept.' });

export const DeviceReceiptBody = Type.Object(
  {
    deviceId: DeviceId,
    appVersion: Type.String({ minLength: 1, maxLength: 60 }),
    at: Type.String({ format: 'date-time', description: `When the receipt was made (device clock). ${DATE_TIME_RULE}. An older receipt never replaces a newer one.` }),
    unsentCompleted: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Completed responses the device holds and the server has not acknowledged.' }),
    oldestUnsentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the oldest of them was completed; null when none.' }),
    lastSuccessfulSyncAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'The last sync that got an answer for every item; null when never.' }),
    unsent: Type.Optional(
      Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), roundId: RoundId }, { additionalProperties: false }), {
        maxItems: MAX_RECEIPT_IDS,
        description: 'The unsent responses by id and round: what lets the server say, at round close, which responses exist only on devices.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DeviceReceiptBody = Static<typeof DeviceReceiptBody>;

export const DeviceView = Type.Object({
  deviceId: DeviceId,
  username: Username,
  provinces: Type.Array(ProvinceCode),
  postOffice: Type.Union([PostOfficeCode, Type.Null()]),
  appVersion: Type.String(),
  at: Type.String({ format: 'date-time', description: 'When the device made its latest receipt.' }),
  receivedAt: Type.String({ format: 'date-time', description: 'When the server received it.' }),
  unsentCompleted: Type.Integer(),
  oldestUnsentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastSuccessfulSyncAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  silentDays: Type.Integer({ description: 'Whole days since the server last heard from the device.' }),
  unsentOldHours: Type.Union([Type.Integer(), Type.Null()], { description: 'Age in hours of the oldest unsent response (at the latest receipt, plus the time since).' }),
  versionBehind: Type.Boolean({ description: 'The app version is older than the current one.' }),
});
export type DeviceView = Static<typeof DeviceView>;

export const DeviceListQuery = Type.Object(
  {
    province: Type.Optional(ProvinceCode),
    postOffice: Type.Optional(PostOfficeCode),
    silentDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, description: 'Only devices the server has not heard from for at least this many days.' })),
    unsentOlderThanHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'Only devices holding an unsent response older than this.' })),
    versionBehind: Type.Optional(Type.Boolean({ description: 'true: only devices on an app version behind the current one.' })),
    currentVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'The current app version; default: the newest any device reported.' })),
  },
  { additionalProperties: false },
);
export type DeviceListQuery = Static<typeof DeviceListQuery>;

export const DeviceListReply = Type.Object({
  currentVersion: Type.Union([Type.String(), Type.Null()]),
  devices: Type.Array(DeviceView),
  totals: Type.Object({
    devices: Type.Integer(),
    unsentCompleted: Type.Integer({ description: 'Unsent completed responses on the listed devices, by their latest receipts.' }),
  }),
});

export const UnsentReply = Type.Object({
  roundId: RoundId,
  unsentOnDevices: Type.Integer({ description: 'Responses of the round devices reported holding that the server does not have.' }),
  devices: Type.Array(
    Type.Object({ deviceId: DeviceId, username: Username, postOffice: Type.Union([PostOfficeCode, Type.Null()]), provinces: Type.Array(ProvinceCode), responseIds: Type.Array(Type.String()) }),
  ),
});

import { Schema, type Connection } from 'mongoose';
import type { FieldScope } from '../../../survey-forms/field-scope';
import { modelOn } from '../../db/model';

/**
 * The latest receipt of each device and user: what the device's outbox held when it last synced.
 * Keyed by user and device, so a shared device counts once per user.
 */
const receiptSchema = new Schema(
  {
    _id: { type: String, required: true },
    deviceId: { type: String, required: true },
    username: { type: String, required: true },
    provinces: { type: [String], default: [] },
    postOffice: { type: String, default: null },
    appVersion: { type: String, required: true },
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    unsentCompleted: { type: Number, required: true },
    oldestUnsentAt: { type: Date, default: null },
    lastSuccessfulSyncAt: { type: Date, default: null },
    unsent: { type: [{ _id: false, id: String, roundId: String }], default: [] },
  },
  { versionKey: false, collection: 'device_receipts' },
);
receiptSchema.index({ provinces: 1, postOffice: 1 });
receiptSchema.index({ 'unsent.roundId': 1 });

export interface DeviceReceipt {
  deviceId: string;
  username: string;
  provinces: string[];
  postOffice: string | null;
  appVersion: string;
  at: Date;
  receivedAt: Date;
  unsentCompleted: number;
  oldestUnsentAt: Date | null;
  lastSuccessfulSyncAt: Date | null;
  unsent: Array<{ id: string; roundId: string }>;
}

export type DeviceRepository = ReturnType<typeof createDeviceRepository>;

export function createDeviceRepository(connection: Connection) {
  const Receipts = modelOn(connection, 'DeviceReceipt', receiptSchema);
  const toReceipt = ({ _id, ...d }: DeviceReceipt & { _id: string }): DeviceReceipt => ({
    ...d,
    unsent: d.unsent.map((u) => ({ id: u.id, roundId: u.roundId })),
  });
  return {
    /** Keeps the receipt unless a newer one (by the device's clock) is stored; returns whether it was kept. */
    async keepLatest(receipt: DeviceReceipt): Promise<boolean> {
      const _id = `${receipt.username}|${receipt.deviceId}`;
      try {
        const result = await Receipts.updateOne({ _id, at: { $lte: receipt.at } }, { $set: receipt }, { upsert: true });
        return result.matchedCount + result.upsertedCount > 0;
      } catch (error) {
        // A newer receipt is stored: the filter missed it and the upsert met its _id.
        if ((error as { code?: number }).code === 11000) return false;
        throw error;
      }
    },
    async list(scope: FieldScope): Promise<DeviceReceipt[]> {
      const q = {
        ...(scope.provinces !== undefined ? { provinces: { $in: [...scope.provinces] } } : {}),
        ...(scope.postOffice !== undefined ? { postOffice: scope.postOffice } : {}),
      };
      const docs = await Receipts.find(q).sort({ username: 1, deviceId: 1 }).lean();
      return docs.map((d) => toReceipt(d as unknown as DeviceReceipt & { _id: string }));
    },
  };
}

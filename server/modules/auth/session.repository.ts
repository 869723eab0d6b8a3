import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../db/model';

const sessionSchema = new Schema(
  {
    /** SHA-256 of the token: a leaked database does not leak usable tokens. */
    _id: { type: String, required: true },
    username: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'sessions' },
);
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
sessionSchema.index({ username: 1 });

export type SessionRepository = ReturnType<typeof createSessionRepository>;

export function createSessionRepository(connection: Connection) {
  const Sessions = modelOn(connection, 'Session', sessionSchema);
  return {
    async insert(tokenHash: string, username: string, expiresAt: Date): Promise<void> {
      await Sessions.create({ _id: tokenHash, username, expiresAt });
    },
    /** The session's user, unless it has expired (the TTL index deletes late; we do not trust it). */
    async findLive(tokenHash: string, now: Date): Promise<{ username: string; expiresAt: Date } | undefined> {
      const doc = await Sessions.findOne({ _id: tokenHash, expiresAt: { $gt: now } }).lean();
      return doc ? { username: doc.username, expiresAt: doc.expiresAt } : undefined;
    },
    async delete(tokenHash: string): Promise<void> {
      await Sessions.deleteOne({ _id: tokenHash });
    },
    /** Ends every session of a user (deactivated, or given a new password); returns how many. */
    async deleteForUser(username: string): Promise<number> {
      return (await Sessions.deleteMany({ username })).deletedCount;
    },
  };
}

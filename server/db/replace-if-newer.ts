import { isDuplicateKeyError } from './errors';

/** Just what `replaceIfNewer` needs of a mongoose model. */
interface Replaceable {
  replaceOne(filter: object, replacement: object, options: { upsert: boolean }): PromiseLike<{ modifiedCount: number; upsertedCount: number }>;
}

/**
 * Replaces a document unless the stored one carries a higher or equal seq. Work of several
 * workers may finish out of order; the highest seq is the most complete and wins. Returns whether
 * this write was stored.
 */
export async function replaceIfNewer(model: Replaceable, id: string, seq: number, doc: Record<string, unknown>): Promise<boolean> {
  try {
    const result = await model.replaceOne({ _id: id, seq: { $lt: seq } }, { _id: id, seq, ...doc }, { upsert: true });
    return result.modifiedCount + result.upsertedCount > 0;
  } catch (error) {
    // Two writers upserting at once: the other one's insert won the unique _id, so ours is not newer.
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

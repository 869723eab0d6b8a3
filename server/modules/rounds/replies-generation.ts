/**
 * The generation of what a round's aggregates reply shows: it grows after every write that changes
 * that reply — figures saved, review counts recounted or added to, a paper form's keying state moved
 * (a change of the round record itself shows in the record). The API keeps replies by it
 * (aggregates/aggregate-reply-cache.ts), so a read that finds its reply kept costs one small document.
 * The bump comes after the write it describes: a reader that sees the new generation also sees the
 * new data. A process that dies between the two leaves a kept reply stale until the next bump or the
 * cache's age bound.
 */
import type { Connection } from 'mongoose';

export async function touchRoundReplies(connection: Connection, roundId: string): Promise<void> {
  await connection.collection<{ _id: string }>('rounds').updateOne({ _id: roundId }, { $inc: { repliesGen: 1 } });
}

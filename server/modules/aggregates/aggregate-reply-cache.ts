/**
 * Aggregates replies kept in the API process, so that a read of figures nobody changed costs the
 * round's document (one small read by id, two with a previous round) instead of the figures, the
 * review counts and the keying counts. A reply is kept per round and query under a stamp — the
 * round's record and the generation of its replies (rounds/replies-generation.ts), and the previous
 * round's — and served only while the stamp is unchanged and the reply younger than `maxAgeMs` (the
 * bound on staleness should a writer die between its write and its bump). Every API process keeps
 * its own; the stamp lives in MongoDB, so they all agree.
 */
import { createHash } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import { notFound } from '../../http/problem';
import { jsonReply, type Reply } from '../../http/reply';
import type { AggregatesQuery } from './aggregate.schema';
import { downloadAggregates, type AggregateDownloadDeps } from './aggregate-download.service';

interface Kept {
  stamp: string;
  at: number;
  etag: string;
  value: unknown;
}

export interface AggregateReplyCache {
  /** The JSON view of a round's table as `downloadAggregates` gives it, kept while nothing it shows has changed; files are never kept. */
  read(deps: AggregateDownloadDeps, roundId: string, query: Static<typeof AggregatesQuery>): Promise<unknown>;
}

export function createAggregateReplyCache(options: { maxEntries?: number; maxAgeMs?: number; now?: () => number } = {}): AggregateReplyCache {
  const maxEntries = options.maxEntries ?? 1000;
  const maxAgeMs = options.maxAgeMs ?? 30_000;
  const now = options.now ?? Date.now;
  const kept = new Map<string, Kept>();
  return {
    async read(deps, roundId, query) {
      if (query.format !== 'json' || query.download) return downloadAggregates(deps, roundId, query);
      const found = await deps.rounds.findWithRepliesGeneration(roundId);
      if (!found) throw notFound(`Round ${roundId}`);
      let stamp = `${found.repliesGen}|${JSON.stringify(found.round)}`;
      if (found.round.previousRoundId !== null) {
        const previous = await deps.rounds.findWithRepliesGeneration(found.round.previousRoundId);
        stamp += previous ? `|${previous.repliesGen}|${JSON.stringify(previous.round)}` : '|none';
      }
      const key = `${roundId}?${JSON.stringify(query)}`;
      const hit = kept.get(key);
      if (hit && hit.stamp === stamp && now() - hit.at <= maxAgeMs) return reply(hit);
      const value = await downloadAggregates(deps, roundId, query);
      const entry: Kept = { stamp, at: now(), etag: `"${createHash('sha256').update(`${key}#${stamp}`).digest('base64url')}"`, value };
      kept.delete(key);
      kept.set(key, entry);
      // The oldest stored first: a Map keeps insertion order.
      if (kept.size > maxEntries) kept.delete(kept.keys().next().value as string);
      return reply(entry);
    },
  };
}

/** The kept view with its ETag: Express answers a matching If-None-Match with 304 and no body. */
function reply(entry: Kept): Reply {
  return jsonReply(entry.value, { headers: { ETag: entry.etag } });
}

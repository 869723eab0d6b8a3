import type { Readable } from 'node:stream';

/** How long a client may keep a reply, for the replies that say so. */
export const CACHE = {
  /** Personal data (contacts) and live counts: never kept by any cache. */
  noStore: 'no-store',
  /** A published version never changes, so the client that fetched it may keep it. */
  publishedVersion: 'private, max-age=86400, immutable',
} as const;

/** What every reply may say besides its body. */
export interface ReplyOptions {
  /** @defaultValue the route's success status */
  status?: number;
  /** Sent as an attachment under this name (`Content-Disposition`); also sets the content type from its extension unless `contentType` is given. */
  fileName?: string;
  cacheControl?: string;
  headers?: Readonly<Record<string, string>>;
}

type ReplyBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'stream'; stream: Readable; length: number | null };

/**
 * What a handler returns when the route's status and plain JSON are not enough. Handlers never
 * touch the response: `server/http/route.ts` writes every reply. Build one with the functions below.
 */
export class Reply {
  readonly status: number | undefined;
  readonly fileName: string | undefined;
  readonly cacheControl: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    readonly body: ReplyBody,
    readonly contentType: string | undefined,
    options: ReplyOptions,
  ) {
    this.status = options.status;
    this.fileName = options.fileName;
    this.cacheControl = options.cacheControl;
    this.headers = options.headers ?? {};
  }
}

/** A JSON body with a status, caching or a file name of its own. */
export function jsonReply(value: unknown, options: ReplyOptions = {}): Reply {
  return new Reply({ kind: 'json', value }, undefined, options);
}

/** A text body (a CSV, say) of the given content type. */
export function textReply(text: string, contentType: string, options: ReplyOptions = {}): Reply {
  return new Reply({ kind: 'text', text }, contentType, options);
}

/**
 * A CSV file in UTF-8. Excel takes a file for UTF-8 only after a byte-order mark, so one is put
 * first unless the text starts with one already.
 */
export function csvReply(text: string, options: ReplyOptions = {}): Reply {
  return textReply(text.startsWith('\uFEFF') ? text : `\uFEFF${text}`, 'text/csv; charset=utf-8', options);
}

/** A body held in memory (an XLSX workbook, say). */
export function bytesReply(bytes: Buffer, contentType: string, options: ReplyOptions = {}): Reply {
  return new Reply({ kind: 'bytes', bytes }, contentType, options);
}

/**
 * A body read from a stream (a stored file): piped with backpressure, the stream destroyed when the
 * client goes away. `length`, when known, is sent as `Content-Length`, so a client can tell a cut-off download.
 */
export function streamReply(stream: Readable, contentType: string, options: ReplyOptions & { length?: number | null } = {}): Reply {
  return new Reply({ kind: 'stream', stream, length: options.length ?? null }, contentType, options);
}

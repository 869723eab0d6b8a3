/**
 * The content hash of a submitted item: SHA-256 of its canonical JSON (keys sorted), so equal content
 * gives an equal hash whatever the key order. It tells a re-send from a conflicting item, so the text
 * must never change for stored responses: `safe-stable-stringify` in deterministic mode. (Measured
 * against it: a hand-written walk was within noise, and JSON.stringify with a sorted list of names
 * twice as slow.) What the API saves per item: the text is made once and also serves the size bound,
 * and the digest is one call, without a hash object per item.
 */
import { hash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

const stringify = configure({ deterministic: true, circularValue: Error });

/** Canonical JSON of a value of bounded depth (see server/http/json-bounds.ts); same bytes as JSON.stringify, keys sorted. */
export function canonicalJson(value: unknown): string {
  return stringify(value) ?? '';
}

/** SHA-256 (hex) of canonical JSON text. */
export function hashOfCanonical(canonical: string): string {
  return hash('sha256', canonical, 'hex');
}

/** SHA-256 of an item in canonical JSON (keys sorted): equal content, equal hash, whatever the key order. */
export function contentHashOf(item: unknown): string {
  return hashOfCanonical(canonicalJson(item));
}

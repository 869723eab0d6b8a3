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

/**
 * Canonical JSON of a submitted item together with that of its answers, which is part of it: the
 * answers' text is made once and set in place, so the API does not walk the answers twice (they are
 * most of an item). Same bytes as `canonicalJson(item)` (test/unit/content-hash.test.ts).
 */
export function canonicalItemJson(item: unknown): { item: string; answers: string | undefined } {
  if (typeof item !== 'object' || item === null || Array.isArray(item) || !('answers' in item)) return { item: canonicalJson(item), answers: undefined };
  const record = item as Record<string, unknown>;
  const answers = stringify(record.answers);
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const text = key === 'answers' ? answers : stringify(record[key]);
    // As the stringifier does: a member whose value has no JSON text (undefined, a function) is left out.
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return { item: `{${parts.join(',')}}`, answers };
}

/** SHA-256 of an item in canonical JSON (keys sorted): equal content, equal hash, whatever the key order. */
export function contentHashOf(item: unknown): string {
  return hashOfCanonical(canonicalJson(item));
}

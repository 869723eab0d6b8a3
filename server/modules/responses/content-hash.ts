/**
 * The content hash of a submitted item: SHA-256 of its canonical JSON (keys sorted), so equal content
 * gives an equal hash whatever the key order. It tells a re-send from a conflicting item, so it must
 * never change for stored responses: the text is byte for byte what `safe-stable-stringify` in
 * deterministic mode writes (the unit test compares them on generated values), made here in one
 * plain pass because the library's general-purpose walk was the API's largest cost per item.
 */
import { hash } from 'node:crypto';

/**
 * Canonical JSON of a value parsed from JSON (plain objects, arrays, strings, numbers, booleans,
 * null): keys sorted by UTF-16 code units, no spaces, strings and numbers as JSON.stringify writes
 * them. Call only on a value of bounded depth (see server/http/json-bounds.ts).
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? '';
}

function write(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return write((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i += 1) text += (i === 0 ? '' : ',') + (write(value[i]) ?? 'null');
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const member = write(record[key]);
    if (member === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${member}`;
    first = false;
  }
  return `${text}}`;
}

/** SHA-256 (hex) of canonical JSON text; one call, no hash object per item. */
export function hashOfCanonical(canonical: string): string {
  return hash('sha256', canonical, 'hex');
}

/** SHA-256 of an item in canonical JSON (keys sorted): equal content, equal hash, whatever the key order. */
export function contentHashOf(item: unknown): string {
  return hashOfCanonical(canonicalJson(item));
}

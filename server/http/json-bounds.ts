/**
 * Bounds on free-form JSON (answers, paradata, any body). Everything downstream — the canonical-JSON
 * content hash, BSON, `JSON.stringify` — walks a value recursively and overflows the stack on a
 * value nested a few thousand levels deep (and MongoDB refuses documents nested more than 100
 * levels), so depth is measured first, here, without recursion.
 */

/** Deepest nesting the API accepts in a request body outside the batch items, which have their own bound. */
export const MAX_BODY_DEPTH = 64;

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string;
}

function pointerOf(frame: Frame): string {
  const keys: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) keys.push(f.key.replace(/~/g, '~0').replace(/\//g, '~1'));
  return keys.reverse().map((k) => `/${k}`).join('');
}

/**
 * The JSON pointer of the first array or object nested deeper than `maxDepth` (the value itself,
 * if an array or object, is depth 1), or undefined when none is. Iterative: any depth is safe.
 */
export function firstTooDeep(value: unknown, maxDepth: number): string | undefined {
  // Nearly every value is within bounds: tell that without building paths, and name the place only when it is not.
  if (!deeperThan(value, maxDepth)) return undefined;
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: '' }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const node = frame.value;
    if (typeof node !== 'object' || node === null) continue;
    if (frame.depth > maxDepth) return pointerOf(frame);
    const entries: Array<[string, unknown]> = Array.isArray(node) ? node.map((v, i) => [String(i), v]) : Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i] as [string, unknown];
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
    }
  }
  return undefined;
}

/** Whether any array or object in the value is nested deeper than `maxDepth`; iterative, no path kept. */
function deeperThan(value: unknown, maxDepth: number): boolean {
  const nodes: unknown[] = [value];
  const depths: number[] = [1];
  for (let node = nodes.pop(); node !== undefined; node = nodes.pop()) {
    const depth = depths.pop() as number;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** Bytes of a value as JSON text. Call only on a value whose depth is bounded (see {@link firstTooDeep}). */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

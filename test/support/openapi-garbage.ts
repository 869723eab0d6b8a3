/**
 * Generated requests for every operation of the API's own OpenAPI document: path parameters, query
 * strings, bodies, content types and encodings, and authorisation headers, from well-formed to
 * garbage. Bodies follow the operation's schema much of the time (so handlers, not only validation,
 * see odd but valid values), and break it in every way a client can.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';

type Schema = Record<string, unknown>;

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, e.g. `/api/v1/rounds/{roundId}`. */
  path: string;
  pathParams: Array<{ name: string; schema: Schema }>;
  queryParams: Array<{ name: string; schema: Schema }>;
  body: Schema | undefined;
  public: boolean;
  /** The roles the operation is for (`x-roles`); empty when public. */
  roles: string[];
}

export interface GeneratedRequest {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/** The operations of an OpenAPI 3.1 document as the API writes it. */
export function operationsOf(document: { paths: Record<string, Record<string, Schema>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => {
      const parameters = (op.parameters ?? []) as Array<{ name: string; in: string; schema: Schema }>;
      const requestBody = op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined;
      return {
        method: method as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body: requestBody?.content?.['application/json']?.schema,
        public: Array.isArray(op.security) && op.security.length === 0,
        roles: Array.isArray(op['x-roles']) ? (op['x-roles'] as string[]) : [],
      };
    }),
  );
}

/** Percent-encodings no decoder accepts, and other path-segment trouble. */
const BAD_SEGMENTS = ['%zz', '%c0%ae%c0%ae', '%FF%FE', '%E0%A4%A', '%', '%2', '%00', '%2e%2e', '..', '%2F', '%u0041', 'a'.repeat(500)];
const ODD_DATE_TIMES = ['2024-08-01T23:59:60Z', '2024-08-01T01:00:00.5+01', '2024-02-30T00:00:00Z', '2024-08-01T24:00:00Z', '0000-00-00T00:00:00Z', '2024-08-01T01:00:00+99:99', '2024-08-01', '1e400', ''];
const ODD_DATES = ['2024-02-30', '2024-13-01', '0000-00-00', '2024-8-1', '99999-01-01', ''];

/** Any text, lone surrogates and control characters included; made safe to send (well-formed UTF-16). */
const anyText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', maxLength }).map((s) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

/** Values that follow a JSON schema of the subset TypeBox writes, with some values that do not. */
export function fromSchema(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (typeof schema.$ref === 'string') return fromSchema(components[schema.$ref.replace('#/components/schemas/', '')], components, depth + 1);
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, components, depth + 1)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? (schema.type[0] as string) : (schema.type as string | undefined);
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      const model = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, fromSchema(s, components, depth + 1)]));
      const known = fc.record(model, { requiredKeys: required.filter((k) => k in model) });
      const extra = schema.additionalProperties !== false || schema.patternProperties !== undefined;
      if (!extra) return known;
      const values = Object.values((schema.patternProperties ?? {}) as Record<string, Schema>)[0] ?? (typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as Schema) : undefined);
      return fc.tuple(known, fc.dictionary(anyText(12), fromSchema(values, components, depth + 1), { maxKeys: 3 })).map(([k, d]) => ({ ...d, ...(k as object) }));
    }
    case 'array':
      return fc.array(fromSchema(schema.items as Schema | undefined, components, depth + 1), {
        minLength: Math.min(Number(schema.minItems ?? 0), 3),
        maxLength: Math.min(Number(schema.maxItems ?? 4), 4),
      });
    case 'string': {
      if (schema.format === 'date-time') return fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom(...ODD_DATE_TIMES));
      if (schema.format === 'date') return fc.oneof(fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString().slice(0, 10)), fc.constantFrom(...ODD_DATES));
      if (schema.format === 'uuid') return fc.oneof(fc.uuid(), anyText());
      if (typeof schema.pattern === 'string') return fc.oneof({ weight: 3, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) }, { weight: 1, arbitrary: anyText() });
      return anyText(Math.min(Number(schema.maxLength ?? 60), 60));
    }
    case 'integer':
      return fc.oneof(fc.integer({ min: Number(schema.minimum ?? -1000), max: Number(schema.maximum ?? 100_000) }), fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 31)));
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: Number(schema.minimum ?? -1e9), max: Number(schema.maximum ?? 1e9) }), fc.constantFrom(-0, 1e308, 5e-324));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 3 });
  }
}

/** `{"a":{"a":…}}` nested `depth` levels. */
const nested = (depth: number): string => '{"a":'.repeat(depth) + '0' + '}'.repeat(depth);

/** A generated value as the text of a path segment or a query value. */
const asText = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** A path segment: a real id, a schema-shaped value, any text, or broken percent-encoding (sent raw). */
function segment(param: { name: string; schema: Schema }, known: Readonly<Record<string, string>>, components: Record<string, Schema>): fc.Arbitrary<string> {
  const real = known[param.name];
  return fc.oneof(
    { weight: 3, arbitrary: real !== undefined ? fc.constant(encodeURIComponent(real)) : fromSchema(param.schema, components).map((v) => encodeURIComponent(asText(v))) },
    { weight: 2, arbitrary: fromSchema(param.schema, components).map((v) => encodeURIComponent(asText(v))) },
    { weight: 1, arbitrary: anyText().map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_SEGMENTS) },
  );
}

function queryString(op: Operation, components: Record<string, Schema>): fc.Arbitrary<string> {
  const pair = (name: string, schema: Schema | undefined) =>
    fc.oneof(
      { weight: 3, arbitrary: fromSchema(schema, components).map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(asText(v))}`) },
      { weight: 1, arbitrary: anyText().map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`) },
      { weight: 1, arbitrary: fc.constantFrom(...BAD_SEGMENTS).map((v) => `${encodeURIComponent(name)}=${v}`) },
    );
  const pairs = fc.array(
    fc.oneof(
      ...(op.queryParams.length > 0 ? [fc.constantFrom(...op.queryParams).chain((p) => pair(p.name, p.schema))] : []),
      anyText(10).chain((name) => pair(name, undefined)),
      fc.constantFrom('%zz=1', '=', '&&', 'a[b]=c', 'limit=1&limit=2', '__proto__=x', 'constructor[prototype][x]=1'),
    ),
    { maxLength: 4 },
  );
  return pairs.map((p) => (p.length > 0 ? `?${p.join('&')}` : ''));
}

/** Every JSON pointer into a value (the value itself is ''), as key lists. */
function pointersOf(value: unknown, at: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [at];
  return [at, ...Object.entries(value).flatMap(([k, v]) => pointersOf(v, [...at, k]))];
}

/** A copy of `value` with the value at `pointer` replaced (or removed, for `undefined`). */
function replaceAt(value: unknown, pointer: string[], replacement: unknown): unknown {
  if (pointer.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string, unknown>;
  let node = copy;
  for (const key of pointer.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = pointer[pointer.length - 1] as string;
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy;
}

/** A valid body with one value somewhere in it replaced by something odd: what reaches handlers, not only validation. */
function mutated(example: unknown): fc.Arbitrary<string> {
  const odd = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(...ODD_DATE_TIMES, ...ODD_DATES, undefined, null, -1, 0, 1e308, '', ' ', '\u0000', 'x'.repeat(10_000), '01', '99', '__proto__'),
    fc.constant(JSON.parse(nested(40)) as unknown),
    anyText(),
  );
  return fc.tuple(fc.constantFrom(...pointersOf(example)), odd).map(([pointer, value]) => JSON.stringify(replaceAt(example, pointer, value)) ?? 'null');
}

/** The body as bytes, its Content-Type and Content-Encoding: mostly JSON that fits or almost fits, sometimes anything. */
function body(
  op: Operation,
  components: Record<string, Schema>,
  example: unknown,
): fc.Arbitrary<{ bytes: Buffer | undefined; type: string | undefined; encoding: string | undefined }> {
  const text = fc.oneof(
    ...(example !== undefined ? [{ weight: 5, arbitrary: mutated(example) }] : []),
    { weight: op.body ? 5 : 1, arbitrary: fromSchema(op.body, components).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.constantFrom(nested(40), nested(70), nested(5000), `{"responses":[${nested(3000)}]}`, '[' .repeat(20_000) + ']'.repeat(20_000)) },
    { weight: 1, arbitrary: fc.oneof(anyText(200), fc.constantFrom('{"a":', '{"a":1}}', '\u0000', '\uFEFF{}', 'null', '"x"', '1e999')) },
  );
  const type = fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(undefined, 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'application/merge-patch+json', 'multipart/form-data; boundary=x', '*/*', ';;;'),
    },
  );
  const encoding = fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'gzip, br', 'x-unknown') },
  );
  const compressedRight = fc.boolean();
  // Operations without a body mostly get none: a body there only meets the parser.
  const drawn = fc.oneof({ weight: op.body ? 1 : 3, arbitrary: fc.constant(null) }, { weight: op.body ? 9 : 1, arbitrary: fc.tuple(text, type, encoding, compressedRight) });
  return drawn.map((drawn) => {
    if (drawn === null) return { bytes: undefined, type: undefined, encoding: undefined };
    const [t, contentType, contentEncoding, right] = drawn;
    const raw = Buffer.from(t, 'utf8');
    const bytes = !right
      ? raw
      : contentEncoding === 'gzip'
        ? gzipSync(raw)
        : contentEncoding === 'br'
          ? brotliCompressSync(raw)
          : contentEncoding === 'deflate'
            ? deflateSync(raw)
            : raw;
    return { bytes, type: contentType, encoding: contentEncoding };
  });
}

/**
 * Requests to one operation, from well-formed to garbage. `known` are real ids by parameter name,
 * `tokens` bearer tokens by role (those the operation is for are sent most), `example` a valid body
 * of the operation to mutate.
 */
export function requestsFor(
  op: Operation,
  components: Record<string, Schema>,
  known: Readonly<Record<string, string>>,
  tokens: Readonly<Record<string, string>>,
  example?: unknown,
): fc.Arbitrary<GeneratedRequest> {
  const segments = fc.tuple(...op.pathParams.map((p) => segment(p, known, components)));
  const fitting = op.roles.flatMap((r) => (tokens[r] !== undefined ? [tokens[r]] : []));
  const authorization = fc.oneof(
    ...(fitting.length > 0 ? [{ weight: 6, arbitrary: fc.constantFrom(...fitting).map((t) => `Bearer ${t}`) }] : []),
    { weight: 2, arbitrary: fc.constantFrom(...Object.values(tokens)).map((t) => `Bearer ${t}`) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', `Bearer ${'x'.repeat(5000)}`, 'bearer  two words') },
    { weight: 1, arbitrary: anyText(30).map((t) => `Bearer ${encodeURIComponent(t)}`) },
  );
  const accept = fc.constantFrom(undefined, 'application/json', 'text/csv', '*/*', 'application/xml', ';q=x');
  return fc.tuple(segments, queryString(op, components), body(op, components, example), authorization, accept).map(([values, query, b, auth, acc]) => {
    let i = 0;
    const path = op.path.replace(/\{[^}]+\}/g, () => values[i++] ?? '');
    const headers: Record<string, string> = {};
    if (auth !== undefined) headers.Authorization = auth;
    if (acc !== undefined) headers.Accept = acc;
    if (b.type !== undefined) headers['Content-Type'] = b.type;
    if (b.encoding !== undefined) headers['Content-Encoding'] = b.encoding;
    return { method: op.method, url: path + query, headers, body: b.bytes };
  });
}

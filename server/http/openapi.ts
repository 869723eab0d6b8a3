import type { TSchema } from '@sinclair/typebox';
import { ERROR_CODES } from '../../survey-forms/codes';
import type { RouteSpec } from './route';

type JsonObject = Record<string, unknown>;

const ErrorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: [...ERROR_CODES] },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
          },
        },
      },
    },
  },
};

/**
 * Plain JSON Schema out of a TypeBox schema: schemas with an `$id` go to components, and refs to
 * them point there.
 */
function toJsonSchema(schema: TSchema, components: Record<string, unknown>): unknown {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$id') continue;
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
        out.$ref = `#/components/schemas/${value}`;
        continue;
      }
      out[key] = walk(value);
    }
    const id = (node as JsonObject).$id;
    if (typeof id === 'string') {
      components[id] ??= out;
      return { $ref: `#/components/schemas/${id}` };
    }
    return out;
  };
  return walk(schema);
}

function pathParameters(route: RouteSpec, components: Record<string, unknown>): unknown[] {
  const params: unknown[] = [];
  const add = (schema: TSchema | undefined, where: 'path' | 'query'): void => {
    if (!schema) return;
    const required = new Set<string>((schema.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>)) {
      params.push({
        name,
        in: where,
        required: where === 'path' || (required.has(name) && property.default === undefined),
        description: property.description,
        schema: toJsonSchema(property, components),
      });
    }
  };
  add(route.params, 'path');
  add(route.query, 'query');
  return params;
}

/**
 * The OpenAPI 3.1 document of the API, written from the same route specs that serve requests.
 * `referenced` are schemas with an `$id` that route schemas point to by `Type.Ref`.
 */
export function buildOpenApi(routes: ReadonlyArray<RouteSpec>, version: string, referenced: ReadonlyArray<TSchema> = []): JsonObject {
  const components: Record<string, unknown> = { ErrorBody };
  for (const schema of referenced) toJsonSchema(schema, components);
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: JsonObject = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      const content: JsonObject = {};
      if (Number(status) >= 400) content['application/json'] = { schema: { $ref: '#/components/schemas/ErrorBody' } };
      else if (spec.schema) content['application/json'] = { schema: toJsonSchema(spec.schema, components) };
      for (const type of spec.contentTypes ?? []) content[type] = { schema: { type: 'string' } };
      responses[status] = { description: spec.description, ...(Object.keys(content).length > 0 ? { content } : {}) };
    }
    if (route.body && !responses['400']) {
      responses['400'] = {
        description: 'The request is not valid (`validation_failed`, each problem in `details`), or its body cannot be read under its Content-Encoding (`unreadable_body`)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      };
    }
    if ((route.params || route.query) && !responses['400']) {
      responses['400'] = {
        description: 'A path or query parameter is not valid: not of its format, or not valid percent-encoded UTF-8 (`validation_failed`, `details` name it: /params/<name>, /query/<name>)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      };
    }
    if (route.access !== 'public') {
      responses['401'] ??= { description: 'No valid token', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
      responses['403'] ??= { description: 'Role not allowed', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
    }
    const operation: JsonObject = {
      operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.access === 'public' ? { security: [] } : { 'x-roles': route.access.roles }),
      parameters: pathParameters(route, components),
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: toJsonSchema(route.body, components) } } } }
        : {}),
      responses,
    };
    (paths[path] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SIPAS survey platform API',
      version,
      description:
        'Questionnaires, survey rounds, response submission and satisfaction figures of the SIPAS survey. ' +
        'Log in with POST /api/v1/auth/login and send the token as `Authorization: Bearer <token>`. ' +
        'Errors are `{ "error": { "code", "message", "details"? } }` with a code of the catalogue (`survey-forms/codes.ts`); no input is answered with a 5xx. ' +
        'Every reply carries `X-Content-Type-Options: nosniff` and `Cache-Control: no-store`, except published questionnaire and index definition versions, which a client may keep. ' +
        'Date-times are RFC 3339 with seconds 00–59 and an offset `Z` or `±hh:mm`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}

import { Type, type SchemaOptions, type TUnsafe } from '@sinclair/typebox';

/**
 * A string enum as a plain JSON Schema `enum`: ajv then reports "must be one of …" once,
 * where a union of literals would report one error per literal.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

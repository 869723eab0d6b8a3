import type { Connection, Schema } from 'mongoose';

/**
 * The model of a schema on a connection. Several repositories (the API's and the worker's, in one
 * test process) may ask for the same model; the connection keeps one.
 */
export function modelOn<S extends Schema>(connection: Connection, name: string, schema: S) {
  if (connection.models[name]?.schema === schema) return connection.model(name, schema, undefined, { overwriteModels: false });
  if (connection.models[name]) connection.deleteModel(name);
  return connection.model(name, schema);
}

import type { mongo } from 'mongoose';
import type { TestSystem } from './system';

/** A stored document as a test sees it: every collection of ours keys its documents by a string. */
export interface StoredDocument {
  _id: string;
  [field: string]: unknown;
}

/**
 * A collection of the test system's database, by its name (`responses`, `sample_units`, `exports`,
 * `sessions`, …), through the API's own connection: for tests that check or arrange what the API
 * cannot show or do. Repositories keep their models to themselves.
 */
export function collection(system: TestSystem, name: string): mongo.Collection<StoredDocument> {
  const db = system.web.deps.connection.db;
  if (!db) throw new Error('the test system is not connected to MongoDB');
  return db.collection<StoredDocument>(name);
}

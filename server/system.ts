import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { loadFormCatalogue, loadIndexDefinitionCatalogue, type FormCatalogue, type IndexDefinitionCatalogue } from '../survey-forms/catalogue';
import { indexDefinitionsDir, surveyFormsDir } from '../survey-forms/paths';
import { loadProvinceReference, type ProvinceReference } from '../survey-forms/provinces';
import type { Config } from './config';
import { createRepositories, type Repositories } from './deps';
import { heartbeatBoundMs, watchHeartbeats } from './db/heartbeat-watch';
import { passwordProblems } from './modules/users/password-policy';
import { dropRetiredResponseIndexes } from './modules/responses/response.model';
import { ensureFirstAdmin } from './modules/users/user.service';
import path from 'node:path';

/** What both the API and the worker need: checked data, a MongoDB connection, the repositories. */
export interface Foundation {
  connection: Connection;
  repos: Repositories;
  forms: FormCatalogue;
  definitions: IndexDefinitionCatalogue;
  provinces: ProvinceReference;
}

/**
 * Loads and checks questionnaires, index definitions and reference data (a bad file stops start-up before any
 * connection), then connects to MongoDB and makes sure the indexes exist.
 */
export async function openFoundation(config: Config, logger: Logger, options: { timeoutMS?: number } = {}): Promise<Foundation> {
  const forms = loadFormCatalogue(surveyFormsDir());
  const definitions = loadIndexDefinitionCatalogue(indexDefinitionsDir(), forms);
  const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
  logger.info(
    {
      forms: forms.list().map((f) => `${f.definition.formId}@${f.definition.version}`),
      indexDefinitions: definitions.list().map((d) => `${d.definition.definitionId}@${d.definition.version}`),
    },
    'questionnaires, index definitions and reference data checked',
  );

  // The API bounds every wait for MongoDB (a request is better answered 503 than left hanging); the
  // worker's long reads keep the driver's defaults, but its connecting and handshakes get 10 s (the
  // heartbeat watch's bound follows from it). Each attempt gets half the time, as the driver
  // retries a read or write once. The socket timeout applies per round trip, so a long cursor (a
  // download) is not cut while its batches keep coming, as a deadline for the whole would.
  // (Mongoose reads `bufferTimeoutMS` from the connection's options; its types do not list it.)
  const attemptMS = options.timeoutMS !== undefined ? Math.ceil(options.timeoutMS / 2) : undefined;
  const bounded: mongoose.ConnectOptions & { bufferTimeoutMS?: number } =
    attemptMS !== undefined ? { socketTimeoutMS: attemptMS, bufferTimeoutMS: attemptMS } : {};
  const connectTimeoutMS = attemptMS ?? 10_000;
  const connection = mongoose.createConnection(config.MONGODB_URI, {
    dbName: config.MONGODB_DB,
    serverSelectionTimeoutMS: attemptMS ?? 10_000,
    connectTimeoutMS,
    autoIndex: false,
    ...bounded,
  });
  await connection.asPromise();
  // A heartbeat the driver never ends would leave this process cut from MongoDB for good (see heartbeat-watch.ts).
  watchHeartbeats(connection, { logger, boundMs: heartbeatBoundMs({ connectTimeoutMS, heartbeatFrequencyMS: 10_000 }) });
  const repos = createRepositories(connection);
  await Promise.all(Object.values(connection.models).map((model) => model.createIndexes()));
  await dropRetiredResponseIndexes(connection);
  logger.info({ db: config.MONGODB_DB }, 'connected to MongoDB');

  if (config.ADMIN_USERNAME && config.ADMIN_PASSWORD) {
    if (await ensureFirstAdmin(repos.users, config.ADMIN_USERNAME, config.ADMIN_PASSWORD)) {
      const weak = passwordProblems(config.ADMIN_PASSWORD, config.ADMIN_USERNAME).map((p) => p.code);
      logger.info({ username: config.ADMIN_USERNAME }, 'created the first administrator');
      if (weak.length > 0) logger.warn({ username: config.ADMIN_USERNAME, weak }, 'ADMIN_PASSWORD breaks the password policy: change it');
    }
  }
  return { connection, repos, forms, definitions, provinces };
}

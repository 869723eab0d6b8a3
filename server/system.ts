import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { loadFormCatalogue, loadIndexDefinitionCatalogue, type FormCatalogue, type IndexDefinitionCatalogue } from '../survey-forms/catalogue';
import { indexDefinitionsDir, surveyFormsDir } from '../survey-forms/paths';
import { loadProvinceReference, type ProvinceReference } from '../survey-forms/provinces';
import type { Config } from './config';
import { createRepositories, type Repositories } from './deps';
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
export async function openFoundation(config: Config, logger: Logger): Promise<Foundation> {
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

  const connection = mongoose.createConnection(config.MONGODB_URI, {
    dbName: config.MONGODB_DB,
    serverSelectionTimeoutMS: 10_000,
    autoIndex: false,
  });
  await connection.asPromise();
  const repos = createRepositories(connection);
  await Promise.all(Object.values(connection.models).map((model) => model.createIndexes()));
  await dropRetiredResponseIndexes(connection);
  logger.info({ db: config.MONGODB_DB }, 'connected to MongoDB');

  if (config.ADMIN_USERNAME && config.ADMIN_PASSWORD) {
    if (await ensureFirstAdmin(repos.users, config.ADMIN_USERNAME, config.ADMIN_PASSWORD)) {
      logger.info({ username: config.ADMIN_USERNAME }, 'created the first administrator');
    }
  }
  return { connection, repos, forms, definitions, provinces };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, configVariables, loadConfig } from '../../server/config';
import { projectRoot } from '../../survey-forms/paths';

const minimal = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/sipas',
  REDIS_URL: 'redis://127.0.0.1:6379',
  PERSONAL_DATA_KEY: 'q2J1b3VwbGVhc2V0aGlzaXNqdXN0MzJieXRlc2tleSE=',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  test('when only the required variables are set, then defaults fill the rest', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', QUEUE_PREFIX: 'sipas', LOG_LEVEL: 'info', SESSION_TTL_HOURS: 12, MONGODB_DB: 'sipas' });
  });

  test('when PORT is a number in a string, then it is read as an integer', () => {
    expect(loadConfig({ ...minimal, PORT: '8080' }).PORT).toBe(8080);
  });

  test('when MONGODB_URI, REDIS_URL and PERSONAL_DATA_KEY are missing, then each is named', () => {
    expect(problemsOf({})).toEqual(['MONGODB_URI: is required', 'REDIS_URL: is required', 'PERSONAL_DATA_KEY: is required']);
  });

  test('when a value is bad, then the message names the variable, the rule and the value given', () => {
    expect(problemsOf({ ...minimal, PORT: 'eighty' })).toEqual(['PORT: must be of type integer (got "eighty")']);
    expect(problemsOf({ ...minimal, PORT: '70000' })).toEqual(['PORT: must be <= 65535 (got "70000")']);
    expect(problemsOf({ ...minimal, REDIS_URL: 'localhost:6379' })[0]).toMatch(/^REDIS_URL: must match the pattern/);
    expect(problemsOf({ ...minimal, LOG_LEVEL: 'loud' })[0]).toMatch(/^LOG_LEVEL: must be one of "fatal"/);
  });

  test('when only one of ADMIN_USERNAME and ADMIN_PASSWORD is set, then start-up is refused', () => {
    expect(problemsOf({ ...minimal, ADMIN_USERNAME: 'admin' })).toEqual(['ADMIN_USERNAME and ADMIN_PASSWORD: set both or neither']);
  });

  test('when ADMIN_PASSWORD is short, then it is refused without echoing it', () => {
    expect(problemsOf({ ...minimal, ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'short' })).toEqual(['ADMIN_PASSWORD: must have at least 8 characters']);
  });

  test('when PERSONAL_DATA_KEY is not 32 bytes of base64, then it is refused without echoing it', () => {
    const problems = problemsOf({ ...minimal, PERSONAL_DATA_KEY: 'secret-but-too-short' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PERSONAL_DATA_KEY: must match the pattern/);
    expect(problems[0]).not.toContain('secret-but-too-short');
  });

  test('when the URI names a database, then it is used unless MONGODB_DB says otherwise', () => {
    expect(loadConfig({ ...minimal, MONGODB_URI: 'mongodb://h:1/survey?replicaSet=rs0' }).MONGODB_DB).toBe('survey');
    expect(loadConfig({ ...minimal, MONGODB_DB: 'other' }).MONGODB_DB).toBe('other');
  });

  test('when WORKER_QUEUES names queues, then only known ones are taken, and by default all', () => {
    expect(loadConfig(minimal).WORKER_QUEUES).toBe('aggregation,quality,exports');
    expect(loadConfig({ ...minimal, WORKER_QUEUES: 'exports' }).WORKER_QUEUES).toBe('exports');
    expect(problemsOf({ ...minimal, WORKER_QUEUES: 'exports,mail' })[0]).toMatch(/^WORKER_QUEUES: must match the pattern .* \(got "exports,mail"\)$/);
  });

  test('when the variables are listed, then every one has a description', () => {
    const variables = configVariables();
    expect(variables.map((v) => v.name)).toEqual(expect.arrayContaining(['PORT', 'MONGODB_URI', 'REDIS_URL']));
    for (const v of variables) expect(v.description.length).toBeGreaterThan(10);
  });
});

describe('documentation', () => {
  test('when the README lists configuration, then every variable the schema knows is in its table', () => {
    const readme = readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(configVariables().map((v) => v.name).sort());
  });
});

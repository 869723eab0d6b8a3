import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { createAjv, describeAjvErrors } from '../survey-forms/ajv';
import { StringEnum } from '../survey-forms/typebox';

/**
 * Every environment variable the API and the worker read. Each entry documents itself; the README's
 * table is written from these descriptions.
 */
export const ConfigSchema = Type.Object(
  {
    PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'HTTP port of the API (0 picks a free one).' }),
    HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address the API listens on.' }),
    MONGODB_URI: Type.String({
      pattern: '^mongodb(\\+srv)?://',
      description: 'MongoDB connection string, e.g. mongodb://127.0.0.1:27017/sipas?replicaSet=rs0.',
    }),
    MONGODB_DB: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9_-]{1,63}$', description: 'Database name; default: the one in MONGODB_URI, else "sipas".' }),
    ),
    REDIS_URL: Type.String({ pattern: '^rediss?://', description: 'Redis for the job queues, e.g. redis://127.0.0.1:6379.' }),
    QUEUE_PREFIX: Type.String({
      pattern: '^[A-Za-z0-9_-]{1,40}$',
      default: 'sipas',
      description: 'Prefix of the BullMQ keys in Redis, so several installations can share one Redis.',
    }),
    ADMIN_USERNAME: Type.Optional(
      Type.String({ pattern: '^[a-z0-9._-]{3,40}$', description: 'First administrator, created at start-up when no user of that name exists.' }),
    ),
    ADMIN_PASSWORD: Type.Optional(
      Type.String({ minLength: 8, maxLength: 200, description: 'Password of ADMIN_USERNAME (at least 8 characters).' }),
    ),
    SESSION_TTL_HOURS: Type.Number({ exclusiveMinimum: 0, maximum: 24 * 90, default: 12, description: 'How long a login token stays valid.' }),
    LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: Type.Integer({
      minimum: 1,
      maximum: 10000,
      default: 10,
      description:
        'Login attempts one username may fail within LOGIN_WINDOW_SECONDS (counted in Redis across API processes, known and unknown ' +
        'usernames alike); the next is answered 429 with Retry-After and the account stays locked for LOGIN_LOCK_SECONDS.',
    }),
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: Type.Integer({
      minimum: 1,
      maximum: 100000,
      default: 100,
      description: 'Login attempts one client address may fail within LOGIN_WINDOW_SECONDS, whatever the usernames; then 429 as above.',
    }),
    LOGIN_WINDOW_SECONDS: Type.Integer({ minimum: 1, maximum: 86400, default: 900, description: 'The window in which failed login attempts are counted.' }),
    LOGIN_LOCK_SECONDS: Type.Integer({
      minimum: 1,
      maximum: 86400,
      default: 900,
      description: 'How long an account or address that reached its limit is refused (429, even with the right password).',
    }),
    PASSWORD_HASH_CONCURRENCY: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 1,
      description:
        'Passwords hashed or verified at once per API process (argon2id, about 20 MiB and one core each); others wait their turn, ' +
        'so a storm of logins never starves other requests.',
    }),
    MONGODB_TIMEOUT_MS: Type.Integer({
      minimum: 100,
      maximum: 600000,
      default: 10000,
      description:
        'How long an API request waits for MongoDB before it is answered 503 not_ready: server selection, connecting and each round ' +
        'trip get half of it each, as the driver tries a read or write twice.',
    }),
    SHUTDOWN_DRAIN_SECONDS: Type.Number({
      minimum: 0,
      maximum: 3600,
      default: 10,
      description:
        'On SIGTERM the API stops taking connections and lets requests in flight finish for up to this long before it closes the rest.',
    }),
    LOG_LEVEL: StringEnum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      default: 'info',
      description: 'Log level of the JSON logs.',
    }),
    PERSONAL_DATA_KEY: Type.String({
      pattern: '^[A-Za-z0-9+/]{43}=$',
      description:
        'Key that encrypts the names, phones and addresses of the sample list at rest (AES-256-GCM): 32 random bytes in base64, ' +
        'e.g. from `openssl rand -base64 32`. Keep it apart from database backups; without it the personal data cannot be read.',
    }),
    SWEEP_INTERVAL_SECONDS: Type.Integer({
      minimum: 1,
      maximum: 86400,
      default: 60,
      description: 'How often the worker looks for stored responses that were never checked or aggregated (Redis was down).',
    }),
    QUALITY_STRAIGHT_LINING_MIN_ITEMS: Type.Integer({
      minimum: 2,
      maximum: 200,
      default: 8,
      description: 'Straight-lining is judged only on responses with at least this many valid satisfaction answers (all the same: flagged).',
    }),
    QUALITY_OVERLAP_TOLERANCE_SECONDS: Type.Integer({
      minimum: 0,
      maximum: 3600,
      default: 60,
      description: 'Two interviews of one enumerator may overlap this long (clock drift, a handover) without a flag.',
    }),
    QUALITY_OUT_OF_AREA_KM: Type.Number({
      minimum: 0,
      maximum: 1000,
      default: 20,
      description: 'A location further than this outside its province\'s uploaded area (less the GPS accuracy) is flagged out of area.',
    }),
    WORKER_QUEUES: Type.String({
      pattern: '^(aggregation|quality|exports)(,(aggregation|quality|exports))*$',
      default: 'aggregation,quality,exports',
      description:
        'Queues a worker process takes, comma-separated. docker-compose runs exports in a process of their own with a capped heap, ' +
        'so a large file never competes with aggregation for memory.',
    }),
    EXPORT_TTL_HOURS: Type.Number({
      exclusiveMinimum: 0,
      maximum: 24 * 30,
      default: 24,
      description: 'How long a finished export (microdata file) can be downloaded; the worker then deletes it.',
    }),
    RESPONDENT_RATE_PER_TOKEN: Type.Integer({
      minimum: 1,
      maximum: 100000,
      default: 120,
      description: 'Requests one respondent link (page and API) may make in 10 minutes; past that it gets 429 until the window moves on.',
    }),
    RESPONDENT_RATE_PER_ADDRESS: Type.Integer({
      minimum: 1,
      maximum: 1000000,
      default: 600,
      description: 'Requests with respondent tokens one address may make in 10 minutes (a household or an office may share one address).',
    }),
    RESPONDENT_GUESSES_PER_ADDRESS: Type.Integer({
      minimum: 1,
      maximum: 10000,
      default: 20,
      description: 'Unknown respondent tokens one address may send in 15 minutes; each is logged and answered more slowly, and past this the address is refused for 15 minutes.',
    }),
    PUBLIC_URL: Type.Optional(
      Type.String({
        pattern: '^https?://[^/?#\\s]+$',
        description: 'The address respondents reach the server at, e.g. https://sipas.example.vn (no path): printed on paper forms with each respondent link. Default: the address the print was asked at.',
      }),
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema> & { MONGODB_DB: string };

/** The quality checks' thresholds from the configuration (the too-fast one comes from the questionnaire). */
export function qualityThresholdsOf(config: Config): { straightLiningMinItems: number; overlapToleranceSeconds: number; outOfAreaKm: number } {
  return {
    straightLiningMinItems: config.QUALITY_STRAIGHT_LINING_MIN_ITEMS,
    overlapToleranceSeconds: config.QUALITY_OVERLAP_TOLERANCE_SECONDS,
    outOfAreaKm: config.QUALITY_OUT_OF_AREA_KM,
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`configuration is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Variables whose values never appear in an error message. */
const SECRETS: ReadonlySet<string> = new Set(['ADMIN_PASSWORD', 'PERSONAL_DATA_KEY']);

const ajv = createAjv({ coerceTypes: true });
const check = ajv.compile(ConfigSchema);

/** The variables this schema knows, for docs and for picking them out of the environment. */
export function configVariables(): Array<{ name: string; required: boolean; description: string; default?: unknown }> {
  const required = new Set<string>(ConfigSchema.required ?? []);
  return Object.entries(ConfigSchema.properties).map(([name, schema]: [string, TSchema]) => ({
    name,
    required: required.has(name) && schema.default === undefined,
    description: String(schema.description ?? ''),
    ...(schema.default !== undefined ? { default: schema.default as unknown } : {}),
  }));
}

/**
 * Reads and checks the configuration. A missing or bad value stops start-up with a message that
 * names the variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const problems: string[] = [];
  if (!check(raw)) {
    for (const p of describeAjvErrors(check.errors)) {
      const name = p.path.replace(/^\//, '');
      const given = env[name];
      problems.push(`${name}: ${p.message}${given !== undefined && p.code !== 'required' && !SECRETS.has(name) ? ` (got ${JSON.stringify(given)})` : ''}`);
    }
  }
  if ((raw.ADMIN_USERNAME === undefined) !== (raw.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_USERNAME and ADMIN_PASSWORD: set both or neither');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = raw as Static<typeof ConfigSchema>;
  return { ...config, MONGODB_DB: config.MONGODB_DB ?? databaseNameOf(config.MONGODB_URI) ?? 'sipas' };
}

function databaseNameOf(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A free TCP port on loopback, as the OS hands it out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a private redis-server on a free loopback port. Memory-only unless `dir` is given, so test
 * runs never share state with each other or with a Redis already on the machine.
 */
export async function startRedisServer(options: { dir?: string; port?: number } = {}): Promise<RunningService> {
  // A given port lets a test restart "the same" Redis, empty, where its clients reconnect.
  const port = options.port ?? (await freePort());
  const persistence = options.dir ? ['--dir', options.dir, '--appendonly', 'yes'] : ['--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', ...persistence, '--daemonize', 'no', '--loglevel', 'warning'],
    { stdio: 'ignore' },
  );
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not start redis-server (is it installed?): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${String(code)}`)));
  });
  failed.catch(() => undefined);
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await Promise.race([client.connect().then(() => client.ping()), failed]);
      client.disconnect();
      break;
    } catch (error) {
      client.disconnect();
      if (Date.now() > deadline || child.exitCode !== null) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A MongoDB from mongodb-memory-server, which downloads mongod where the internet is reachable.
 * In memory, or kept in `dbPath` when given. Undefined, with the reason in one line, when it fails.
 */
export async function startEmbeddedMongo(options: { dbPath?: string } = {}): Promise<{ service?: RunningService; unavailable?: string }> {
  // mongodb-memory-server prints its own long report on failure; the caller prints one line instead.
  const quiet = { error: console.error, warn: console.warn };
  console.error = () => undefined;
  console.warn = () => undefined;
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    const server = await Promise.race([
      MongoMemoryServer.create(options.dbPath ? { instance: { dbPath: options.dbPath, storageEngine: 'wiredTiger' } } : {}),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('mongodb-memory-server did not start within 120 s')), 120_000).unref()),
    ]);
    // Keep a given dbPath: that is the point of giving one.
    return { service: { url: server.getUri(), stop: async () => void (await server.stop({ doCleanup: !options.dbPath })) } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { unavailable: message.split(/\n|, Details/)[0] };
  } finally {
    console.error = quiet.error;
    console.warn = quiet.warn;
  }
}

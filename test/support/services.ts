import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
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

/** Starts a private, memory-only redis-server on a free port, so test runs never share state. */
export async function startRedisServer(): Promise<RunningService> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
    { stdio: 'ignore' },
  );
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not start redis-server (is it installed?): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${String(code)}`)));
  });
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
 * A MongoDB for tests: MONGODB_URI when set, else mongodb-memory-server (which downloads mongod
 * where the internet is reachable). Undefined, with the reason, when neither gives a server.
 */
export async function startMongoServer(): Promise<{ service?: RunningService; unavailable?: string }> {
  const given = process.env.MONGODB_URI;
  if (given) return { service: { url: given, stop: () => Promise.resolve() } };
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    const server = await Promise.race([
      MongoMemoryServer.create(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('mongodb-memory-server did not start within 120 s')), 120_000).unref()),
    ]);
    return { service: { url: server.getUri(), stop: async () => void (await server.stop()) } };
  } catch (error) {
    return { unavailable: (error instanceof Error ? error.message : String(error)).split('\n')[0] };
  }
}

/** Debian's Chromium (or CHROMIUM_PATH), for the browser suites; undefined when there is none. */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not installed under this name
    }
  }
  return undefined;
}

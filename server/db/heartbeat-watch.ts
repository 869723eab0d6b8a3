/**
 * A watch on the MongoDB driver's server monitor. The driver finds a server again after an outage by
 * its monitor's heartbeats; a heartbeat that never ends leaves the server "unknown" to that client
 * for good, and every operation of the process then fails server selection until it restarts.
 *
 * That happens: when the server (or anything between) closes the monitor's connection, Node ends and
 * destroys the socket a moment before it reports the close. A heartbeat written in that moment is
 * buffered on a socket that will never drain, the driver waits for 'drain' with no timeout, and the
 * close that follows finds no read to fail (mongodb 7.8–7.9, src/cmap/connection.ts `writeCommand`).
 * A worker cut from MongoDB for three seconds stayed cut for good this way.
 *
 * A heartbeat has a bound of its own: a new connection and its handshake get connectTimeoutMS each, a
 * check on an open one connectTimeoutMS, a streaming one connectTimeoutMS plus heartbeatFrequencyMS.
 * One still running well past that bound is stuck, and the client is closed and connected again
 * (public MongoClient API; the Mongoose connection and its models keep working, operations in flight
 * fail and are retried as after any network error).
 */
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';

/** The longest a heartbeat can run before the driver itself ends it, plus a second to spare. */
export function heartbeatBoundMs(options: { connectTimeoutMS: number; heartbeatFrequencyMS: number }): number {
  return 2 * options.connectTimeoutMS + options.heartbeatFrequencyMS + 1000;
}

/** Heartbeats running, by server address, and when each started. */
export type HeartbeatsInFlight = ReadonlyMap<string, number>;

/** The servers whose heartbeat has run longer than `boundMs` at `now` (sorted): stuck, the driver will never end them. */
export function stuckHeartbeats(inFlight: HeartbeatsInFlight, now: number, boundMs: number): string[] {
  return [...inFlight]
    .filter(([, startedAt]) => now - startedAt > boundMs)
    .map(([address]) => address)
    .sort();
}

/** A running watch; `stop()` ends it (closing the connection ends it too). */
export interface HeartbeatWatch {
  stop(): void;
  /** Times the client was connected again after a stuck heartbeat. */
  readonly recoveries: number;
}

/**
 * Watches the heartbeats of a connection's client and connects it again when one is stuck. Checks
 * every `checkEveryMs` (default 1 s) on an unref'd timer.
 */
export function watchHeartbeats(connection: Connection, options: { logger: Logger; boundMs: number; checkEveryMs?: number }): HeartbeatWatch {
  const { logger, boundMs } = options;
  const client = connection.getClient();
  const inFlight = new Map<string, number>();
  let recovering = false;
  let stopped = false;
  let recoveries = 0;
  const started = (event: { connectionId: string }): void => {
    if (!inFlight.has(event.connectionId)) inFlight.set(event.connectionId, Date.now());
  };
  const ended = (event: { connectionId: string }): void => {
    inFlight.delete(event.connectionId);
  };
  client.on('serverHeartbeatStarted', started);
  client.on('serverHeartbeatSucceeded', ended);
  client.on('serverHeartbeatFailed', ended);

  const recover = async (stuck: string[]): Promise<void> => {
    recovering = true;
    logger.warn({ servers: stuck, boundMs }, 'MongoDB heartbeat stuck past its bound: connecting the client again');
    try {
      await client.close();
      inFlight.clear();
      if (stopped) return;
      await client.connect();
      recoveries += 1;
      logger.info({ servers: stuck }, 'MongoDB client connected again after a stuck heartbeat');
    } catch (error) {
      // Not reachable yet: the next check finds the new client's heartbeats and tries again if they stick.
      logger.warn({ err: error }, 'connecting the MongoDB client again failed; will try again');
    } finally {
      recovering = false;
    }
  };
  const timer = setInterval(() => {
    if (stopped || recovering) return;
    const stuck = stuckHeartbeats(inFlight, Date.now(), boundMs);
    if (stuck.length > 0) void recover(stuck);
  }, options.checkEveryMs ?? 1000);
  timer.unref();

  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
    client.off('serverHeartbeatStarted', started);
    client.off('serverHeartbeatSucceeded', ended);
    client.off('serverHeartbeatFailed', ended);
  };
  // The application closing the connection ends the watch; our own close while recovering does not.
  connection.on('close', () => {
    if (!recovering) stop();
  });
  return {
    stop,
    get recoveries() {
      return recoveries;
    },
  };
}

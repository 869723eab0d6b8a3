import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Graceful stop of an HTTP server, set up when it starts listening. The returned `drain(ms)`:
 * stops accepting connections, closes idle kept-alive ones, marks every reply from then on —
 * those in flight and those to requests that still arrive on kept-alive connections — with
 * `Connection: close`, so each connection ends after its reply; what is still running after `ms`
 * is cut. Resolves when every connection is closed, with the number of requests that were cut.
 */
export function drainOnStop(server: Server): (ms: number) => Promise<{ cut: number }> {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  // First among the listeners, so the header is there before the app can start a reply.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining && !res.headersSent) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  return (ms) =>
    new Promise((resolve) => {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      let cut = 0;
      const timer = setTimeout(() => {
        cut = inFlight.size;
        server.closeAllConnections();
      }, ms);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve({ cut });
      });
      server.closeIdleConnections();
    });
}

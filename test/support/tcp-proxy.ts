import net from 'node:net';

/**
 * A TCP proxy in front of a server, for outage tests: `pause()` makes the server look frozen (the
 * proxy still takes connections and bytes but forwards nothing, in either direction), `resume()`
 * delivers what was held and forwards again.
 */
export interface TcpProxy {
  port: number;
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let paused = false;
  const waiting: Array<() => void> = [];
  const sockets = new Set<net.Socket>();

  const relay = (from: net.Socket, to: net.Socket): void => {
    const held: Buffer[] = [];
    waiting.push(() => {
      for (const chunk of held.splice(0)) if (!to.destroyed) to.write(chunk);
    });
    from.on('data', (chunk: Buffer) => {
      if (paused) held.push(chunk);
      else if (!to.destroyed) to.write(chunk);
    });
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const upstream = net.connect(targetPort, targetHost);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => undefined);
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const flush of waiting) flush();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** `http://127.0.0.1:<port>`: point AWS_ENDPOINT_URL here. */
  url: string;
  /** Stops listening and cuts every open connection: the target looks unreachable. */
  stop(): Promise<void>;
  /** Listens again, on the same port. */
  start(): Promise<void>;
  /**
   * A black hole: connections are accepted and what they send is swallowed, never answered (a
   * partitioned network, a stalled peer). Connections open at the time hang too.
   */
  hang(): void;
  /** Forwards again; the connections that hung stay dead (their clients gave up on them). */
  release(): void;
  /** Client connections open now. */
  openConnections(): number;
}

/**
 * A loopback TCP proxy in front of `target` (an http URL), to take a dependency away and give it
 * back, or to slow it down: with `delayMs`, every chunk the client sends reaches the target that
 * much later, so each round trip through it takes at least that long.
 */
export async function startTcpProxy(target: string, { delayMs = 0 } = {}): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  /** Each client connection and its upstream (none while hanging). */
  const clients = new Map<Socket, Socket | undefined>();
  let server: Server | undefined;
  let port = 0;
  let hanging = false;

  const track = (...pair: Socket[]) => {
    for (const socket of pair) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => pair.forEach((each) => each.destroy()));
    }
  };
  const forward = (client: Socket) => {
    client.once('close', () => clients.delete(client));
    if (hanging) {
      clients.set(client, undefined);
      track(client);
      client.resume(); // read and drop
      return;
    }
    const upstream = connect(Number(targetPort), hostname);
    clients.set(client, upstream);
    track(client, upstream);
    upstream.pipe(client);
    if (delayMs === 0) {
      client.pipe(upstream);
      return;
    }
    // Timers of equal delay fire in order: the byte stream keeps its order.
    client.on('data', (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
    client.on('end', () => setTimeout(() => upstream.end(), delayMs));
  };

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const listening = createServer(forward);
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => {
        port = (listening.address() as AddressInfo).port;
        server = listening;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
      for (const socket of sockets) socket.destroy();
    });

  const hang = () => {
    hanging = true;
    for (const [client, upstream] of clients) {
      upstream?.unpipe(client);
      upstream?.pause();
      client.unpipe();
      client.removeAllListeners('data');
      client.removeAllListeners('end');
      client.resume();
    }
  };

  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    stop,
    start,
    hang,
    release: () => (hanging = false),
    openConnections: () => clients.size,
  };
}

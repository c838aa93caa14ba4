import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';

export interface EmbeddedDynamo {
  endpoint: string;
  /** Stops the store if this process started it; a no-op when another process owns it. */
  close(): Promise<void>;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Serves the DynamoDB protocol from LevelDB files under `dataDir`, on loopback only. The port is
 * shared: when the server already runs, the CLI finds it there and talks to it instead of opening
 * the same files twice (LevelDB allows one process per folder).
 */
export async function startEmbeddedDynamo(dataDir: string, port: number): Promise<EmbeddedDynamo> {
  if (port !== 0 && (await isListening(port))) {
    return { endpoint: `http://127.0.0.1:${port}`, close: async () => undefined };
  }
  const path = join(dataDir, 'dynamodb');
  await mkdir(path, { recursive: true, mode: 0o700 });
  const server: Server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actualPort } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${actualPort}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

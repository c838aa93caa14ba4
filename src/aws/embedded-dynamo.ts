import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DynaliteServer, listenDynalite } from './dynalite-server.js';

export interface EmbeddedDynamo {
  endpoint: string;
  /** Stops the store if this process started it; a no-op when another process owns it. */
  close(): Promise<void>;
}

/** Compiled next to this file in dist/; absent when tests run the TypeScript sources, which then serve in-thread. */
const WORKER = fileURLToPath(new URL('./embedded-dynamo.worker.js', import.meta.url));

async function listenInWorker(path: string, port: number): Promise<DynaliteServer> {
  const worker = new Worker(WORKER, { workerData: { path, port } });
  const [message] = (await once(worker, 'message')) as [{ port?: number; error?: string }];
  if (message.port === undefined) throw new Error(`embedded store did not start: ${message.error}`);
  return {
    port: message.port,
    close: async () => {
      worker.postMessage('close');
      await once(worker, 'exit');
    },
  };
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
  const server = existsSync(WORKER) ? await listenInWorker(path, port) : await listenDynalite(path, port);
  return { endpoint: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

import { parentPort, workerData } from 'node:worker_threads';
import { listenDynalite } from './dynalite-server.js';

/** The embedded store's own thread: dynalite and LevelDB never compete with requests for the event loop. */
const { path, port } = workerData as { path: string; port: number };
listenDynalite(path, port).then(
  (server) => {
    parentPort!.postMessage({ port: server.port });
    // In a worker, exit ends this thread only; LevelDB is closed with the server first.
    parentPort!.once('message', () => server.close().then(() => process.exit(0)));
  },
  (error: Error) => parentPort!.postMessage({ error: error.message }),
);

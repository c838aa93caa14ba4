import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface DynaliteServer {
  port: number;
  close(): Promise<void>;
}

/** dynalite on loopback, LevelDB files under `path`; port 0 picks a free one. */
export function listenDynalite(path: string, port: number): Promise<DynaliteServer> {
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

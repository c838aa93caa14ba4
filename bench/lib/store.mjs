// The store the service (and the ceilings, and the peer) run against: the embedded one (dynalite
// served by the service process itself, key files in a temp dir) or the tests' AWS emulator (moto).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMoto } from '../../test/harness/moto.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * Resolves to { mode, env (for the service), dynamo (SDK client config), tables, stop() }.
 * Prefixes are unique per run so repeated runs against one emulator never collide.
 */
export async function prepareStore(mode, root, { storeProcess = false } = {}) {
  const run = randomBytes(4).toString('hex');
  const tablePrefix = `bench-${run}-`;
  const tables = {
    domains: `${tablePrefix}domains`,
    users: `${tablePrefix}users`,
    sessions: `${tablePrefix}sessions`,
    clients: `${tablePrefix}clients`,
  };
  const common = { DYNAMODB_TABLE_PREFIX: tablePrefix, CREATE_TABLES: 'true', AWS_REGION: 'us-east-1' };
  if (mode === 'embedded') {
    const dataDir = await mkdtemp(join(tmpdir(), 'auth-bench-'));
    const port = await freePort();
    const server = storeProcess ? await startDynaliteProcess(root, dataDir, port) : undefined;
    return {
      mode,
      run,
      env: { ...common, STORE: 'embedded', DATA_DIR: dataDir, EMBEDDED_STORE_PORT: String(port) },
      // The service serves dynalite on this port once it has started.
      dynamo: {
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
      },
      tables,
      stop: async () => {
        await server?.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const moto = await startMoto(root);
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  return {
    mode,
    run,
    env: {
      ...common,
      STORE: 'aws',
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      SECRET_PREFIX: `bench-${run}/`,
    },
    dynamo: { region: 'us-east-1', endpoint: moto.endpoint, credentials },
    tables,
    stop: () => moto.stop(),
  };
}

async function startDynaliteProcess(root, dataDir, port) {
  const child = fork(join(root, 'bench/lib/dynalite-server.mjs'), [dataDir, String(port)], { stdio: 'inherit' });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`dynalite process exited with ${code}`)));
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

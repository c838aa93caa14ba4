import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { Clock } from '../../src/common/clock.js';
import { randomSecret } from '../../src/common/secrets.js';
import { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { configureApp, createAdapter, listen } from '../../src/server.js';
import { freePort } from './processes.js';
import { TestClock } from './test-clock.js';

export type StoreKind = 'embedded' | 'aws';
/** Every e2e suite runs against both: the embedded default and the AWS adapters on the emulator. */
export const STORES: StoreKind[] = ['embedded', 'aws'];

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789';

export interface TestApp {
  config: AppConfig;
  /** The environment it was configured from: pass it to another startTestApp to share the store. */
  env: Record<string, string>;
  clock: TestClock;
  /** Where the listeners are (PUBLIC_URL in config is what tokens name as issuer). */
  publicUrl: string;
  internalUrl: string;
  /** supertest against the public port */
  api: ReturnType<typeof request>;
  /** supertest against the internal port */
  internal: ReturnType<typeof request>;
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/** The emulator `npm test` started; the AWS variant of each suite talks to it. */
export function awsTestEnv(): Record<string, string> {
  const endpoint = process.env.TEST_AWS_ENDPOINT;
  if (!endpoint) throw new Error('TEST_AWS_ENDPOINT is not set: run the suite with `npm test`, which starts the emulator');
  const run = randomSecret(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  return {
    STORE: 'aws',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    DYNAMODB_TABLE_PREFIX: `test-${run}-`,
    SECRET_PREFIX: `test-${run}/domains/`,
    CREATE_TABLES: 'true',
  };
}

/** Boots the real app (both listeners on free ports) against a fresh, isolated store. */
export async function startTestApp(store: StoreKind, env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'auth-service-test-'));
  const storeEnv = store === 'aws' ? awsTestEnv() : { STORE: 'embedded', DATA_DIR: dataDir, EMBEDDED_STORE_PORT: '0' };
  const fullEnv = { HOST: '127.0.0.1', PORT: '0', INTERNAL_PORT: '0', ADMIN_TOKEN, LOG_LEVEL: 'silent', ...storeEnv, ...env };
  const config = loadConfig(fullEnv);
  const clock = new TestClock();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config), { bodyParser: false, logger: false });
  const running = await listen(configureApp(app), config);
  return {
    config,
    env: fullEnv,
    clock,
    app,
    publicUrl: running.publicUrl,
    internalUrl: running.internalUrl,
    api: request(running.publicUrl),
    internal: request(running.internalUrl),
    close: async () => {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Two instances of the app on one store, as behind a load balancer (each with its own caches and clock). */
export async function startTwoInstances(store: StoreKind, env: Record<string, string> = {}): Promise<[TestApp, TestApp]> {
  // The embedded store is served by the first instance on a port the second connects to.
  const shared: Record<string, string> = store === 'embedded' ? { EMBEDDED_STORE_PORT: String(await freePort()) } : {};
  const a = await startTestApp(store, { ...shared, ...env });
  return [a, await startTestApp(store, a.env)];
}

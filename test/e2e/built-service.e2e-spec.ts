import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsTestEnv } from '../harness/test-app.js';
import { freePort, runCli, startService, type ServiceProcess } from '../harness/processes.js';

/** The variables a LocalStack user sets: no STORE, the endpoint and test credentials make it choose AWS. */
function localStackStyle({ STORE: _store, ...env }: Record<string, string>): Record<string, string> {
  return { ...env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
}

/**
 * The README's walk-through against the built service, started as the container starts it:
 * create a domain and a user with the CLI, log in, refresh, check the session, log out, check again.
 */
describe.each(['embedded', 'aws'] as const)('built service and CLI (%s store)', (store) => {
  let service: ServiceProcess;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-service-built-'));
    env =
      store === 'embedded'
        ? { STORE: 'embedded', DATA_DIR: dataDir, EMBEDDED_STORE_PORT: String(await freePort()), LOG_LEVEL: 'info' }
        : { ...localStackStyle(awsTestEnv()), CREATE_TABLES: 'false', LOG_LEVEL: 'info' };
    if (store === 'aws') {
      const tables = await runCli(['tables', 'create'], env);
      expect(tables).toMatchObject({ code: 0 });
    }
    service = await startService(env);
  });
  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, init);
    return {
      status: response.status,
      body: response.status === 204 ? undefined : ((await response.json()) as { token?: string; valid?: boolean }),
    };
  };

  it('runs the README flow end to end', async () => {
    const domain = await runCli(['domain', 'create', 'demo'], env);
    expect(domain.code).toBe(0);
    expect(JSON.parse(domain.stdout)).toMatchObject({ name: 'demo', algorithm: 'ES256' });

    const user = await runCli(['user', 'create', 'demo', 'alice'], env, 'correct-horse-battery-staple\n');
    expect(user.code).toBe(0);
    expect(user.stdout).not.toContain('correct-horse');

    const login = await call(`${service.publicUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'demo', username: 'alice', password: 'correct-horse-battery-staple' }),
    });
    expect(login.status).toBe(200);

    const refreshed = await call(`${service.publicUrl}/refresh`, { headers: { authorization: `Bearer ${login.body?.token}` } });
    expect(refreshed.status).toBe(200);
    const token = refreshed.body?.token as string;
    const session = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).session;

    expect(await call(`${service.internalUrl}/sessions/${session}/valid`)).toEqual({ status: 200, body: { valid: true } });
    expect((await call(`${service.publicUrl}/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    expect(await call(`${service.internalUrl}/sessions/${session}/valid`)).toEqual({ status: 200, body: { valid: false } });
  });

  it('the CLI reports bad input and unknown commands with a non-zero exit', async () => {
    const bad = await runCli(['domain', 'create', 'Not_Valid'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('lowercase');
    const weak = await runCli(['user', 'create', 'demo', 'bob'], env, 'short\n');
    expect(weak.code).toBe(1);
    const unknown = await runCli(['frobnicate'], env);
    expect(unknown.code).toBe(2);
  });

  it('logs which storage mode it chose, and never a password', async () => {
    expect(service.output()).toContain(store === 'embedded' ? 'Embedded store' : 'AWS store');
    expect(service.output()).not.toContain('correct-horse');
  });
});

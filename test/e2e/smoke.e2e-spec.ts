// `npm run smoke -- --url ...` against the built service, started as the container starts it: every
// step passes and nothing is left behind; a failing step stops it with a clear message, and the
// domain it made still goes.
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandResult, freePort, runBuilt, runCli, startService, type ServiceProcess } from '../harness/processes.js';
import { ADMIN_TOKEN, awsTestEnv } from '../harness/test-app.js';

/** The built smoke script, with only the environment given (no ADMIN_TOKEN of the test's own). */
const smoke = (args: string[], env: Record<string, string> = { ADMIN_TOKEN }): Promise<CommandResult> =>
  runBuilt('smoke/main.js', args, { PATH: process.env.PATH ?? '', ...env }, '', { inherit: false });

/** A proxy in front of the service that answers GET /refresh itself with a 502: a deployment broken at one step. */
async function brokenRefresh(target: string): Promise<{ url: string; server: Server }> {
  const { hostname, port } = new URL(target);
  const server = createServer((incoming, outgoing) => {
    if (incoming.method === 'GET' && incoming.url?.startsWith('/refresh')) {
      outgoing.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"Bad gateway","code":"bad_gateway"}');
      return;
    }
    const upstream = forward({ hostname, port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.each(['embedded', 'aws'] as const)('npm run smoke against the built service (%s store)', (store) => {
  let service: ServiceProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-service-smoke-'));
    const env: Record<string, string> =
      store === 'embedded'
        ? { STORE: 'embedded', DATA_DIR: dataDir, EMBEDDED_STORE_PORT: String(await freePort()) }
        : { ...awsTestEnv(), CREATE_TABLES: 'false' };
    if (store === 'aws') expect(await runCli(['tables', 'create'], env)).toMatchObject({ code: 0 });
    service = await startService({ ...env, ADMIN_TOKEN, LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const domains = async () => {
    const response = await fetch(`${service.publicUrl}/admin/domains`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return ((await response.json()) as { name: string }[]).map(({ name }) => name);
  };

  it('passes every step and leaves no domain behind', async () => {
    const result = await smoke(['--url', service.publicUrl]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const steps = result.stdout.trim().split('\n');
    expect(steps.map((line) => line.replace(/ smoke-\S+/, '').replace(/ \(\d+ ms\)$/, ''))).toEqual([
      'ok ready',
      'ok create domain',
      'ok create user',
      'ok login',
      'ok refresh',
      'ok status',
      'ok delete domain',
      `smoke: ${service.publicUrl} passed`,
    ]);
    expect((await domains()).filter((name) => name.startsWith('smoke-'))).toEqual([]);
  });

  it('stops at the first failed step with a clear message, exit 1, and still deletes its domain', async () => {
    const proxy = await brokenRefresh(service.publicUrl);
    try {
      const result = await smoke(['--url', proxy.url]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('smoke: refresh failed: GET /refresh: expected 200, got 502 (bad_gateway)\n');
      expect(result.stdout).not.toContain('ok status');
      expect(result.stdout).toMatch(/ok delete domain smoke-/);
      expect((await domains()).filter((name) => name.startsWith('smoke-'))).toEqual([]);
    } finally {
      proxy.server.close();
    }
  });

  it('fails at once with a wrong admin token, creating nothing', async () => {
    const result = await smoke(['--url', service.publicUrl], { ADMIN_TOKEN: 'not-the-admin-token' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^smoke: create domain smoke-\S+ failed: POST \/admin\/domains: expected 201, got 401 \(admin_unauthorized\)\n$/,
    );
    expect((await domains()).filter((name) => name.startsWith('smoke-'))).toEqual([]);
  });
});

describe('npm run smoke usage', () => {
  it.each([
    [['--url', 'http://127.0.0.1:9'], {}, 'ADMIN_TOKEN is not set'],
    [[], { ADMIN_TOKEN }, '--url <deployment URL> is required'],
    [['--url', 'not a url'], { ADMIN_TOKEN }, '--url <deployment URL> is required'],
    [['--port', '1'], { ADMIN_TOKEN }, "Unknown option '--port'"],
  ])('%j exits 2 with the usage', async (args, env, message) => {
    const result = await smoke(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('usage: npm run smoke -- --url');
  });

  it('reports an unreachable deployment at its first step', async () => {
    const result = await smoke(['--url', `http://127.0.0.1:${await freePort()}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^smoke: ready failed: GET \/health\/ready: .*ECONNREFUSED/);
  });
});

// Starts the built service as the image does (`node --import ./dist/tracing/register-tracing.js dist/main.js`, tracing off unless OTEL_* asks) in production mode and talks to its admin API.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { waitUntilLive } from '../../test/harness/wait-until-live.mjs';
import { freePort } from './store.mjs';

/**
 * `profileDir` runs it under --cpu-prof. Nest re-raises SIGTERM after closing, and a process killed
 * by a signal writes no profile, so the preload turns SIGUSR2 into a clean exit for that case.
 * `env` adds variables (OTEL_* ones turn tracing on: none are taken from the bench's own
 * environment); `issuerUrl` is the PUBLIC_URL to run with when it is not this process's own (a
 * second instance of the same service, as behind a load balancer).
 */
export async function startService(serviceDir, storeEnv, { profileDir, env: extraEnv = {}, issuerUrl } = {}) {
  const port = await freePort();
  const internalPort = await freePort();
  const adminToken = randomBytes(30).toString('base64url'); // 40 characters
  const publicUrl = `http://127.0.0.1:${port}`;
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
  const env = {
    ...inherited,
    ...storeEnv,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    INTERNAL_PORT: String(internalPort),
    PUBLIC_URL: issuerUrl ?? publicUrl,
    ADMIN_TOKEN: adminToken,
    ...extraEnv,
  };
  const nodeArgs = profileDir
    ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--import', join(import.meta.dirname, 'exit-on-sigusr2.mjs')]
    : [];
  const spawnedAt = Date.now(); // ≈ the start of a --cpu-prof profile
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', join(serviceDir, 'dist/tracing/register-tracing.js'), join(serviceDir, 'dist/main.js')],
    {
      env,
      cwd: serviceDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  await waitUntilLive(child, publicUrl, () => output, 30_000);

  const admin = async (method, path, body) => {
    const response = await fetch(`${publicUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  return {
    pid: child.pid,
    spawnedAt,
    publicUrl,
    internalUrl: `http://127.0.0.1:${internalPort}`,
    output: () => output,
    createDomain: (name) => admin('POST', '/admin/domains', { name }),
    createUser: (domain, username, password) => admin('POST', `/admin/domains/${domain}/users`, { username, password }),
    /** Registers an OAuth client; resolves to the admin API's answer (`clientId`, `clientSecret` for a confidential one). */
    createClient: (domain, client) => admin('POST', `/admin/domains/${domain}/clients`, client),
    async login(domain, username, password) {
      const response = await fetch(`${publicUrl}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ domain, username, password }),
      });
      const body = await response.json();
      if (response.status !== 200 || typeof body.token !== 'string') throw new Error(`login -> ${response.status} ${JSON.stringify(body)}`);
      return body.token;
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(profileDir ? 'SIGUSR2' : 'SIGTERM');
      });
    },
  };
}

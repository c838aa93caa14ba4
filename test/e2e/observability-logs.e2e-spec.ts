import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { randomSecret } from '../../src/common/secrets.js';
import { uniqueName } from '../harness/factories.js';
import { freePort, startService, type ServiceProcess } from '../harness/processes.js';
import { awsTestEnv } from '../harness/test-app.js';

/**
 * Acceptance: a login with a password and a refresh token leaves neither in the logs. The built
 * service runs at LOG_LEVEL=trace (everything it can log, it logs) and its stdout is read back.
 */
describe.each(['embedded', 'aws'] as const)('logs of the built service (%s store)', (store) => {
  const secret = (label: string) => `${label}-${randomSecret(12)}`;
  const adminToken = secret('admin-token-that-is-long-enough');
  const passwords = { created: secret('first-password'), wrong: secret('wrong-password'), changed: secret('changed-password') };
  const cookie = secret('cookie');
  const inQuery = secret('query-token');
  const inBrokenBody = secret('broken-body-password');
  const requestId = `log-test-${randomSecret(6).replace(/[^A-Za-z0-9]/g, 'x')}`;
  const leaked: string[] = [adminToken, ...Object.values(passwords), cookie, inQuery, inBrokenBody];

  let service: ServiceProcess;
  let dataDir: string;
  let lines: string[];

  const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    const response = await fetch(`${service.publicUrl}${path}`, {
      ...rest,
      headers: { 'content-type': 'application/json', ...(rest.headers as Record<string, string>) },
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
    return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as Record<string, unknown>) };
  };
  const admin = { authorization: `Bearer ${adminToken}` };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-service-logs-'));
    const storeEnv =
      store === 'embedded' ? { STORE: 'embedded', DATA_DIR: dataDir, EMBEDDED_STORE_PORT: String(await freePort()) } : awsTestEnv();
    service = await startService({ ...storeEnv, LOG_LEVEL: 'trace', ADMIN_TOKEN: adminToken });

    const domain = uniqueName();
    const username = uniqueName('user');
    expect((await call('/admin/domains', { method: 'POST', headers: admin, json: { name: domain } })).status).toBe(201);
    const user = { username, password: passwords.created };
    expect((await call(`/admin/domains/${domain}/users`, { method: 'POST', headers: admin, json: user })).status).toBe(201);

    const login = await call('/login', {
      method: 'POST',
      headers: { 'x-request-id': requestId, cookie: `session=${cookie}` },
      json: { domain, username, password: passwords.created },
    });
    expect(login.status).toBe(200);
    const token = login.body?.token as string;
    const refreshed = await call('/refresh', { headers: { authorization: `Bearer ${token}` } });
    expect(refreshed.status).toBe(200);
    const newToken = refreshed.body?.token as string;
    // The same token again: its refresh credential is used up (a 401 logged at info).
    expect((await call('/refresh', { headers: { authorization: token } })).status).toBe(401);
    expect((await call(`/status?token=${inQuery}`, { headers: { authorization: `Bearer ${newToken}` } })).status).toBe(200);

    expect((await call('/login', { method: 'POST', json: { domain, username, password: passwords.wrong } })).status).toBe(400);
    expect((await call('/login', { method: 'POST', body: `{"domain":"${domain}","password":"${inBrokenBody}"` })).status).toBe(400);
    const newPassword = { password: passwords.changed };
    expect(
      (await call(`/admin/domains/${domain}/users/${username}/password`, { method: 'PUT', headers: admin, json: newPassword })).status,
    ).toBe(200);

    for (const jwt of [token, newToken]) leaked.push(jwt, jwt.split('.')[2], String(decodeJwt(jwt).refresh_token));
    expect(await service.stop()).toBe(0); // the drain flushes the last lines
    lines = service
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
  });
  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves no password, token, refresh credential, admin token or cookie in the logs', () => {
    const output = lines.join('\n');
    expect(leaked.filter((value) => output.includes(value))).toEqual([]);
  });

  it('writes each security event as one line with an `event` object, for log-based alerting', () => {
    const events = lines
      .map((line) => JSON.parse(line) as { event?: { type: string; requestId?: string; username?: string } })
      .flatMap((line) => (line.event ? [line.event] : []));
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['user_created', 'login_succeeded', 'refresh_refused', 'login_failed', 'password_changed']),
    );
    expect(events.find((event) => event.type === 'login_succeeded')).toMatchObject({ requestId });
  });

  it('writes JSON lines only, with a level, a time and a message', () => {
    const unparsable = lines.filter((line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        return typeof entry.level !== 'string' || typeof entry.time !== 'string' || typeof entry.msg !== 'string';
      } catch {
        return true;
      }
    });
    expect(unparsable).toEqual([]);
  });

  it("logs every request once, with its request id (the caller's own when it sent a sane one)", () => {
    const completed = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request completed');
    expect(completed.length).toBeGreaterThanOrEqual(9);
    for (const entry of completed) expect(entry.reqId).toEqual(expect.any(String));
    const login = completed.find((entry) => entry.reqId === requestId);
    expect(login).toMatchObject({ req: { method: 'POST', url: '/login' }, res: { statusCode: 200 } });
  });

  it('never logs a request body or the request headers', () => {
    const entries = lines.map((line) => JSON.parse(line) as { req?: Record<string, unknown> });
    for (const { req } of entries.filter((entry) => entry.req)) {
      expect(Object.keys(req!).sort()).toEqual(expect.arrayContaining(['method', 'url']));
      expect(req).not.toHaveProperty('body');
      expect(req).not.toHaveProperty('headers');
    }
  });
});

// The AWS store failing the ways networks and emulators fail: a black hole (connections accepted,
// never answered), the emulator paused (SIGSTOP) and resumed, and killed and restarted. Every
// request answers within the configured deadline, with a 503 and a code; readiness follows the
// store; service resumes without a restart; and no session a 200 created is lost.
import { decodeJwt } from 'jose';
import { AwsClients } from '../../src/aws/aws-clients.js';
import { ensureTables } from '../../src/aws/ensure-tables.js';
import { eventually } from '../harness/eventually.js';
import { asAdmin, createDomain, createUser, PASSWORD } from '../harness/factories.js';
import { parseMetrics } from '../harness/metrics.js';
import { registerClient } from '../harness/oauth.js';
import { startMoto, type Moto } from '../harness/moto.mjs';
import { ROOT } from '../harness/processes.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';
import { startTestApp, TestApp } from '../harness/test-app.js';

const DEADLINE_MS = 600;
/** Scheduling slack on a busy 2-core machine; the deadline itself is what is asserted against. */
const SLACK_MS = 1500;

describe('store faults (aws store, own emulator)', () => {
  let moto: Moto;
  let proxy: TcpProxy;
  let t: TestApp;
  let domain: string;
  let username: string;
  /** Sessions whose login answered 200: all must still be valid at the end. */
  const confirmed: string[] = [];

  beforeAll(async () => {
    moto = await startMoto(ROOT);
    proxy = await startTcpProxy(moto.endpoint);
    t = await startTestApp('aws', {
      AWS_ENDPOINT_URL: proxy.url,
      STORE_TIMEOUT_MS: String(DEADLINE_MS),
      STORE_BREAKER_FAILURES: '3',
      STORE_BREAKER_COOLDOWN_MS: '200',
      DOMAIN_CACHE_SECONDS: '0', // every login reads its domain: no cache hides the store
    });
    domain = await createDomain(t);
    username = await createUser(t, domain);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
    process.kill(moto.pid, 'SIGCONT');
    await moto?.stop();
  });

  const login = () => t.api.post('/login').send({ domain, username, password: PASSWORD });
  const loginConfirmed = async () => {
    const response = await login().expect(200);
    confirmed.push(decodeJwt(response.body.token).session as string);
  };
  const readiness = async () => (await t.api.get('/health/ready')).status;
  const timed = async <T>(call: () => PromiseLike<T>) => {
    const started = Date.now();
    const result = await call();
    return { result, ms: Date.now() - started };
  };

  /** 50 requests at once on both ports: each a 503 with a code, within the deadline. */
  async function expectBoundedFailures(): Promise<void> {
    const calls = Array.from({ length: 50 }, (_, i) =>
      timed(() => (i % 2 === 0 ? login() : t.internal.get(`/sessions/${confirmed[0]}/valid`))),
    );
    for (const { result, ms } of await Promise.all(calls)) {
      expect({ status: result.status, code: result.body.code }).toEqual({ status: 503, code: 'store_unavailable' });
      expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    }
    expect(await eventually(readiness, 503)).toBe(503);
  }

  /** Back to normal: ready, logins work, and every confirmed session is still valid. */
  async function expectRecovery(): Promise<void> {
    expect(await eventually(readiness, 200)).toBe(200);
    await loginConfirmed();
    for (const session of confirmed) await t.internal.get(`/sessions/${session}/valid`).expect(200, { valid: true });
  }

  /** Nothing half-made: every session the store holds for the user is complete and alive. */
  async function expectNoHalfWrittenSessions(): Promise<void> {
    const { body: sessions } = await t.api.get(`/admin/domains/${domain}/users/${username}/sessions`).set(asAdmin).expect(200);
    expect(sessions.map((session: { id: string }) => session.id)).toEqual(expect.arrayContaining(confirmed));
    for (const session of sessions) {
      expect(session).toMatchObject({ id: expect.any(String), createdAt: expect.anything(), expiresAt: expect.anything() });
      await t.internal.get(`/sessions/${session.id}/valid`).expect(200, { valid: true });
    }
  }

  it('works while the store answers', async () => {
    await loginConfirmed();
    await loginConfirmed();
    expect(await readiness()).toBe(200);
  });

  it('a black hole: bounded 503s on both ports, counted, no connection left hanging, then recovery', async () => {
    const errorsBefore = storeErrors(await t.internal.get('/metrics'));
    proxy.hang();
    await expectBoundedFailures();
    expect(storeErrors(await t.internal.get('/metrics'))).toBeGreaterThan(errorsBefore);
    // The deadline aborted every call: nothing keeps running (or holding a socket) in the background.
    expect(await eventually(async () => proxy.openConnections() <= 1, true, { timeoutMs: 3000 })).toBe(true);
    proxy.release();
    await expectRecovery();
  });

  it('the OAuth endpoints in a black hole: 503 temporarily_unavailable in their shape, and a refresh token not lost', async () => {
    const registered = await registerClient(t, domain, { grantTypes: ['client_credentials', 'password', 'refresh_token'] });
    const basic = `Basic ${Buffer.from(`${registered.clientId}:${registered.clientSecret!}`).toString('base64')}`;
    const token = (form: Record<string, string>) =>
      t.api.post(`/domains/${domain}/oauth2/token`).set('Authorization', basic).type('form').send(form);
    const granted = await token({ grant_type: 'password', username, password: PASSWORD }).expect(200);
    proxy.hang();
    try {
      const forms: Record<string, string>[] = [
        { grant_type: 'client_credentials' },
        { grant_type: 'refresh_token', refresh_token: granted.body.refresh_token },
      ];
      for (const form of forms) {
        const { result, ms } = await timed(() => token(form));
        expect({ status: result.status, body: result.body }).toEqual({
          status: 503,
          body: { error: 'temporarily_unavailable', error_description: 'Storage is unavailable, try again later' },
        });
        expect(result.headers['cache-control']).toBe('no-store');
        expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
      }
    } finally {
      proxy.release();
    }
    expect(await eventually(readiness, 200)).toBe(200);
    await token({ grant_type: 'refresh_token', refresh_token: granted.body.refresh_token }).expect(200);
  });

  it('the emulator paused and resumed: bounded 503s, then recovery with nothing lost', async () => {
    process.kill(moto.pid, 'SIGSTOP');
    try {
      await expectBoundedFailures();
    } finally {
      process.kill(moto.pid, 'SIGCONT');
    }
    await expectRecovery();
    await expectNoHalfWrittenSessions();
  });

  it('the emulator killed and restarted (empty): 503s at once, then service without a restart of ours', async () => {
    process.kill(moto.pid, 'SIGKILL');
    await moto.stop();
    await expectBoundedFailures();
    moto = await startMoto(ROOT, { port: moto.port });
    // A new emulator has no tables: readiness says so until they exist again.
    expect(await eventually(readiness, 503)).toBe(503);
    await ensureTables(t.app.get(AwsClients));
    expect(await eventually(readiness, 200)).toBe(200);
    domain = await createDomain(t);
    username = await createUser(t, domain);
    confirmed.length = 0;
    await expectRecovery();
  });
});

function storeErrors(response: { text: string }): number {
  return parseMetrics(response.text)
    .filter((sample) => sample.name === 'auth_store_errors_total')
    .reduce((sum, sample) => sum + sample.value, 0);
}

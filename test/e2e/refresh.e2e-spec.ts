import { SignJWT, decodeJwt, importJWK } from 'jose';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asAdmin, bearer, createDomain, createUser, loggedIn, login } from '../harness/factories.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

describe.each(STORES)('GET /refresh (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(store);
  });
  afterAll(() => t.close());

  const expect401 = (error: string, code: string) => (response: { status: number; body: unknown }) => {
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: error, error, code });
  };

  it('returns a new token for the same session with a rotated refresh credential', async () => {
    const { token, claims } = await loggedIn(t);
    const response = await t.api.get('/refresh').set(bearer(token)).expect(200);
    const renewed = decodeJwt(response.body.token);
    expect(renewed).toMatchObject({ domain: claims.domain, username: claims.username, session: claims.session });
    expect(renewed.refresh_token).not.toEqual(claims.refresh_token);
    expect(renewed.jti).not.toEqual(claims.jti);
  });

  it('accepts a bare token without the Bearer prefix', async () => {
    const { token } = await loggedIn(t);
    await t.api.get('/refresh').set('Authorization', token).expect(200);
  });

  it('consumes the refresh credential: the same token refreshes once', async () => {
    const { token } = await loggedIn(t);
    const first = await t.api.get('/refresh').set(bearer(token)).expect(200);
    expect401('Invalid refresh token', 'invalid_refresh_token')(await t.api.get('/refresh').set(bearer(token)));
    // the successor still works
    await t.api.get('/refresh').set(bearer(first.body.token)).expect(200);
  });

  it('of two concurrent refreshes with one token, exactly one succeeds', async () => {
    const { token } = await loggedIn(t);
    const results = await Promise.all([1, 2, 3].map(() => t.api.get('/refresh').set(bearer(token))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it('refreshes an expired access token while the session lives', async () => {
    const { token } = await loggedIn(t);
    t.clock.advance(10 * 60);
    await t.api.get('/refresh').set(bearer(token)).expect(200);
  });

  it('refuses a session past its lifetime → Session expired', async () => {
    const { token } = await loggedIn(t, { sessionTtlSeconds: 3600 });
    t.clock.advance(3601);
    expect401('Session expired', 'session_expired')(await t.api.get('/refresh').set(bearer(token)));
  });

  it('refuses after logout → Invalid session', async () => {
    const { token } = await loggedIn(t);
    await t.api.post('/logout').set(bearer(token)).expect(204);
    expect401('Invalid session', 'invalid_session')(await t.api.get('/refresh').set(bearer(token)));
  });

  it('refuses once the user is disabled', async () => {
    const { token, domain, username } = await loggedIn(t);
    await t.api.post(`/admin/domains/${domain}/users/${username}/disable`).set(asAdmin).expect(200);
    expect401('Invalid session', 'invalid_session')(await t.api.get('/refresh').set(bearer(token)));
  });

  it('refuses once the domain is disabled → Invalid domain', async () => {
    const { token, domain } = await loggedIn(t);
    await t.api.post(`/admin/domains/${domain}/disable`).set(asAdmin).expect(200);
    expect401('Invalid domain', 'invalid_domain')(await t.api.get('/refresh').set(bearer(token)));
  });

  describe('reuse of a consumed refresh credential', () => {
    const valid = async (token: string) => (await t.internal.get(`/sessions/${decodeJwt(token).session}/valid`).expect(200)).body.valid;

    it('after the grace period, revokes the whole session: thief and user both log in again', async () => {
      const { token: stolen } = await loggedIn(t);
      const { body: renewed } = await t.api.get('/refresh').set(bearer(stolen)).expect(200);
      t.clock.advance(6); // past the default 5 s
      expect401('Invalid refresh token', 'invalid_refresh_token')(await t.api.get('/refresh').set(bearer(stolen)));
      expect(await valid(stolen)).toBe(false);
      expect401('Invalid session', 'invalid_session')(await t.api.get('/refresh').set(bearer(renewed.token)));
      const metrics = (await t.internal.get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/^auth_refresh_reuse_total\{action="revoked"\} [1-9]/m);
    });

    it('within the grace period (two tabs at once), is refused without revoking', async () => {
      const { token } = await loggedIn(t);
      const { body: renewed } = await t.api.get('/refresh').set(bearer(token)).expect(200);
      t.clock.advance(2);
      expect401('Invalid refresh token', 'invalid_refresh_token')(await t.api.get('/refresh').set(bearer(token)));
      expect(await valid(token)).toBe(true);
      await t.api.get('/refresh').set(bearer(renewed.token)).expect(200);
    });

    it('of 20 concurrent refreshes exactly one wins, and the session lives on', async () => {
      const { token } = await loggedIn(t);
      const results = await Promise.all(Array.from({ length: 20 }, () => t.api.get('/refresh').set(bearer(token))));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(await valid(token)).toBe(true);
    });
  });

  describe('bad tokens', () => {
    it('no header → 401 missing_token', async () => {
      expect401('Please provide a jwt authorization token', 'missing_token')(await t.api.get('/refresh'));
      expect401('Please provide a jwt authorization token', 'missing_token')(await t.api.get('/refresh').set('Authorization', 'Bearer '));
    });

    it.each(['not-a-jwt', 'a.b.c', 'Bearer x.y', '{}'])('%s → Invalid token', async (value) => {
      expect401('Invalid token', 'invalid_token')(await t.api.get('/refresh').set('Authorization', value));
    });

    /** The token with claims changed but its original signature kept. */
    const tampered = (token: string, changes: Record<string, unknown>) => {
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      return `${header}.${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.${signature}`;
    };

    it('a tampered payload → Invalid token', async () => {
      const { token } = await loggedIn(t);
      expect401('Invalid token', 'invalid_token')(await t.api.get('/refresh').set(bearer(tampered(token, { username: 'admin' }))));
    });

    it('an unknown domain → Invalid domain', async () => {
      const { token } = await loggedIn(t);
      expect401('Invalid domain', 'invalid_domain')(await t.api.get('/refresh').set(bearer(tampered(token, { domain: 'no-such-domain' }))));
    });

    it("a token of domain A presented as domain B's → rejected", async () => {
      const a = await loggedIn(t);
      const b = await createDomain(t);
      const userB = await createUser(t, b, a.username);
      const tokenB = await login(t, b, userB);
      // re-sign A's claims, naming domain B and B's session, with A's key: B's keys do not know A's kid
      const forgedClaims = { ...a.claims, domain: b, session: decodeJwt(tokenB).session, sid: decodeJwt(tokenB).session };
      const forged = await signWithDomainKey(t, store, a.domain, forgedClaims);
      expect401('Invalid token', 'invalid_token')(await t.api.get('/refresh').set(bearer(forged)));
      // and A's own token cannot refresh B's session either
      const mixed = await signWithDomainKey(t, store, a.domain, { ...a.claims, session: decodeJwt(tokenB).session });
      expect401('Invalid session', 'invalid_session')(await t.api.get('/refresh').set(bearer(mixed)));
    });
  });
});

/** Signs claims with a domain's real private key, as only the service could: for cross-domain attacks. */
async function signWithDomainKey(t: TestApp, store: string, domain: string, claims: Record<string, unknown>): Promise<string> {
  const key = store === 'embedded' ? await readEmbeddedKey(t, domain) : await readSecretsManagerKey(t, domain);
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(await importJWK(key.privateJwk, key.alg));
}

async function readEmbeddedKey(t: TestApp, domain: string) {
  const file = JSON.parse(await readFile(join(t.config.dataDir, 'keys', `${domain}.json`), 'utf8'));
  return file.versions[0].key;
}

async function readSecretsManagerKey(t: TestApp, domain: string) {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ region: t.config.aws.region, endpoint: t.config.aws.endpoint });
  const secret = await client.send(new GetSecretValueCommand({ SecretId: `${t.config.secretPrefix}${domain}` }));
  client.destroy();
  return JSON.parse(secret.SecretString!);
}

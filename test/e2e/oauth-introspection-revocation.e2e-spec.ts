// Introspection (RFC 7662) and revocation (RFC 7009) through openid-client, as resource servers
// and apps call them: tokens reflect their session, and a revocation sticks everywhere.
import * as client from 'openid-client';
import { decodeJwt } from 'jose';
import { asAdmin, createDomain, createUser, loggedIn, PASSWORD } from '../harness/factories.js';
import { discover, registerClient, RegisteredClient, startOAuthApp } from '../harness/oauth.js';
import { STORES, TestApp } from '../harness/test-app.js';

describe.each(STORES)('OAuth 2.0 introspection and revocation (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startOAuthApp(store);
  });
  afterAll(() => t.close());

  interface Setup {
    domain: string;
    username: string;
    app: client.Configuration;
    appClient: RegisteredClient;
    /** A resource server: a confidential client that introspects. */
    api: client.Configuration;
  }

  async function setup(domain?: string): Promise<Setup> {
    domain ??= await createDomain(t);
    const username = await createUser(t, domain);
    const appClient = await registerClient(t, domain, {
      grantTypes: ['client_credentials', 'password', 'refresh_token'],
      scopes: ['orders:read'],
    });
    const apiClient = await registerClient(t, domain, { grantTypes: ['client_credentials'] });
    return { domain, username, appClient, app: await discover(t, domain, appClient), api: await discover(t, domain, apiClient) };
  }

  const userTokens = (s: Setup) => client.genericGrantRequest(s.app, 'password', { username: s.username, password: PASSWORD });
  const sessionValid = async (sid: string) => (await t.internal.get(`/sessions/${sid}/valid`).expect(200)).body.valid as boolean;

  describe('introspection', () => {
    it("describes a user's access token to a resource server", async () => {
      const s = await setup();
      const tokens = await userTokens(s);
      const claims = decodeJwt(tokens.access_token);
      expect(await client.tokenIntrospection(s.api, tokens.access_token)).toEqual({
        active: true,
        scope: 'orders:read',
        client_id: s.appClient.clientId,
        username: s.username,
        sub: s.username,
        sid: claims.sid,
        token_type: 'Bearer',
        exp: claims.exp,
        iat: claims.iat,
        aud: s.domain,
        iss: claims.iss,
        jti: claims.jti,
      });
    });

    it("reflects the session: an admin's revocation makes the access token inactive at once", async () => {
      const s = await setup();
      const tokens = await userTokens(s);
      await t.api
        .post(`/admin/sessions/${decodeJwt(tokens.access_token).sid as string}/revoke`)
        .set(asAdmin)
        .expect(204);
      expect(await client.tokenIntrospection(s.api, tokens.access_token)).toEqual({ active: false });
    });

    it("describes a client's own token while the client is active", async () => {
      const s = await setup();
      const tokens = await client.clientCredentialsGrant(s.app);
      expect(await client.tokenIntrospection(s.api, tokens.access_token)).toMatchObject({ active: true, sub: s.appClient.clientId });
      await t.api.post(`/admin/domains/${s.domain}/clients/${s.appClient.clientId}/disable`).set(asAdmin).expect(200);
      expect(await client.tokenIntrospection(s.api, tokens.access_token)).toEqual({ active: false });
    });

    it('shows a refresh token to its own client only', async () => {
      const s = await setup();
      const tokens = await userTokens(s);
      expect(await client.tokenIntrospection(s.app, tokens.refresh_token!)).toMatchObject({
        active: true,
        client_id: s.appClient.clientId,
        username: s.username,
      });
      expect(await client.tokenIntrospection(s.api, tokens.refresh_token!)).toEqual({ active: false });
      const next = await client.refreshTokenGrant(s.app, tokens.refresh_token!);
      expect(await client.tokenIntrospection(s.app, tokens.refresh_token!)).toEqual({ active: false });
      expect((await client.tokenIntrospection(s.app, next.refresh_token!)).active).toBe(true);
    });

    it("answers inactive for domain A's token at domain B, an expired token, a legacy token and garbage", async () => {
      const a = await setup();
      const b = await setup();
      const tokens = await userTokens(a);
      expect(await client.tokenIntrospection(b.api, tokens.access_token)).toEqual({ active: false });
      const legacy = await loggedIn(t);
      expect(await client.tokenIntrospection(a.api, legacy.token)).toEqual({ active: false });
      expect(await client.tokenIntrospection(a.api, 'garbage')).toEqual({ active: false });
      t.clock.advance(301);
      expect(await client.tokenIntrospection(a.api, tokens.access_token)).toEqual({ active: false });
    });

    it('requires a confidential client: a public one and an unauthenticated caller are refused', async () => {
      const s = await setup();
      const tokens = await userTokens(s);
      const publicClient = await registerClient(t, s.domain, { type: 'public', grantTypes: ['password'] });
      await expect(client.tokenIntrospection(await discover(t, s.domain, publicClient, 'none'), tokens.access_token)).rejects.toMatchObject(
        {
          status: 401,
        },
      );
      const anonymous = await t.api.post(`/domains/${s.domain}/oauth2/introspect`).type('form').send({ token: tokens.access_token });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error).toBe('invalid_client');
      expect(anonymous.headers['cache-control']).toBe('no-store');
    });
  });

  describe('sessions of a client', () => {
    it('are invalid to /sessions/:id/valid while their client is disabled, and for good once it is deleted', async () => {
      const s = await setup();
      const sid = decodeJwt((await userTokens(s)).access_token).sid as string;
      const clientPath = `/admin/domains/${s.domain}/clients/${s.appClient.clientId}`;
      await t.api.post(`${clientPath}/disable`).set(asAdmin).expect(200);
      expect(await sessionValid(sid)).toBe(false);
      await t.api.post(`${clientPath}/enable`).set(asAdmin).expect(200);
      expect(await sessionValid(sid)).toBe(true);
      await t.api.delete(clientPath).set(asAdmin).expect(204);
      expect(await sessionValid(sid)).toBe(false);
    });
  });

  describe('revocation', () => {
    it('revoking a refresh token ends the session: refresh, introspection and session checks all see it', async () => {
      const s = await setup();
      const tokens = await userTokens(s);
      const sid = decodeJwt(tokens.access_token).sid as string;
      await client.tokenRevocation(s.app, tokens.refresh_token!);
      expect(await sessionValid(sid)).toBe(false);
      expect(await client.tokenIntrospection(s.api, tokens.access_token)).toEqual({ active: false });
      await expect(client.refreshTokenGrant(s.app, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    });

    it("revoking a user's access token ends its session too (a logout that sticks)", async () => {
      const s = await setup();
      const tokens = await userTokens(s);
      await client.tokenRevocation(s.app, tokens.access_token);
      expect(await sessionValid(decodeJwt(tokens.access_token).sid as string)).toBe(false);
      await expect(client.refreshTokenGrant(s.app, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    });

    it("answers 200 but revokes nothing for another client's token, an unknown one, or a consumed one", async () => {
      const s = await setup();
      const tokens = await userTokens(s);
      await client.tokenRevocation(s.api, tokens.refresh_token!);
      await client.tokenRevocation(s.api, tokens.access_token);
      await client.tokenRevocation(s.app, 'no-such-token');
      const next = await client.refreshTokenGrant(s.app, tokens.refresh_token!);
      await client.tokenRevocation(s.app, tokens.refresh_token!); // consumed: not the current one
      expect(await sessionValid(decodeJwt(tokens.access_token).sid as string)).toBe(true);
      await client.refreshTokenGrant(s.app, next.refresh_token!);
    });

    it("refuses to revoke a client's own access token: unsupported_token_type", async () => {
      const s = await setup();
      const tokens = await client.clientCredentialsGrant(s.app);
      await expect(client.tokenRevocation(s.app, tokens.access_token)).rejects.toMatchObject({ error: 'unsupported_token_type' });
    });

    it('lets a public client revoke its own tokens, and requires a token parameter', async () => {
      const s = await setup();
      const publicClient = await registerClient(t, s.domain, { type: 'public', grantTypes: ['password', 'refresh_token'] });
      const config = await discover(t, s.domain, publicClient, 'none');
      const tokens = await client.genericGrantRequest(config, 'password', { username: s.username, password: PASSWORD });
      await client.tokenRevocation(config, tokens.refresh_token!);
      expect(await sessionValid(decodeJwt(tokens.access_token).sid as string)).toBe(false);
      const missing = await t.api.post(`/domains/${s.domain}/oauth2/revoke`).type('form').send({ client_id: publicClient.clientId });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'token is required' });
    });
  });
});

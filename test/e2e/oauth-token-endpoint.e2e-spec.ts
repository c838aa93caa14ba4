// The token endpoint as OAuth clients see it: discovery, each grant, client authentication, and
// RFC 6749 §5.2 errors, driven through panva's spec-strict clients (openid-client, oauth4webapi).
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { asAdmin, createDomain, createUser, PASSWORD, uniqueName } from '../harness/factories.js';
import { discover, issuerUrl, registerClient, RegisteredClient, startOAuthApp } from '../harness/oauth.js';
import { STORES, TestApp } from '../harness/test-app.js';

const ALL_GRANTS = ['authorization_code', 'client_credentials', 'password', 'refresh_token'];
const INVALID_CLIENT_CHALLENGE = {
  status: 401,
  code: 'OAUTH_WWW_AUTHENTICATE_CHALLENGE',
  cause: [expect.objectContaining({ scheme: 'basic' })],
};

describe.each(STORES)('OAuth 2.0 token endpoint (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startOAuthApp(store, { TRUSTED_PROXIES: '1' });
  });
  afterAll(() => t.close());

  const tokenPath = (domain: string) => `/domains/${domain}/oauth2/token`;
  const basic = ({ clientId, clientSecret }: RegisteredClient) =>
    `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret ?? '')}`).toString('base64')}`;

  async function setup(body: Record<string, unknown> = {}) {
    const domain = await createDomain(t);
    const username = await createUser(t, domain);
    const registered = await registerClient(t, domain, {
      grantTypes: ALL_GRANTS,
      redirectUris: ['https://app.example/callback'],
      scopes: ['orders:read', 'orders:write'],
      ...body,
    });
    return { domain, username, registered };
  }

  /** oauth4webapi's view of the server, from RFC 8414 discovery at the root well-known URL. */
  async function authorizationServer(domain: string): Promise<oauth.AuthorizationServer> {
    const issuer = issuerUrl(t, domain);
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true });
    return oauth.processDiscoveryResponse(issuer, response);
  }

  describe('discovery', () => {
    it('serves RFC 8414 metadata at both well-known URLs, naming every endpoint, grant and auth method', async () => {
      const { domain } = await setup();
      const as = await authorizationServer(domain);
      const issuer = issuerUrl(t, domain).href;
      expect(as).toMatchObject({
        issuer,
        authorization_endpoint: `${issuer}/oauth2/authorize`,
        token_endpoint: `${issuer}/oauth2/token`,
        introspection_endpoint: `${issuer}/oauth2/introspect`,
        revocation_endpoint: `${issuer}/oauth2/revoke`,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        grant_types_supported: ALL_GRANTS,
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        scopes_supported: ['orders:read', 'orders:write'],
        response_types_supported: ['code'],
        response_modes_supported: ['query'],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
      });
      const appended = await t.api.get(`/domains/${domain}/.well-known/oauth-authorization-server`).expect(200);
      expect(appended.body).toEqual(as);
      const openid = await t.api.get(`/domains/${domain}/.well-known/openid-configuration`).expect(200);
      expect(openid.body).toMatchObject(as as Record<string, unknown>);
    });

    it('answers 404 for an unknown domain', async () => {
      await t.api.get(`/.well-known/oauth-authorization-server/domains/${uniqueName()}`).expect(404);
    });
  });

  describe('client_credentials', () => {
    it('gives a confidential client (client_secret_basic) an RFC 9068 token about itself that a resource server validates', async () => {
      const { domain, registered } = await setup({ audience: 'https://orders.internal' });
      const config = await discover(t, domain, registered, 'basic');
      const tokens = await client.clientCredentialsGrant(config, { scope: 'orders:read' });
      expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 300, scope: 'orders:read' });
      expect(tokens.refresh_token).toBeUndefined();
      // A resource server's RFC 9068 validation (typ, iss, aud, exp, iat, sub, jti, client_id) against the JWKS.
      const as = await authorizationServer(domain);
      const request = new Request('https://orders.internal/orders', { headers: { authorization: `Bearer ${tokens.access_token}` } });
      const claims = await oauth.validateJwtAccessToken(as, request, 'https://orders.internal', {
        [oauth.allowInsecureRequests]: true,
      });
      expect(claims).toMatchObject({ sub: registered.clientId, client_id: registered.clientId, scope: 'orders:read' });
      expect(claims.sid).toBeUndefined();
      expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
    });

    it('accepts client_secret_post, and grants every allowed scope when none is asked', async () => {
      const { domain, registered } = await setup();
      const tokens = await client.clientCredentialsGrant(await discover(t, domain, registered, 'post'));
      expect(tokens.scope).toBe('orders:read orders:write');
      expect(decodeJwt(tokens.access_token).aud).toBe(domain);
    });

    it('answers no-store, and JSON', async () => {
      const { domain, registered } = await setup();
      const response = await t.api
        .post(tokenPath(domain))
        .set('Authorization', basic(registered))
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(200);
      expect(response.headers).toMatchObject({ 'cache-control': 'no-store', pragma: 'no-cache' });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    });

    it('refuses a scope the client was not given: invalid_scope', async () => {
      const { domain, registered } = await setup();
      const response = await t.api
        .post(tokenPath(domain))
        .set('Authorization', basic(registered))
        .type('form')
        .send({ grant_type: 'client_credentials', scope: 'orders:read admin' })
        .expect(400);
      expect(response.body).toEqual({ error: 'invalid_scope', error_description: 'scope not allowed: admin' });
    });
  });

  describe('password', () => {
    it('trades a user password for an access token of a new session and an opaque refresh token', async () => {
      const { domain, username, registered } = await setup();
      const config = await discover(t, domain, registered);
      const tokens = await client.genericGrantRequest(config, 'password', { username, password: PASSWORD, scope: 'orders:read' });
      const claims = decodeJwt(tokens.access_token);
      expect(claims).toMatchObject({ sub: username, client_id: registered.clientId, scope: 'orders:read', sid: expect.any(String) });
      // The refresh token is opaque and never inside the access token.
      expect(tokens.refresh_token).toMatch(/^[\w-]+\.0\.[\w-]+$/);
      expect(JSON.stringify(claims)).not.toContain(tokens.refresh_token!.split('.')[2]);
      expect(claims).not.toHaveProperty('refresh_token');
      await t.internal.get(`/sessions/${claims.sid as string}/valid`).expect(200, { valid: true });
    });

    it('issues no refresh token to a client without the refresh_token grant', async () => {
      const { domain, username, registered } = await setup({ grantTypes: ['password'] });
      const tokens = await client.genericGrantRequest(await discover(t, domain, registered), 'password', { username, password: PASSWORD });
      expect(tokens.refresh_token).toBeUndefined();
    });

    it('works for a public client that names itself (no secret)', async () => {
      const { domain, username, registered } = await setup({ type: 'public', grantTypes: ['password', 'refresh_token'] });
      const config = await discover(t, domain, registered, 'none');
      const tokens = await client.genericGrantRequest(config, 'password', { username, password: PASSWORD });
      await client.refreshTokenGrant(config, tokens.refresh_token!);
    });

    it('refuses a wrong password and an unknown user with the same invalid_grant', async () => {
      const { domain, username, registered } = await setup();
      const attempt = (user: string, password: string) =>
        t.api
          .post(tokenPath(domain))
          .set('Authorization', basic(registered))
          .type('form')
          .send({ grant_type: 'password', username: user, password });
      const wrong = await attempt(username, 'wrong-password').expect(400);
      const unknown = await attempt('nobody-here', PASSWORD).expect(400);
      expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid username or password' });
      expect(unknown.body).toEqual(wrong.body);
    });

    it('is throttled like /login: failures there count here, with Retry-After', async () => {
      const { domain, username, registered } = await setup();
      for (let i = 0; i < 5; i++) {
        await t.api.post('/login').set('X-Forwarded-For', '198.51.100.9').send({ domain, username, password: 'wrong' }).expect(400);
      }
      const response = await t.api
        .post(tokenPath(domain))
        .set('Authorization', basic(registered))
        .set('X-Forwarded-For', '198.51.100.10')
        .type('form')
        .send({ grant_type: 'password', username, password: PASSWORD })
        .expect(400);
      expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'Too many attempts, try again later' });
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('requires username and password', async () => {
      const { domain, registered } = await setup();
      const response = await t.api
        .post(tokenPath(domain))
        .set('Authorization', basic(registered))
        .type('form')
        .send({ grant_type: 'password', username: 'someone' })
        .expect(400);
      expect(response.body).toEqual({ error: 'invalid_request', error_description: 'password is required' });
    });
  });

  describe('client authentication', () => {
    const send = (domain: string, form: Record<string, string>, authorization?: string) => {
      const request = t.api.post(tokenPath(domain)).type('form');
      if (authorization) request.set('Authorization', authorization);
      return request.send(form);
    };
    const expectInvalidClient = (response: { status: number; body: unknown; headers: Record<string, string> }) => {
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm="http:\/\/127\.0\.0\.1:\d+\/domains\/[\w-]+"/);
    };

    it('refuses a wrong secret, by either method, through openid-client too', async () => {
      const { domain, registered } = await setup();
      const wrong = { ...registered, clientSecret: 'not-the-secret' };
      expectInvalidClient(await send(domain, { grant_type: 'client_credentials' }, basic(wrong)));
      expectInvalidClient(await send(domain, { grant_type: 'client_credentials', client_id: wrong.clientId, client_secret: 'nope' }));
      // A spec-strict client reads the 401's challenge (RFC 6749 §5.2: the scheme the client may use).
      await expect(client.clientCredentialsGrant(await discover(t, domain, wrong))).rejects.toMatchObject(INVALID_CLIENT_CHALLENGE);
    });

    it('refuses a confidential client without its secret, and a public client that sends one', async () => {
      const { domain, registered } = await setup();
      expectInvalidClient(await send(domain, { grant_type: 'client_credentials', client_id: registered.clientId }));
      const { registered: app } = await setup({ type: 'public', grantTypes: ['password'] });
      expectInvalidClient(await send(domain, { grant_type: 'password', client_id: app.clientId, client_secret: 'x' }));
      expectInvalidClient(await send(domain, { grant_type: 'client_credentials' }));
    });

    it('refuses a disabled client until it is enabled again', async () => {
      const { domain, registered } = await setup();
      const config = await discover(t, domain, registered);
      await t.api.post(`/admin/domains/${domain}/clients/${registered.clientId}/disable`).set(asAdmin).expect(200);
      await expect(client.clientCredentialsGrant(config)).rejects.toMatchObject(INVALID_CLIENT_CHALLENGE);
      await t.api.post(`/admin/domains/${domain}/clients/${registered.clientId}/enable`).set(asAdmin).expect(200);
      await client.clientCredentialsGrant(config);
    });

    it("refuses a client of another domain at this domain's endpoint", async () => {
      const { registered } = await setup();
      const { domain: other } = await setup();
      expectInvalidClient(await send(other, { grant_type: 'client_credentials' }, basic(registered)));
    });

    it('refuses two authentication methods at once, and a client_id that differs from the Basic one', async () => {
      const { domain, registered } = await setup();
      const both = await send(domain, { grant_type: 'client_credentials', client_secret: registered.clientSecret! }, basic(registered));
      expect(both.status).toBe(400);
      expect(both.body.error).toBe('invalid_request');
      const differs = await send(domain, { grant_type: 'client_credentials', client_id: 'someone-else' }, basic(registered));
      expect(differs.body).toEqual({ error: 'invalid_request', error_description: 'client_id differs from the authenticated client' });
    });

    it('refuses a malformed Basic header as invalid_client', async () => {
      const { domain } = await setup();
      expectInvalidClient(await send(domain, { grant_type: 'client_credentials' }, 'Basic !!!'));
      expectInvalidClient(await send(domain, { grant_type: 'client_credentials' }, `Basic ${Buffer.from('no-colon').toString('base64')}`));
    });
  });

  describe('request errors (RFC 6749 §5.2)', () => {
    const post = (domain: string, registered: RegisteredClient) =>
      t.api.post(tokenPath(domain)).set('Authorization', basic(registered)).type('form');

    it('unauthorized_client: a grant type the client may not use', async () => {
      const { domain, registered } = await setup({ grantTypes: ['client_credentials'] });
      const response = await post(domain, registered).send({ grant_type: 'password', username: 'a', password: 'b' }).expect(400);
      expect(response.body).toEqual({ error: 'unauthorized_client', error_description: 'This client may not use the password grant' });
      const code = await post(domain, registered).send({
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: 'https://a.example/cb',
      });
      expect([code.status, code.body.error]).toEqual([400, 'unauthorized_client']);
    });

    it('unsupported_grant_type: one the server does not serve (implicit flows never)', async () => {
      const { domain, registered } = await setup();
      for (const grantType of ['urn:ietf:params:oauth:grant-type:device_code', 'implicit', 'token']) {
        const response = await post(domain, registered).send({ grant_type: grantType }).expect(400);
        expect(response.body.error).toBe('unsupported_grant_type');
      }
    });

    it('invalid_request: no grant_type, a repeated parameter, a JSON body', async () => {
      const { domain, registered } = await setup();
      expect((await post(domain, registered).send({}).expect(400)).body).toEqual({
        error: 'invalid_request',
        error_description: 'grant_type is required',
      });
      const repeated = await post(domain, registered)
        .send('grant_type=client_credentials&scope=orders:read&scope=orders:write')
        .expect(400);
      expect(repeated.body).toEqual({ error: 'invalid_request', error_description: 'scope must not be given more than once' });
      const json = await t.api
        .post(tokenPath(domain))
        .set('Authorization', basic(registered))
        .send({ grant_type: 'client_credentials' })
        .expect(400);
      expect(json.body).toEqual({ error: 'invalid_request', error_description: 'The body must be application/x-www-form-urlencoded' });
    });

    it('ignores parameters it does not know (RFC 6749 §3.2)', async () => {
      const { domain, registered } = await setup();
      await post(domain, registered).send({ grant_type: 'client_credentials', resource_hint: 'x', foo: 'bar' }).expect(200);
    });

    it('answers an unknown domain 404 in the same error shape', async () => {
      const { registered } = await setup();
      const response = await post(uniqueName(), registered).send({ grant_type: 'client_credentials' }).expect(404);
      expect(response.body).toEqual({ error: 'invalid_request', error_description: 'Domain not found' });
    });

    it('takes forms on the OAuth routes only: /login still refuses one', async () => {
      await t.api.post('/login').type('form').send({ domain: 'd', username: 'u', password: 'p' }).expect(415);
    });
  });
});

import { createDomain, uniqueName } from '../harness/factories.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

describe.each(STORES)('JWKS, docs and health (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(store);
  });
  afterAll(() => t.close());

  describe('GET /domains/:domain/.well-known/jwks.json', () => {
    it.each(['ES256', 'EdDSA', 'RS256'])('publishes the public %s key only, with kid, alg and use', async (algorithm) => {
      const domain = await createDomain(t, { algorithm });
      const response = await t.api.get(`/domains/${domain}/.well-known/jwks.json`).expect(200);
      expect(response.headers['cache-control']).toContain('max-age');
      expect(response.body.keys).toHaveLength(1);
      const [key] = response.body.keys;
      expect(key).toMatchObject({ alg: algorithm, use: 'sig', kid: expect.any(String) });
      for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(privatePart);
    });

    it('publishes nothing for an HS256 (shared secret) domain', async () => {
      const domain = await createDomain(t, { algorithm: 'HS256' });
      await t.api.get(`/domains/${domain}/.well-known/jwks.json`).expect(200, { keys: [] });
    });

    it('answers 404 for an unknown domain', async () => {
      await t.api
        .get(`/domains/${uniqueName()}/.well-known/jwks.json`)
        .expect(404, { error: 'Domain not found', code: 'domain_not_found' });
    });
  });

  describe('GET /domains/:domain/.well-known/openid-configuration', () => {
    it('names the issuer, the JWKS and the endpoints, cacheable', async () => {
      const domain = await createDomain(t, { algorithm: 'EdDSA' });
      const response = await t.api.get(`/domains/${domain}/.well-known/openid-configuration`).expect(200);
      expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
      expect(response.body).toMatchObject({
        issuer: `${t.config.publicUrl}/domains/${domain}`,
        jwks_uri: `${t.config.publicUrl}/domains/${domain}/.well-known/jwks.json`,
        token_endpoint: `${t.config.publicUrl}/domains/${domain}/oauth2/token`,
        login_endpoint: `${t.config.publicUrl}/login`,
        logout_endpoint: `${t.config.publicUrl}/logout`,
        authorization_endpoint: `${t.config.publicUrl}/domains/${domain}/oauth2/authorize`,
        userinfo_endpoint: `${t.config.publicUrl}/domains/${domain}/oauth2/userinfo`,
        end_session_endpoint: `${t.config.publicUrl}/domains/${domain}/oauth2/logout`,
        id_token_signing_alg_values_supported: ['EdDSA'],
      });
      await t.api.get(`/domains/${uniqueName()}/.well-known/openid-configuration`).expect(404);
    });
  });

  describe('Swagger', () => {
    it('documents every route, its body and its error responses', async () => {
      const { body: spec } = await t.api.get('/docs-json').expect(200);
      const routes = Object.entries(spec.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>).flatMap(
        ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(routes.sort()).toEqual(
        [
          'POST /login',
          'GET /refresh',
          'GET /status',
          'GET /auth',
          'POST /logout',
          'POST /password',
          'GET /sessions',
          'DELETE /sessions/{id}',
          'GET /sessions/{id}/valid',
          'GET /domains/{domain}/.well-known/jwks.json',
          'GET /domains/{domain}/.well-known/openid-configuration',
          'GET /domains/{domain}/.well-known/oauth-authorization-server',
          'GET /.well-known/oauth-authorization-server/domains/{domain}',
          'POST /domains/{domain}/oauth2/token',
          'POST /domains/{domain}/oauth2/introspect',
          'POST /domains/{domain}/oauth2/revoke',
          'GET /domains/{domain}/oauth2/userinfo',
          'POST /domains/{domain}/oauth2/userinfo',
          'POST /admin/domains/{domain}/clients',
          'GET /admin/domains/{domain}/clients',
          'GET /admin/domains/{domain}/clients/{clientId}',
          'POST /admin/domains/{domain}/clients/{clientId}/disable',
          'POST /admin/domains/{domain}/clients/{clientId}/enable',
          'POST /admin/domains/{domain}/clients/{clientId}/rotate-secret',
          'DELETE /admin/domains/{domain}/clients/{clientId}',
          'GET /health/live',
          'GET /health/ready',
          'GET /metrics',
          'POST /admin/domains',
          'GET /admin/domains',
          'GET /admin/domains/{domain}',
          'PATCH /admin/domains/{domain}',
          'DELETE /admin/domains/{domain}',
          'POST /admin/domains/{domain}/disable',
          'POST /admin/domains/{domain}/enable',
          'POST /admin/domains/{domain}/users',
          'GET /admin/domains/{domain}/users/{username}',
          'PUT /admin/domains/{domain}/users/{username}/password',
          'POST /admin/domains/{domain}/users/{username}/disable',
          'POST /admin/domains/{domain}/users/{username}/enable',
          'GET /admin/domains/{domain}/users/{username}/sessions',
          'GET /admin/domains/{domain}/users/{username}/throttle',
          'POST /admin/domains/{domain}/users/{username}/throttle/clear',
          'POST /admin/sessions/{id}/revoke',
          'GET /admin/domains/{domain}/keys',
          'GET /admin/domains/{domain}/events',
          'POST /admin/domains/{domain}/keys/rotate',
        ].sort(),
      );
      for (const [path, methods] of Object.entries(spec.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
        for (const [method, operation] of Object.entries(methods)) {
          const statuses = Object.keys(operation.responses);
          expect({ route: `${method} ${path}`, success: statuses.some((status) => status.startsWith('2')) }).toEqual({
            route: `${method} ${path}`,
            success: true,
          });
          if (!path.startsWith('/health'))
            expect({ route: `${method} ${path}`, errors: statuses.some((status) => /^[45]/.test(status)) }).toEqual({
              route: `${method} ${path}`,
              errors: true,
            });
        }
      }
      const login = spec.paths['/login'].post;
      expect(login.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/LoginDto');
      expect(Object.keys(login.responses)).toEqual(expect.arrayContaining(['200', '400', '413', '503']));
      expect(Object.keys(spec.paths['/refresh'].get.responses)).toEqual(expect.arrayContaining(['200', '401']));
      expect(spec.components.schemas.ErrorDto.required).toEqual(['error', 'code']);
    });

    it('orders the tags for readers, sends internal routes to the internal port, and describes both bearer schemes', async () => {
      const { body: spec } = await t.api.get('/docs-json').expect(200);
      expect(spec.tags.map((tag: { name: string }) => tag.name)).toEqual([
        'auth',
        'account',
        'oauth',
        'keys',
        'admin',
        'health',
        'internal',
      ]);
      type Operation = { tags: string[]; servers?: { url: string }[]; security?: Record<string, string[]>[] };
      const operations = Object.values(spec.paths as Record<string, Record<string, Operation>>).flatMap((methods) =>
        Object.values(methods),
      );
      for (const operation of operations) {
        const internal = operation.tags.includes('internal');
        expect(operation.servers?.[0]?.url).toBe(internal ? `http://localhost:${t.config.internalPort}` : undefined);
        expect(operation.tags.includes('admin')).toBe(operation.security?.some((scheme) => 'admin' in scheme) ?? false);
      }
      expect(operations.filter((operation) => operation.tags.includes('internal'))).toHaveLength(2);
      for (const [path, method] of [
        ['/refresh', 'get'],
        ['/password', 'post'],
        ['/sessions', 'get'],
        ['/sessions/{id}', 'delete'],
      ])
        expect({ path, security: spec.paths[path][method].security }).toEqual({ path, security: [{ token: [] }] });
      expect(spec.components.securitySchemes).toMatchObject({
        admin: { type: 'http', scheme: 'bearer', description: expect.stringContaining('ADMIN_TOKEN') },
        token: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        client: { type: 'http', scheme: 'basic' },
      });
      const token = spec.paths['/domains/{domain}/oauth2/token'].post;
      expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
      expect(token.responses['401'].content['application/json'].schema.$ref).toBe('#/components/schemas/OAuthErrorDto');
    });

    it('serves the Swagger UI at /docs', async () => {
      const response = await t.api.get('/docs').redirects(1);
      expect(response.status).toBe(200);
      expect(response.text).toContain('swagger');
    });
  });

  describe('health', () => {
    it('is live and ready', async () => {
      await t.api.get('/health/live').expect(200);
      const ready = await t.api.get('/health/ready').expect(200);
      expect(ready.body.details).toMatchObject({ dynamodb: { status: 'up' }, keyStore: { status: 'up' } });
    });
  });
});

describe('when the store cannot be reached', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 9 (discard) of loopback: every AWS call fails to connect.
    t = await startTestApp('aws', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', CREATE_TABLES: 'false' });
  });
  afterAll(() => t.close());

  it('readiness is red (503) while liveness stays green', async () => {
    await t.api.get('/health/ready').expect(503, { error: 'Service unavailable', code: 'unavailable' });
    await t.api.get('/health/live').expect(200);
  });

  it('login and refresh answer 503 with a code, never a 500 or an SDK message', async () => {
    const login = await t.api.post('/login').send({ domain: 'any', username: 'u', password: 'p' });
    expect(login.status).toBe(503);
    expect(login.body).toEqual({
      message: 'Storage is unavailable, try again later',
      error: 'Storage is unavailable, try again later',
      code: 'store_unavailable',
    });
    const jwks = await t.api.get('/domains/any/.well-known/jwks.json');
    expect(jwks.status).toBe(503);
  });
});

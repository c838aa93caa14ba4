// The OAuth client registry of the admin API: secrets shown once and stored hashed, the
// registration rules, and the lifecycle (disable, enable, rotate the secret, delete).
import * as client from 'openid-client';
import { asAdmin, createDomain, uniqueName } from '../harness/factories.js';
import { discover, startOAuthApp } from '../harness/oauth.js';
import { STORES, startTwoInstances, TestApp } from '../harness/test-app.js';

describe.each(STORES)('OAuth client registry (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startOAuthApp(store);
  });
  afterAll(() => t.close());

  const clientsPath = (domain: string) => `/admin/domains/${domain}/clients`;
  const create = (domain: string, body: Record<string, unknown>) =>
    t.api
      .post(clientsPath(domain))
      .set(asAdmin)
      .send({ name: 'orders', type: 'confidential', grantTypes: ['client_credentials'], ...body });

  describe('POST /admin/domains/:domain/clients', () => {
    it('registers a confidential client and shows its secret this once', async () => {
      const domain = await createDomain(t);
      const response = await create(domain, { scopes: ['orders:read'], audience: 'https://orders', accessTokenTtlSeconds: 600 }).expect(
        201,
      );
      expect(response.body).toEqual({
        domain,
        clientId: expect.stringMatching(/^[\w-]{22}$/),
        clientSecret: expect.stringMatching(/^[\w-]{43}$/),
        name: 'orders',
        type: 'confidential',
        grantTypes: ['client_credentials'],
        redirectUris: [],
        postLogoutRedirectUris: [],
        scopes: ['orders:read'],
        audience: 'https://orders',
        accessTokenTtlSeconds: 600,
        refreshTokenTtlSeconds: 1209600,
        refreshReuseGraceSeconds: 5,
        status: 'active',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const { clientId, clientSecret } = response.body;
      const shown = [
        (
          await t.api
            .get(`${clientsPath(domain)}/${clientId}`)
            .set(asAdmin)
            .expect(200)
        ).text,
        (await t.api.get(clientsPath(domain)).set(asAdmin).expect(200)).text,
      ];
      for (const text of shown) {
        expect(text).toContain(clientId);
        expect(text).not.toContain(clientSecret);
        expect(text).not.toMatch(/secretHash|secret"/i);
      }
    });

    it('registers a public client without a secret', async () => {
      const domain = await createDomain(t);
      const response = await create(domain, { type: 'public', grantTypes: ['password', 'refresh_token'] }).expect(201);
      expect(response.body).not.toHaveProperty('clientSecret');
    });

    it.each([
      [{ type: 'public', grantTypes: ['client_credentials'] }, 'invalid_client_metadata', 'A public client cannot use client_credentials'],
      [{ redirectUris: ['http://evil.example/cb'] }, 'invalid_client_metadata', 'redirectUris[0] may use http only on a loopback address'],
      [{ redirectUris: ['https://app.example/cb#x'] }, 'invalid_client_metadata', 'redirectUris[0] must not have a fragment'],
      [{ redirectUris: ['javascript:alert(1)'] }, 'invalid_client_metadata', 'redirectUris[0] must be https'],
      [{ grantTypes: ['implicit'] }, 'validation_failed', 'grantTypes'],
      [{ grantTypes: [] }, 'validation_failed', 'grantTypes'],
      [{ scopes: ['has space'] }, 'validation_failed', 'scope'],
      [{ refreshReuseGraceSeconds: 61 }, 'validation_failed', 'refreshReuseGraceSeconds'],
      [{ clientSecret: 'chosen-by-caller' }, 'validation_failed', 'clientSecret'],
    ])('refuses %j', async (body, code, message) => {
      const domain = await createDomain(t);
      const response = await create(domain, body).expect(400);
      expect(response.body.code).toBe(code);
      expect(response.body.error).toContain(message);
    });

    it('answers 404 for an unknown domain', async () => {
      await create(uniqueName(), {}).expect(404, { error: 'Domain not found', code: 'domain_not_found' });
    });
  });

  describe('lifecycle', () => {
    it('lists, gets, disables, enables and deletes', async () => {
      const domain = await createDomain(t);
      const a = (await create(domain, { name: 'a' }).expect(201)).body;
      const b = (await create(domain, { name: 'b' }).expect(201)).body;
      const list = await t.api.get(clientsPath(domain)).set(asAdmin).expect(200);
      expect(list.body.map((c: { name: string }) => c.name)).toEqual(['a', 'b']);
      const disabled = await t.api
        .post(`${clientsPath(domain)}/${a.clientId}/disable`)
        .set(asAdmin)
        .expect(200);
      expect(disabled.body.status).toBe('disabled');
      const enabled = await t.api
        .post(`${clientsPath(domain)}/${a.clientId}/enable`)
        .set(asAdmin)
        .expect(200);
      expect(enabled.body.status).toBe('active');
      await t.api
        .delete(`${clientsPath(domain)}/${b.clientId}`)
        .set(asAdmin)
        .expect(204);
      await t.api
        .get(`${clientsPath(domain)}/${b.clientId}`)
        .set(asAdmin)
        .expect(404, { error: 'Client not found', code: 'client_not_found' });
      await t.api
        .delete(`${clientsPath(domain)}/${b.clientId}`)
        .set(asAdmin)
        .expect(404);
      // A client of one domain is not found under another.
      await t.api
        .get(`${clientsPath(await createDomain(t))}/${a.clientId}`)
        .set(asAdmin)
        .expect(404);
    });

    it('rotates a secret: the old one works through the grace period, then stops; the new one works', async () => {
      const domain = await createDomain(t);
      const registered = (await create(domain, {}).expect(201)).body;
      const rotated = await t.api
        .post(`${clientsPath(domain)}/${registered.clientId}/rotate-secret`)
        .set(asAdmin)
        .send({ graceSeconds: 60 })
        .expect(200);
      expect(rotated.body.clientSecret).not.toBe(registered.clientSecret);
      expect(rotated.body.previousSecretValidUntil).toEqual(expect.any(String));
      const oldConfig = await discover(t, domain, registered);
      const newConfig = await discover(t, domain, { clientId: registered.clientId, clientSecret: rotated.body.clientSecret });
      await client.clientCredentialsGrant(oldConfig);
      await client.clientCredentialsGrant(newConfig);
      t.clock.advance(61);
      await expect(client.clientCredentialsGrant(oldConfig)).rejects.toMatchObject({ status: 401 });
      await client.clientCredentialsGrant(newConfig);
      const shown = await t.api
        .get(`${clientsPath(domain)}/${registered.clientId}`)
        .set(asAdmin)
        .expect(200);
      expect(shown.body).not.toHaveProperty('previousSecretValidUntil');
    });

    it('rotates with the default 24 h grace when no body is sent, and refuses a public client', async () => {
      const domain = await createDomain(t);
      const registered = (await create(domain, {}).expect(201)).body;
      const rotated = await t.api
        .post(`${clientsPath(domain)}/${registered.clientId}/rotate-secret`)
        .set(asAdmin)
        .expect(200);
      const validFor = Date.parse(rotated.body.previousSecretValidUntil) - t.clock.now().getTime();
      expect(validFor).toBeGreaterThan(86_390_000);
      expect(validFor).toBeLessThanOrEqual(86_400_000);
      const publicClient = (await create(domain, { type: 'public', grantTypes: ['password'] }).expect(201)).body;
      await t.api
        .post(`${clientsPath(domain)}/${publicClient.clientId}/rotate-secret`)
        .set(asAdmin)
        .expect(409, { error: 'A public client has no secret', code: 'client_not_confidential' });
      await t.api
        .post(`${clientsPath(domain)}/${'A'.repeat(22)}/rotate-secret`)
        .set(asAdmin)
        .expect(404);
    });

    it('requires the admin token', async () => {
      const domain = await createDomain(t);
      await t.api.get(clientsPath(domain)).expect(401);
      await t.api
        .post(clientsPath(domain))
        .send({ name: 'x', type: 'public', grantTypes: ['password'] })
        .expect(401);
    });
  });
});

describe.each(STORES)('OAuth clients seen from two instances (%s store)', (store) => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await startTwoInstances(store);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const token = (t: TestApp, domain: string, clientId: string, secret: string) =>
    t.api.post(`/domains/${domain}/oauth2/token`).auth(clientId, secret).type('form').send({ grant_type: 'client_credentials' });

  it('a new secret works on every instance at once; a disable reaches the others within CLIENT_CACHE_SECONDS', async () => {
    const domain = await createDomain(a);
    const { clientId, clientSecret } = (
      await a.api
        .post(`/admin/domains/${domain}/clients`)
        .set(asAdmin)
        .send({ name: 'svc', type: 'confidential', grantTypes: ['client_credentials'] })
        .expect(201)
    ).body;
    await token(b, domain, clientId, clientSecret).expect(200); // b now remembers the client
    const rotated = await a.api.post(`/admin/domains/${domain}/clients/${clientId}/rotate-secret`).set(asAdmin).send({ graceSeconds: 0 });
    await token(b, domain, clientId, rotated.body.clientSecret).expect(200);
    await a.api.post(`/admin/domains/${domain}/clients/${clientId}/disable`).set(asAdmin).expect(200);
    await token(a, domain, clientId, rotated.body.clientSecret).expect(401);
    await token(b, domain, clientId, rotated.body.clientSecret).expect(200); // remembered, at most 5 s
    b.clock.advance(6);
    await token(b, domain, clientId, rotated.body.clientSecret).expect(401);
  });
});

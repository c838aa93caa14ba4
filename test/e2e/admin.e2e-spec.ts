import { asAdmin, createDomain, createUser, login, PASSWORD, uniqueName } from '../harness/factories.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

describe.each(STORES)('admin API (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(store);
  });
  afterAll(() => t.close());

  it('refuses requests without the admin token, or with a wrong one', async () => {
    await t.api.get('/admin/domains').expect(401, { error: 'A valid admin token is required', code: 'admin_unauthorized' });
    await t.api.get('/admin/domains').set('Authorization', 'Bearer wrong').expect(401);
    await t.api.post('/admin/domains').send({ name: uniqueName() }).expect(401);
  });

  it.each([
    ['PUT', '/admin/domains/some-domain', 'DELETE, GET, HEAD, OPTIONS, PATCH'],
    ['PUT', '/admin/domains', 'GET, HEAD, OPTIONS, POST'],
    ['GET', '/admin/domains/some-domain/users/bob/password', 'OPTIONS, PUT'],
  ])('answers %s %s, a method the path does not take, with 405 and Allow', async (method, path, allow) => {
    const response = await t.api[method.toLowerCase() as 'get' | 'put' | 'delete'](path).set(asAdmin).expect(405);
    expect(response.body).toEqual({ error: 'Method not allowed', code: 'method_not_allowed' });
    expect(response.headers.allow).toBe(allow);
  });

  describe('domains', () => {
    it('creates a domain with defaults, lists it and gets it', async () => {
      const name = uniqueName();
      const created = await t.api.post('/admin/domains').set(asAdmin).send({ name }).expect(201);
      expect(created.body).toMatchObject({
        name,
        status: 'active',
        algorithm: 'ES256',
        audience: name,
        accessTokenTtlSeconds: 300,
        sessionTtlSeconds: 604800,
        corsOrigins: [],
      });
      const listed = await t.api.get('/admin/domains').set(asAdmin).expect(200);
      expect(listed.body.map((d: { name: string }) => d.name)).toContain(name);
      await t.api.get(`/admin/domains/${name}`).set(asAdmin).expect(200);
    });

    it('refuses a duplicate with 409 and unknown domains with 404', async () => {
      const name = await createDomain(t);
      await t.api.post('/admin/domains').set(asAdmin).send({ name }).expect(409, { error: 'Domain already exists', code: 'domain_exists' });
      await t.api.get(`/admin/domains/${uniqueName()}`).set(asAdmin).expect(404);
      await t.api.post(`/admin/domains/${uniqueName()}/disable`).set(asAdmin).expect(404);
    });

    it.each([
      ['an invalid name', { name: 'Not Valid!' }],
      ['a name with a path', { name: '../etc' }],
      ['an unknown algorithm', { name: 'ok-name', algorithm: 'none' }],
      ['a too short access lifetime', { name: 'ok-name', accessTokenTtlSeconds: 1 }],
      ['a string lifetime', { name: 'ok-name', sessionTtlSeconds: 'forever' }],
      ['a bad CORS origin', { name: 'ok-name', corsOrigins: ['javascript:alert(1)'] }],
      ['a CORS origin with a path', { name: 'ok-name', corsOrigins: ['https://app.example/login'] }],
      ['a CORS origin no browser sends', { name: 'ok-name', corsOrigins: ['http://['] }],
      ['an unknown field', { name: 'ok-name', isAdmin: true }],
      ['an empty audience', { name: 'ok-name', audience: '' }],
      // Left out, a field takes its default; null is not "left out" (the schema says string).
      ['a null audience', { name: 'ok-name', audience: null }],
      ['a null algorithm', { name: 'ok-name', algorithm: null }],
      ['a fractional lifetime', { name: 'ok-name', accessTokenTtlSeconds: 60.5 }],
    ])('rejects %s with 400 validation_failed', async (_case, body) => {
      const response = await t.api.post('/admin/domains').set(asAdmin).send(body).expect(400);
      expect(response.body).toEqual({ error: expect.any(String), code: 'validation_failed' });
    });

    it('disables and re-enables a domain', async () => {
      const name = await createDomain(t);
      const username = await createUser(t, name);
      await t.api.post(`/admin/domains/${name}/disable`).set(asAdmin).expect(200);
      await t.api.post('/login').send({ domain: name, username, password: PASSWORD }).expect(400);
      await t.api.post(`/admin/domains/${name}/enable`).set(asAdmin).expect(200);
      await login(t, name, username);
    });
  });

  describe('users', () => {
    it('creates a user without ever returning its password hash', async () => {
      const domain = await createDomain(t);
      const response = await t.api
        .post(`/admin/domains/${domain}/users`)
        .set(asAdmin)
        .send({ username: 'bob', password: PASSWORD })
        .expect(201);
      expect(response.body).toEqual({
        domain,
        username: 'bob',
        status: 'active',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const fetched = await t.api.get(`/admin/domains/${domain}/users/bob`).set(asAdmin).expect(200);
      expect(JSON.stringify(fetched.body)).not.toMatch(/argon|hash|password/i);
    });

    it('refuses duplicates (409), unknown domains (404) and weak input (400)', async () => {
      const domain = await createDomain(t);
      const username = await createUser(t, domain);
      await t.api.post(`/admin/domains/${domain}/users`).set(asAdmin).send({ username, password: PASSWORD }).expect(409);
      await t.api.post(`/admin/domains/${uniqueName()}/users`).set(asAdmin).send({ username, password: PASSWORD }).expect(404);
      await t.api.post(`/admin/domains/${domain}/users`).set(asAdmin).send({ username: 'short-pw', password: 'short' }).expect(400);
      await t.api.post(`/admin/domains/${domain}/users`).set(asAdmin).send({ username: ' leading', password: PASSWORD }).expect(400);
      await t.api.post(`/admin/domains/${domain}/users`).set(asAdmin).send({ username: '', password: PASSWORD }).expect(400);
      await t.api.get(`/admin/domains/${domain}/users/nobody`).set(asAdmin).expect(404);
    });

    it('addresses the longest username there is (128 characters, outside the BMP too) by its path', async () => {
      const domain = await createDomain(t);
      const username = await createUser(t, domain, '𝒶'.repeat(128));
      const path = `/admin/domains/${domain}/users/${encodeURIComponent(username)}`;
      await t.api.get(path).set(asAdmin).expect(200);
      await t.api.post(`${path}/disable`).set(asAdmin).expect(200);
      // Past any parameter the API takes: 414 in the `{error, code}` shape, as the document says.
      await t.api
        .get(`/admin/domains/${domain}/users/${'a'.repeat(300)}`)
        .set(asAdmin)
        .expect(414, { error: 'URI Too Long', code: 'uri_too_long' });
    });

    it('refuses properties a password change does not take', async () => {
      const domain = await createDomain(t);
      const username = await createUser(t, domain);
      await t.api
        .put(`/admin/domains/${domain}/users/${username}/password`)
        .set(asAdmin)
        .send({ password: 'a-brand-new-password', status: 'active' })
        .expect(400);
    });

    it('sets a password: the old one stops working, the new one works', async () => {
      const domain = await createDomain(t);
      const username = await createUser(t, domain);
      await t.api
        .put(`/admin/domains/${domain}/users/${username}/password`)
        .set(asAdmin)
        .send({ password: 'a-brand-new-password' })
        .expect(200);
      await t.api.post('/login').send({ domain, username, password: PASSWORD }).expect(400);
      await login(t, domain, username, 'a-brand-new-password');
      await t.api.put(`/admin/domains/${domain}/users/nobody/password`).set(asAdmin).send({ password: 'a-brand-new-password' }).expect(404);
    });

    it('disables and re-enables a user', async () => {
      const domain = await createDomain(t);
      const username = await createUser(t, domain);
      await t.api.post(`/admin/domains/${domain}/users/${username}/disable`).set(asAdmin).expect(200);
      await t.api.post('/login').send({ domain, username, password: PASSWORD }).expect(400);
      await t.api.post(`/admin/domains/${domain}/users/${username}/enable`).set(asAdmin).expect(200);
      await login(t, domain, username);
    });
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('embedded', { ADMIN_TOKEN: '' });
  });
  afterAll(() => t.close());

  it('is closed: 403 admin_disabled, whatever token is sent', async () => {
    await t.api.get('/admin/domains').expect(403, { error: 'The admin API is disabled: set ADMIN_TOKEN', code: 'admin_disabled' });
    await t.api.get('/admin/domains').set('Authorization', 'Bearer undefined').expect(403);
  });
});

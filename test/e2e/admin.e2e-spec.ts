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
      ['an unknown field', { name: 'ok-name', isAdmin: true }],
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
      await t.api.get(`/admin/domains/${domain}/users/nobody`).set(asAdmin).expect(404);
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

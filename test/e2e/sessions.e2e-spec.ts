import { asAdmin, bearer, loggedIn } from '../harness/factories.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

describe.each(STORES)('sessions (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(store);
  });
  afterAll(() => t.close());

  describe('GET /sessions/:id/valid (internal port)', () => {
    it('is true for a live session and false after logout', async () => {
      const { token, claims } = await loggedIn(t);
      await t.internal.get(`/sessions/${claims.session}/valid`).expect(200, { valid: true });
      await t.api.post('/logout').set(bearer(token)).expect(204);
      await t.internal.get(`/sessions/${claims.session}/valid`).expect(200, { valid: false });
    });

    it('is false once the session is past its lifetime', async () => {
      const { claims } = await loggedIn(t, { sessionTtlSeconds: 600 });
      t.clock.advance(601);
      await t.internal.get(`/sessions/${claims.session}/valid`).expect(200, { valid: false });
    });

    it.each(['AAAAAAAAAAAAAAAAAAAAAA', 'not-an-id', '..%2F..%2Fetc'])('is false for an unknown or malformed id (%s)', async (id) => {
      await t.internal.get(`/sessions/${id}/valid`).expect(200, { valid: false });
    });

    it('answers an absurdly long id with a 4xx, not a 500', async () => {
      await t.internal.get(`/sessions/${'x'.repeat(300)}/valid`).expect(414, { error: 'URI Too Long', code: 'uri_too_long' });
    });

    it('is false once the user is disabled or gets a new password, and while the domain is disabled', async () => {
      const disabled = await loggedIn(t);
      await t.api.post(`/admin/domains/${disabled.domain}/users/${disabled.username}/disable`).set(asAdmin).expect(200);
      await t.internal.get(`/sessions/${disabled.claims.session}/valid`).expect(200, { valid: false });

      const reset = await loggedIn(t);
      await t.api
        .put(`/admin/domains/${reset.domain}/users/${reset.username}/password`)
        .set(asAdmin)
        .send({ password: 'another-long-password' })
        .expect(200);
      await t.internal.get(`/sessions/${reset.claims.session}/valid`).expect(200, { valid: false });
      await t.api.get('/refresh').set(bearer(reset.token)).expect(401);

      const domainOff = await loggedIn(t);
      await t.api.post(`/admin/domains/${domainOff.domain}/disable`).set(asAdmin).expect(200);
      await t.internal.get(`/sessions/${domainOff.claims.session}/valid`).expect(200, { valid: false });
      await t.api.post(`/admin/domains/${domainOff.domain}/enable`).set(asAdmin).expect(200);
      await t.internal.get(`/sessions/${domainOff.claims.session}/valid`).expect(200, { valid: true });
    });

    it('does not exist on the public port', async () => {
      const { claims } = await loggedIn(t);
      const response = await t.api.get(`/sessions/${claims.session}/valid`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: 'Not found', code: 'not_found' });
    });
  });

  describe('POST /logout', () => {
    it('revokes the presented session, also with an expired token, and refuses a bad token', async () => {
      const { token } = await loggedIn(t);
      t.clock.advance(600);
      await t.api.post('/logout').set(bearer(token)).expect(204);
      expect((await t.api.post('/logout')).status).toBe(401);
      expect((await t.api.post('/logout').set(bearer('nope'))).body.code).toBe('invalid_token');
    });
  });

  describe('admin: list and revoke', () => {
    it("lists a user's sessions without refresh secrets, and revokes one", async () => {
      const { domain, username, claims } = await loggedIn(t);
      const listed = await t.api.get(`/admin/domains/${domain}/users/${username}/sessions`).set(asAdmin).expect(200);
      expect(listed.body).toEqual([expect.objectContaining({ id: claims.session, domain, username, valid: true })]);
      expect(JSON.stringify(listed.body)).not.toMatch(/refresh/i);

      await t.api.post(`/admin/sessions/${claims.session}/revoke`).set(asAdmin).expect(204);
      await t.internal.get(`/sessions/${claims.session}/valid`).expect(200, { valid: false });
      await t.api.post('/admin/sessions/AAAAAAAAAAAAAAAAAAAAAA/revoke').set(asAdmin).expect(404);
    });
  });
});

import { asAdmin, createDomain, createUser, uniqueName } from '../harness/factories.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

describe.each(STORES)('password policy (%s store)', (store) => {
  let t: TestApp;
  let domain: string;
  beforeAll(async () => {
    t = await startTestApp(store);
    domain = await createDomain(t);
  });
  afterAll(() => t.close());

  const create = (password: string) =>
    t.api
      .post(`/admin/domains/${domain}/users`)
      .set(asAdmin)
      .send({ username: uniqueName('u'), password });

  it.each(['password123', 'Qwerty123', 'iloveyou'])('refuses the common password %p with a 400 naming the rule', async (password) => {
    const response = await create(password).expect(400);
    expect(response.body).toEqual({ error: expect.stringContaining('too common'), code: 'password_too_common' });
  });

  it('applies to a password change too, and keeps the old password working', async () => {
    const username = await createUser(t, domain);
    const change = await t.api.put(`/admin/domains/${domain}/users/${username}/password`).set(asAdmin).send({ password: 'letmein123' });
    expect(change.status).toBe(400);
    expect(change.body.code).toBe('password_too_common');
    await t.api.post('/login').send({ domain, username, password: 'correct-horse-battery-staple' }).expect(200);
  });

  it('accepts a long passphrase without composition rules', async () => {
    await create('all lowercase words make a fine passphrase').expect(201);
  });
});

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { AwsClients } from '../../src/aws/aws-clients.js';
import { asAdmin, createDomain, createUser, PASSWORD, uniqueName } from '../harness/factories.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

const DEFAULTS = {
  passwordMinLength: 8,
  refreshReuseGraceSeconds: 5,
  loginThrottle: {
    account: { failures: 5, windowSeconds: 900, maxWaitSeconds: 900 },
    address: { failures: 30, windowSeconds: 900, maxWaitSeconds: 900 },
  },
};

describe.each(STORES)('domain security settings (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(store);
  });
  afterAll(() => t.close());

  it('are shown with their defaults, also for a domain stored before they existed', async () => {
    const name = await createDomain(t);
    expect((await t.api.get(`/admin/domains/${name}`).set(asAdmin).expect(200)).body).toMatchObject(DEFAULTS);

    const old = uniqueName();
    const clients = t.app.get(AwsClients);
    const item = { name: old, status: 'active', algorithm: 'ES256', audience: old, accessTokenTtlSeconds: 300, sessionTtlSeconds: 3600 };
    const legacy = {
      ...item,
      corsOrigins: [],
      rotationPeriodDays: 30,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await clients.dynamo.send(new PutCommand({ TableName: clients.tables.domains, Item: legacy }));
    expect((await t.api.get(`/admin/domains/${old}`).set(asAdmin).expect(200)).body).toMatchObject(DEFAULTS);
  });

  it('a minimum password length of the domain’s own', async () => {
    const domain = await createDomain(t, { passwordMinLength: 16 });
    const short = await t.api.post(`/admin/domains/${domain}/users`).set(asAdmin).send({ username: 'ann', password: 'fifteen-chars!!' });
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('password_too_short');
    await t.api.post(`/admin/domains/${domain}/users`).set(asAdmin).send({ username: 'ann', password: 'sixteen-chars!!!' }).expect(201);
  });

  it('throttling rules of the domain’s own, changed later with PATCH', async () => {
    const strict = { failures: 2, windowSeconds: 60, maxWaitSeconds: 60 };
    const domain = await createDomain(t, { loginThrottle: { account: strict, address: strict } });
    const username = await createUser(t, domain);
    const login = (password: string) => t.api.post('/login').send({ domain, username, password });
    await login('wrong-1').expect(400);
    await login('wrong-2').expect(400);
    await login(PASSWORD).expect(429);

    const loose = { failures: 50, windowSeconds: 60, maxWaitSeconds: 60 };
    const patched = await t.api
      .patch(`/admin/domains/${domain}`)
      .set(asAdmin)
      .send({ loginThrottle: { account: loose, address: loose }, refreshReuseGraceSeconds: 2 })
      .expect(200);
    expect(patched.body).toMatchObject({ refreshReuseGraceSeconds: 2, loginThrottle: { account: loose }, passwordMinLength: 8 });
    t.clock.advance(11); // past this instance's block cache
    await login(PASSWORD).expect(200);
  });

  it.each([
    ['a grace over 10 s', { refreshReuseGraceSeconds: 11 }],
    ['a minimum under 8', { passwordMinLength: 7 }],
    ['a rule missing a field', { loginThrottle: { account: { failures: 3, windowSeconds: 60 }, address: DEFAULTS.loginThrottle.address } }],
    ['an unknown setting', { algorithm: 'HS256' }],
  ])('refuses %s with 400', async (_case, body) => {
    const domain = await createDomain(t);
    const response = await t.api.patch(`/admin/domains/${domain}`).set(asAdmin).send(body).expect(400);
    expect(response.body.code).toBe('validation_failed');
  });

  it('answers 404 for an unknown domain', async () => {
    await t.api.patch(`/admin/domains/${uniqueName()}`).set(asAdmin).send({ passwordMinLength: 10 }).expect(404);
  });
});

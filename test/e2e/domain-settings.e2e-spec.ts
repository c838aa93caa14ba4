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

describe.each(STORES)('domain login page branding (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(store);
  });
  afterAll(() => t.close());

  const BRANDING = { displayName: 'Acme Corporation', logoUrl: 'https://cdn.acme.test/logo.svg?v=2', brandColor: '#0B5fFF' };
  const read = async (domain: string) =>
    (await t.api.get(`/admin/domains/${domain}`).set(asAdmin).expect(200)).body as Record<string, unknown>;

  it('is absent unless set', async () => {
    const domain = await read(await createDomain(t));
    for (const field of Object.keys(BRANDING)) expect(domain).not.toHaveProperty(field);
  });

  it('is set at creation and shown as given, the display name trimmed', async () => {
    const created = await t.api
      .post('/admin/domains')
      .set(asAdmin)
      .send({ name: uniqueName(), ...BRANDING, displayName: '  Acme Corporation ' })
      .expect(201);
    expect(created.body).toMatchObject(BRANDING);
    expect(await read(created.body.name)).toMatchObject(BRANDING);
  });

  it('is changed with PATCH, each setting alone, and removed with null', async () => {
    const domain = await createDomain(t, BRANDING);
    const patched = await t.api.patch(`/admin/domains/${domain}`).set(asAdmin).send({ brandColor: '#112233' }).expect(200);
    expect(patched.body).toMatchObject({ ...BRANDING, brandColor: '#112233' });

    const cleared = await t.api
      .patch(`/admin/domains/${domain}`)
      .set(asAdmin)
      .send({ displayName: null, logoUrl: null, passwordMinLength: 12 })
      .expect(200);
    expect(cleared.body).not.toHaveProperty('displayName');
    expect(cleared.body).not.toHaveProperty('logoUrl');
    expect(cleared.body).toMatchObject({ brandColor: '#112233', passwordMinLength: 12 });
    const stored = await read(domain);
    expect(stored).not.toHaveProperty('displayName');
    expect(stored).not.toHaveProperty('logoUrl');
    expect(stored).toMatchObject({ brandColor: '#112233', passwordMinLength: 12 });

    await t.api.patch(`/admin/domains/${domain}`).set(asAdmin).send({ displayName: 'Acme' }).expect(200);
    expect(await read(domain)).toMatchObject({ displayName: 'Acme', brandColor: '#112233' });
  });

  it.each([
    ['an http logo', { logoUrl: 'http://cdn.acme.test/logo.svg' }],
    ['a logo URL with credentials', { logoUrl: 'https://user:secret@cdn.acme.test/logo.svg' }],
    ['a logo URL with a fragment', { logoUrl: 'https://cdn.acme.test/logo.svg#top' }],
    ['a relative logo URL', { logoUrl: '/logo.svg' }],
    ['a logo URL over 2048 characters', { logoUrl: `https://cdn.acme.test/${'a'.repeat(2027)}` }],
    ['a colour name', { brandColor: 'red' }],
    ['a short colour', { brandColor: '#fff' }],
    ['a colour without its #', { brandColor: '0b5fff' }],
    ['a display name over 100 characters', { displayName: 'a'.repeat(101) }],
    ['an empty display name', { displayName: '' }],
    ['a display name of spaces', { displayName: '   ' }],
    ['a display name with a control character', { displayName: 'Acme\nCorp' }],
    ['a display name that is not a string', { displayName: 42 }],
  ])('refuses %s with 400, at creation and in a change', async (_case, body) => {
    const refused = await t.api
      .post('/admin/domains')
      .set(asAdmin)
      .send({ name: uniqueName(), ...body })
      .expect(400);
    expect(refused.body.code).toBe('validation_failed');
    const domain = await createDomain(t, BRANDING);
    const response = await t.api.patch(`/admin/domains/${domain}`).set(asAdmin).send(body).expect(400);
    expect(response.body.code).toBe('validation_failed');
    expect(await read(domain)).toMatchObject(BRANDING);
  });

  it('takes a display name of exactly 100 characters and a logo URL of exactly 2048', async () => {
    const longest = { displayName: 'a'.repeat(100), logoUrl: `https://cdn.acme.test/${'a'.repeat(2026)}` };
    const domain = await createDomain(t, longest);
    expect(await read(domain)).toMatchObject(longest);
  });
});

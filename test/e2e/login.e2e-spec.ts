import { createLocalJWKSet, jwtVerify } from 'jose';
import { asAdmin, createDomain, createUser, loggedIn, login, PASSWORD, uniqueName } from '../harness/factories.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { freePort } from '../harness/processes.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

describe.each(STORES)('POST /login (%s store)', (store) => {
  let t: TestApp;
  let domain: string;
  let username: string;

  beforeAll(async () => {
    t = await startTestApp(store);
    domain = await createDomain(t);
    username = await createUser(t, domain);
  });
  afterAll(() => t.close());

  const expectError = (status: number, error: string, code: string) => (response: { status: number; body: unknown }) => {
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ message: error, error, code });
  };

  it('returns a signed ES256 JWT with the contract claims and a kid, verifiable from the JWKS', async () => {
    const token = await login(t, domain, username);
    const jwks = await t.api.get(`/domains/${domain}/.well-known/jwks.json`).expect(200);
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks.body), {
      issuer: `${t.config.publicUrl}/domains/${domain}`,
      audience: domain,
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: jwks.body.keys[0].kid });
    expect(payload).toMatchObject({ domain, username, sub: username });
    expect(payload.session).toEqual(payload.sid);
    expect(typeof payload.refresh_token).toBe('string');
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it('accepts a JSON body sent without a JSON content type, as old clients do', async () => {
    const response = await t.api
      .post('/login')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ domain, username, password: PASSWORD }));
    expect(response.status).toBe(200);
    expect(response.body.token).toEqual(expect.any(String));
  });

  describe('bad bodies', () => {
    const invalidJson = expectError(400, 'Please provide a valid JSON body', 'invalid_json');
    const missing = expectError(400, 'Please provide domain,username & password', 'missing_credentials');

    it.each([
      ['malformed JSON', '{"domain":'],
      ['JSON null', 'null'],
      ['a JSON string', '"hello"'],
      ['a JSON array', '[1,2]'],
      ['an empty body', ''],
    ])('%s → 400 invalid_json', async (_case, body) => {
      invalidJson(await t.api.post('/login').set('Content-Type', 'application/json').send(body));
    });

    it.each([
      ['no fields', {}],
      ['no password', { domain: 'x', username: 'y' }],
      ['no domain', { username: 'y', password: 'z' }],
      ['empty username', { domain: 'x', username: '', password: 'z' }],
      ['a number as password', { domain: 'x', username: 'y', password: 12345678 }],
      ['an object as username', { domain: 'x', username: { $ne: null }, password: 'z' }],
    ])('%s → 400 missing_credentials', async (_case, body) => {
      missing(await t.api.post('/login').send(body));
    });

    it('an oversized body → 413, not a 500', async () => {
      const response = await t.api.post('/login').send({ domain, username, password: 'x'.repeat(100_000) });
      expectError(413, 'Request body too large', 'payload_too_large')(response);
    });
  });

  describe('wrong credentials', () => {
    const invalidCredentials = expectError(400, 'Invalid username or password', 'invalid_credentials');

    it('an unknown domain → Invalid domain', async () => {
      expectError(
        400,
        'Invalid domain',
        'invalid_domain',
      )(await t.api.post('/login').send({ domain: uniqueName(), username, password: PASSWORD }));
    });

    it('a disabled domain → Invalid domain', async () => {
      const { domain: disabled, username: user } = await loggedIn(t);
      await t.api.post(`/admin/domains/${disabled}/disable`).set(asAdmin).expect(200);
      expectError(
        400,
        'Invalid domain',
        'invalid_domain',
      )(await t.api.post('/login').send({ domain: disabled, username: user, password: PASSWORD }));
    });

    it('unknown user, wrong password and disabled user all answer the same', async () => {
      const disabledUser = await createUser(t, domain);
      await t.api.post(`/admin/domains/${domain}/users/${disabledUser}/disable`).set(asAdmin).expect(200);
      invalidCredentials(await t.api.post('/login').send({ domain, username: 'nobody-here', password: PASSWORD }));
      invalidCredentials(await t.api.post('/login').send({ domain, username, password: `${PASSWORD}!` }));
      invalidCredentials(await t.api.post('/login').send({ domain, username: disabledUser, password: PASSWORD }));
    });

    it('a user of another domain cannot log in here', async () => {
      const other = await createDomain(t);
      invalidCredentials(await t.api.post('/login').send({ domain: other, username, password: PASSWORD }));
    });
  });
});

describe.each(STORES)('password hashes upgrade themselves (%s store)', (store) => {
  let before: TestApp;
  let after: TestApp;
  beforeAll(async () => {
    // Two instances on one store: one still on the old parameters, one configured with stronger ones.
    before = await startTestApp(store, {
      ARGON2_MEMORY_KIB: '7168',
      ARGON2_TIME_COST: '5',
      ...(store === 'embedded' && { EMBEDDED_STORE_PORT: String(await freePort()) }),
    });
    after = await startTestApp(store, { ...before.env, ARGON2_MEMORY_KIB: '9216', ARGON2_TIME_COST: '5' });
  });
  afterAll(async () => {
    await after.close();
    await before.close();
  });

  const storedHash = async (domain: string, username: string) =>
    (await after.app.get(UsersRepository).find(domain, username))!.passwordHash;

  it('a login re-hashes with the configured parameters; only the right password does', async () => {
    const domain = await createDomain(before);
    const username = await createUser(before, domain);
    expect(await storedHash(domain, username)).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);

    await after.api.post('/login').send({ domain, username, password: 'wrong password' }).expect(400);
    expect(await storedHash(domain, username)).toMatch(/m=7168,t=5,p=1/);

    await login(after, domain, username);
    expect(await storedHash(domain, username)).toMatch(/^\$argon2id\$v=19\$m=9216,t=5,p=1\$/);
    // the same password still logs in on both instances, and the old one does not downgrade it
    await login(after, domain, username);
    await login(before, domain, username);
    expect(await storedHash(domain, username)).toMatch(/m=9216,t=5,p=1/);
  });
});

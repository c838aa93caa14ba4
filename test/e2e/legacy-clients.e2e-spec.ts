// The old service's clients, as its final revision's contract (../shared/CONTRACT.md) describes
// them: they send the token in `Authorizationjwt`, read errors from `message`, compare the
// Content-Type string, and call from other origins.
import { decodeJwt } from 'jose';
import { asAdmin, createDomain, createUser, loggedIn, PASSWORD } from '../harness/factories.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

/** What the old clients do with an answer: JSON by the exact content type, errors from `message`. */
interface OldAnswer {
  status: number;
  contentType: string | null;
  body: Record<string, unknown>;
  headers: Headers;
}

async function call(url: string, init: RequestInit = {}): Promise<OldAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: text ? JSON.parse(text) : {},
    headers: response.headers,
  };
}

/** The old browser client's calls, token in the old header. */
function oldClient(t: TestApp, header = 'Authorizationjwt') {
  const withToken = (token: string) => ({ headers: { [header]: token } });
  return {
    login: (body: unknown) =>
      call(`${t.publicUrl}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    refresh: (token: string) => call(`${t.publicUrl}/refresh`, withToken(token)),
    status: (token: string) => call(`${t.publicUrl}/status`, withToken(`Bearer ${token}`)),
    auth: (token?: string) => call(`${t.publicUrl}/auth`, token === undefined ? {} : withToken(`Bearer ${token}`)),
  };
}

const errorOf = (status: number, message: string, code: string) => (answer: OldAnswer) => {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toBe('application/json');
  expect(answer.body).toEqual({ message, error: message, code });
};

describe.each(STORES)('old clients (%s store)', (store) => {
  let t: TestApp;
  let client: ReturnType<typeof oldClient>;
  let domain: string;
  let username: string;

  beforeAll(async () => {
    t = await startTestApp(store);
    client = oldClient(t);
    domain = await createDomain(t);
    username = await createUser(t, domain);
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.resume());

  const loginToken = async () => {
    const answer = await client.login({ domain, username, password: PASSWORD });
    expect(answer.status).toBe(200);
    return answer.body.token as string;
  };

  describe('POST /login', () => {
    it('answers 200 {token} as application/json exactly', async () => {
      const answer = await client.login({ domain, username, password: PASSWORD });
      expect(answer).toMatchObject({ status: 200, contentType: 'application/json', body: { token: expect.any(String) } });
    });

    it.each([
      ['not JSON', '{"domain":', 'Please provide a valid JSON body', 'invalid_json'],
      ['JSON null', 'null', 'Please provide a valid JSON body', 'invalid_json'],
      [
        'a missing password',
        JSON.stringify({ domain: 'x', username: 'y' }),
        'Please provide domain,username & password',
        'missing_credentials',
      ],
      [
        'an empty domain',
        JSON.stringify({ domain: '', username: 'y', password: 'z' }),
        'Please provide domain,username & password',
        'missing_credentials',
      ],
    ])('%s → 400 with message', async (_case, body, message, code) => {
      const answer = await call(`${t.publicUrl}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      errorOf(400, message, code)(answer);
    });

    it('an unknown domain → 400 Invalid domain', async () => {
      errorOf(400, 'Invalid domain', 'invalid_domain')(await client.login({ domain: 'no-such-domain', username, password: PASSWORD }));
    });

    it('a wrong password or unknown user → 400 Invalid username or password', async () => {
      const invalid = errorOf(400, 'Invalid username or password', 'invalid_credentials');
      invalid(await client.login({ domain, username, password: 'wrong-password' }));
      invalid(await client.login({ domain, username: 'nobody', password: PASSWORD }));
    });

    it.each(['GET', 'PUT', 'DELETE', 'QUERY'])('%s → 405 with Allow, and message like the route’s errors', async (method) => {
      const answer = await call(`${t.publicUrl}/login`, { method });
      errorOf(405, 'Method not allowed', 'method_not_allowed')(answer);
      expect(answer.headers.get('allow')).toBe('OPTIONS, POST');
    });
  });

  describe('GET /refresh with the token in Authorizationjwt', () => {
    it('refreshes with a bare token and with Bearer, any header case', async () => {
      const first = await client.refresh(await loginToken());
      expect(first).toMatchObject({ status: 200, contentType: 'application/json', body: { token: expect.any(String) } });
      const second = await call(`${t.publicUrl}/refresh`, { headers: { AUTHORIZATIONJWT: `Bearer ${first.body.token as string}` } });
      expect(second.status).toBe(200);
    });

    it('consumes the refresh credential: a second refresh with the same token fails', async () => {
      const token = await loginToken();
      expect((await client.refresh(token)).status).toBe(200);
      errorOf(401, 'Invalid refresh token', 'invalid_refresh_token')(await client.refresh(token));
    });

    it('reads Authorizationjwt when Authorization carries another scheme', async () => {
      const token = await loginToken();
      const answer = await call(`${t.publicUrl}/refresh`, { headers: { Authorization: 'Basic dXNlcjpwYXNz', Authorizationjwt: token } });
      expect(answer.status).toBe(200);
    });

    it.each([
      ['no header', undefined, 'Please provide a jwt authorization token', 'missing_token'],
      ['not a JWT', 'not-a-token', 'Invalid token', 'invalid_token'],
    ])('%s → 401 with message', async (_case, token, message, code) => {
      const answer = await call(`${t.publicUrl}/refresh`, token ? { headers: { Authorizationjwt: token } } : {});
      errorOf(401, message, code)(answer);
    });

    it('after logout → 401 Invalid session', async () => {
      const token = await loginToken();
      await t.api.post('/logout').set('Authorizationjwt', token).expect(204);
      errorOf(401, 'Invalid session', 'invalid_session')(await client.refresh(token));
    });
  });

  describe('GET /status', () => {
    it('a fresh token: valid, not expired, Active for 5 minutes', async () => {
      const answer = await client.status(await loginToken());
      expect(answer).toMatchObject({ status: 200, contentType: 'application/json' });
      expect(answer.body).toEqual({ valid: true, expired: false, expiryString: 'Active for 5 minutes' });
    });

    it.each([
      [61, false, 'Active for 1 minutes'],
      [60, false, 'Active for 1 minutes'],
      [59, false, 'Active for 59 seconds'],
      [1, false, 'Active for 1 seconds'],
      [0, true, 'Expired 0 seconds'],
      [-1, true, 'Expired 1 minutes'],
      [-59, true, 'Expired 1 minutes'],
      [-61, true, 'Expired 2 minutes'],
    ])('%p s before expiry: expired %p, %p, still valid', async (secondsLeft, expired, expiryString) => {
      const token = await loginToken();
      t.clock.freezeAt((decodeJwt(token).exp! - secondsLeft) * 1000);
      const answer = await client.status(token);
      expect(answer.body).toEqual({ valid: true, expired, expiryString });
    });

    it('is not valid once its session is revoked, nor once the session is over', async () => {
      const token = await loginToken();
      await t.api.post('/logout').set('Authorizationjwt', token).expect(204);
      expect((await client.status(token)).body).toMatchObject({ valid: false, expired: false });

      const { token: shortLived } = await loggedIn(t, { sessionTtlSeconds: 3600 });
      t.clock.freezeAt((decodeJwt(shortLived).iat! + 3601) * 1000);
      expect((await client.status(shortLived)).body).toEqual({ valid: false, expired: true, expiryString: 'Expired 56 minutes' });
    });

    it('a missing header or a bad token → 401 with message', async () => {
      errorOf(401, 'Please provide a jwt authorization token', 'missing_token')(await call(`${t.publicUrl}/status`));
      errorOf(401, 'Invalid token', 'invalid_token')(await client.status('x.y.z'));
    });
  });

  describe('GET /auth (forward auth)', () => {
    it('no token → 401 {"message":"Unauthorized"}', async () => {
      const answer = await client.auth();
      expect(answer).toMatchObject({ status: 401, contentType: 'application/json', body: { message: 'Unauthorized' } });
    });

    it('a valid token → 200 with the identity in headers, from either header', async () => {
      const token = await loginToken();
      const { session } = decodeJwt(token);
      for (const answer of [
        await client.auth(token),
        await call(`${t.publicUrl}/auth`, { headers: { Authorization: `Bearer ${token}` } }),
      ]) {
        expect(answer).toMatchObject({ status: 200, contentType: 'application/json', body: { domain, username, session } });
        expect(answer.headers.get('x-auth-domain')).toBe(domain);
        expect(answer.headers.get('x-auth-username')).toBe(username);
        expect(answer.headers.get('x-auth-session')).toBe(session);
      }
    });

    it('a username outside ASCII arrives percent-encoded', async () => {
      const name = await createUser(t, domain, `josé-${Date.now()}`);
      const login = await client.login({ domain, username: name, password: PASSWORD });
      const answer = await client.auth(login.body.token as string);
      expect(answer.status).toBe(200);
      expect(decodeURIComponent(answer.headers.get('x-auth-username')!)).toBe(name);
    });

    it('refuses with 403 and the reason: bad token, expired, revoked, session over, domain disabled', async () => {
      errorOf(403, 'Invalid token', 'invalid_token')(await client.auth('x.y.z'));

      const expiring = await loginToken();
      t.clock.freezeAt((decodeJwt(expiring).exp! + 1) * 1000);
      errorOf(403, 'Token expired', 'token_expired')(await client.auth(expiring));
      t.clock.resume();

      const revoked = await loginToken();
      await t.api.post('/logout').set('Authorizationjwt', revoked).expect(204);
      errorOf(403, 'Invalid session', 'invalid_session')(await client.auth(revoked));

      const { token: ending } = await loggedIn(t, { sessionTtlSeconds: 60, accessTokenTtlSeconds: 300 });
      t.clock.freezeAt((decodeJwt(ending).iat! + 120) * 1000);
      errorOf(403, 'Session expired', 'session_expired')(await client.auth(ending));
      t.clock.resume();

      const { token: ofDisabled, domain: disabled } = await loggedIn(t);
      await t.api.post(`/admin/domains/${disabled}/disable`).set(asAdmin).expect(200);
      errorOf(403, 'Invalid domain', 'invalid_domain')(await client.auth(ofDisabled));
    });
  });

  describe('CORS', () => {
    const routes: [string, string][] = [
      ['/login', 'POST'],
      ['/refresh', 'GET'],
      ['/status', 'GET'],
      ['/auth', 'GET'],
      ['/logout', 'POST'],
    ];

    it.each(routes)('OPTIONS %s → 200 with *, methods and the token headers, without and with Origin', async (path, method) => {
      const preflights: Record<string, string>[] = [{}, { Origin: 'https://any.example', 'Access-Control-Request-Method': method }];
      for (const headers of preflights) {
        const response = await fetch(`${t.publicUrl}${path}`, { method: 'OPTIONS', headers });
        expect(response.status).toBe(200);
        expect(response.headers.get('access-control-allow-origin')).toBe('*');
        const methods = response.headers.get('access-control-allow-methods')!.split(',');
        expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'OPTIONS']));
        const allowed = response.headers.get('access-control-allow-headers')!.toLowerCase().split(',');
        expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'authorizationjwt']));
      }
    });

    it('GET and POST answers carry the same headers, errors included', async () => {
      const token = await loginToken();
      for (const answer of [
        await client.status(token),
        await client.login({ domain, username, password: 'wrong' }),
        await call(`${t.publicUrl}/refresh`, { headers: { Origin: 'https://any.example' } }),
      ]) {
        expect(answer.headers.get('access-control-allow-origin')).toBe('*');
        expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
        expect(answer.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorizationjwt');
      }
    });

    it('a domain with corsOrigins narrows its answers to them, echoing the origin', async () => {
      const shop = await createDomain(t, { corsOrigins: ['https://shop.example'] });
      const shopper = await createUser(t, shop);
      const from = (origin: string) =>
        call(`${t.publicUrl}/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: origin },
          body: JSON.stringify({ domain: shop, username: shopper, password: PASSWORD }),
        });
      const allowed = await from('https://shop.example');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(allowed.headers.get('vary')).toMatch(/origin/i);
      const refused = await from('https://evil.example');
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();

      // the token names its domain: a refresh is narrowed the same way
      const refresh = await call(`${t.publicUrl}/refresh`, {
        headers: { Origin: 'https://evil.example', Authorizationjwt: allowed.body.token as string },
      });
      expect(refresh.status).toBe(200);
      expect(refresh.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});

describe('CORS narrowed by CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('embedded', { CORS_ORIGINS: 'https://global.example' });
  });
  afterAll(() => t.close());

  const preflight = (origin: string) =>
    fetch(`${t.publicUrl}/login`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });

  it('echoes a listed origin with Vary: Origin, and gives others no CORS headers', async () => {
    const allowed = await preflight('https://global.example');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://global.example');
    expect(allowed.headers.get('vary')).toMatch(/origin/i);
    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(200);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const response = await t.api.post('/login').set('Origin', 'https://global.example').send({});
    expect(response.headers['access-control-allow-origin']).toBe('https://global.example');
  });

  it('adds each domain’s own origins, for that domain only', async () => {
    const shop = await createDomain(t, { corsOrigins: ['https://shop.example'] });
    const other = await createDomain(t);
    const user = await createUser(t, other);
    t.clock.advance(31); // preflights see new domains' origins within 30 s
    expect((await preflight('https://shop.example')).headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const login = (domain: string) =>
      t.api.post('/login').set('Origin', 'https://shop.example').send({ domain, username: user, password: PASSWORD });
    expect((await login(other)).headers['access-control-allow-origin']).toBeUndefined();
    expect((await login(shop)).headers['access-control-allow-origin']).toBe('https://shop.example');
  });
});

describe('AUTH_HEADER', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('embedded', { AUTH_HEADER: 'X-Legacy-Token' });
  });
  afterAll(() => t.close());

  it('reads the token from the configured header too, and lets browsers send it', async () => {
    const { token } = await loggedIn(t);
    await t.api.get('/status').set('x-legacy-token', `Bearer ${token}`).expect(200);
    await t.api.get('/refresh').set('X-LEGACY-TOKEN', token).expect(200);
    const preflight = await t.api.options('/refresh');
    expect(preflight.headers['access-control-allow-headers'].toLowerCase()).toContain('x-legacy-token');
  });
});

// The authorization endpoint and the code grant under attack, over HTTP: what a browser would never
// send (a forged form, a missing CSRF token), codes replayed, stolen or redeemed by the wrong app,
// redirect URIs that differ by a character, and the refusals a client hears at its redirect URI.
import * as client from 'openid-client';
import { asAdmin, bearer, createDomain, createUser, PASSWORD } from '../harness/factories.js';
import { Attempt, authorizationUrl, exchange, publicApp, servedForm, sidOf } from '../harness/login-page.js';
import { issuerUrl, registerClient, startOAuthApp } from '../harness/oauth.js';
import { STORES, TestApp } from '../harness/test-app.js';

const REDIRECT_URI = 'http://127.0.0.1/callback';
/** The loopback redirect URI with the port a native app's listener got (RFC 8252 §7.3). */
const APP_REDIRECT = 'http://127.0.0.1:51004/callback';

describe.each(STORES)('authorization endpoint and code grant, attacked (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startOAuthApp(store);
  });
  afterAll(() => t.close());

  const sessionValid = async (sid: string) => (await t.internal.get(`/sessions/${sid}/valid`).expect(200)).body.valid as boolean;
  const pathOf = (url: URL) => `${url.pathname}${url.search}`;

  interface Party {
    domain: string;
    username: string;
    config: client.Configuration;
  }

  async function party(extra: Record<string, unknown> = {}): Promise<Party> {
    const domain = await createDomain(t);
    const username = await createUser(t, domain);
    return { domain, username, config: await publicApp(t, domain, REDIRECT_URI, extra) };
  }

  /** Submits the served login form as the browser would; the answer to the POST. */
  async function submitLogin(attempt: Attempt, username: string, change: (fields: Record<string, string>) => void = () => undefined) {
    const page = await t.api.get(pathOf(attempt.url)).expect(200);
    const { fields, cookie } = servedForm(page);
    const form = { ...fields, username, password: PASSWORD };
    change(form);
    return t.api.post(attempt.url.pathname).set('Cookie', cookie).type('form').send(form);
  }

  /** A code for the attempt: the login form filled in, and the redirect's URL. */
  async function codeFor(p: Party, attempt?: Attempt): Promise<{ attempt: Attempt; callback: URL }> {
    attempt ??= await authorizationUrl(p.config, APP_REDIRECT);
    const answer = await submitLogin(attempt, p.username);
    expect(answer.status).toBe(303);
    return { attempt, callback: new URL(answer.headers.location) };
  }

  describe('authorization codes', () => {
    it('are single use: a second redemption revokes what the first one issued', async () => {
      const p = await party();
      const { attempt, callback } = await codeFor(p);
      const tokens = await exchange(p.config, callback, attempt);
      await expect(exchange(p.config, callback, attempt)).rejects.toMatchObject({ error: 'invalid_grant' });
      await expect(sessionValid(sidOf(tokens.access_token))).resolves.toBe(false);
      await expect(client.refreshTokenGrant(p.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      const trail = await t.api.get(`/admin/domains/${p.domain}/events?type=authorization_code_reuse_detected`).set(asAdmin).expect(200);
      expect(trail.body.events).toEqual([expect.objectContaining({ username: p.username, sessionId: sidOf(tokens.access_token) })]);
    });

    it('need the PKCE verifier of their challenge: a wrong or missing one is invalid_grant', async () => {
      const p = await party();
      const { attempt, callback } = await codeFor(p);
      const wrong = { ...attempt, verifier: client.randomPKCECodeVerifier() };
      await expect(exchange(p.config, callback, wrong)).rejects.toMatchObject({ error: 'invalid_grant' });
      const form = { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: APP_REDIRECT };
      const missing = await t.api
        .post(`/domains/${p.domain}/oauth2/token`)
        .type('form')
        .send({ ...form, client_id: p.config.clientMetadata().client_id });
      expect([missing.status, missing.body.error]).toEqual([400, 'invalid_grant']);
      // A refused verifier consumed nothing: the app holding the right one still gets its tokens.
      await expect(exchange(p.config, callback, attempt)).resolves.toMatchObject({ token_type: 'bearer' });
    });

    it('of one app are refused to another, and at another redirect URI', async () => {
      const p = await party();
      const other = await publicApp(t, p.domain, REDIRECT_URI);
      const { attempt, callback } = await codeFor(p);
      await expect(exchange(other, callback, attempt)).rejects.toMatchObject({ error: 'invalid_grant' });
      const form = {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: 'http://127.0.0.1:51005/callback',
        code_verifier: attempt.verifier,
        client_id: p.config.clientMetadata().client_id,
      };
      const elsewhere = await t.api.post(`/domains/${p.domain}/oauth2/token`).type('form').send(form);
      expect([elsewhere.status, elsewhere.body.error]).toEqual([400, 'invalid_grant']);
      await expect(exchange(p.config, callback, attempt)).resolves.toMatchObject({ token_type: 'bearer' });
    });

    it('are refused once their browser session ended before the redemption (a logout in between)', async () => {
      const p = await party();
      const { attempt, callback } = await codeFor(p);
      const listed = await t.api.get(`/admin/domains/${p.domain}/users/${p.username}/sessions`).set(asAdmin).expect(200);
      const browser = (listed.body as { id: string; kind?: string }[]).find((session) => session.kind === 'browser')!;
      await t.api.post(`/admin/sessions/${browser.id}/revoke`).set(asAdmin).expect(204);
      await expect(exchange(p.config, callback, attempt)).rejects.toMatchObject({ error: 'invalid_grant' });
      const sessions = await t.api.get(`/admin/domains/${p.domain}/users/${p.username}/sessions`).set(asAdmin).expect(200);
      expect((sessions.body as { valid: boolean }[]).filter((session) => session.valid)).toEqual([]);
    });

    it('expire after a minute', async () => {
      const p = await party();
      const { attempt, callback } = await codeFor(p);
      t.clock.advance(61_000);
      await expect(exchange(p.config, callback, attempt)).rejects.toMatchObject({ error: 'invalid_grant' });
    });

    it('of a client disabled meanwhile are refused', async () => {
      const p = await party();
      const { attempt, callback } = await codeFor(p);
      await t.api.post(`/admin/domains/${p.domain}/clients/${p.config.clientMetadata().client_id}/disable`).set(asAdmin).expect(200);
      await expect(exchange(p.config, callback, attempt)).rejects.toMatchObject({ status: 401, code: 'OAUTH_WWW_AUTHENTICATE_CHALLENGE' });
    });

    it('make a state tampered with on the way back fail at the app', async () => {
      const p = await party();
      const { attempt, callback } = await codeFor(p);
      expect(callback.searchParams.get('state')).toBe(attempt.state);
      callback.searchParams.set('state', `${attempt.state}x`);
      await expect(exchange(p.config, callback, attempt)).rejects.toMatchObject({ code: 'OAUTH_INVALID_RESPONSE' });
    });
  });

  describe('redirect URIs', () => {
    it.each([
      ['not registered', 'https://evil.example/callback'],
      ['a character longer', 'http://127.0.0.1/callbackx'],
      ['a trailing slash', 'http://127.0.0.1/callback/'],
      ['another case', 'http://127.0.0.1/Callback'],
      ['another loopback address', 'http://127.0.0.2:51004/callback'],
      ['localhost for a loopback IP', 'http://localhost:51004/callback'],
      ['a query added', 'http://127.0.0.1/callback?next=https://evil.example'],
    ])('%s: told on a page, never redirected to', async (_case, redirectUri) => {
      const p = await party();
      const attempt = await authorizationUrl(p.config, redirectUri);
      const answer = await t.api.get(pathOf(attempt.url)).expect(400);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.text).toContain('not registered');
    });

    it.each([
      ['no client_id', (url: URL) => url.searchParams.delete('client_id'), 400],
      ['an unknown client_id', (url: URL) => url.searchParams.set('client_id', 'AAAAAAAAAAAAAAAAAAAAAA'), 400],
      ['two redirect_uri', (url: URL) => url.searchParams.append('redirect_uri', APP_REDIRECT), 400],
      ['no redirect_uri', (url: URL) => url.searchParams.delete('redirect_uri'), 400],
      ['an unknown domain', (url: URL) => (url.pathname = url.pathname.replace(/domains\/[^/]+/, 'domains/no-such-domain')), 404],
    ] as const)('%s: told on a page', async (_case, change, status) => {
      const p = await party();
      const { url } = await authorizationUrl(p.config, APP_REDIRECT);
      change(url);
      const answer = await t.api.get(pathOf(url)).expect(status);
      expect(answer.headers.location).toBeUndefined();
    });

    it('a client that may not use the code grant is told on a page', async () => {
      const domain = await createDomain(t);
      const registered = await registerClient(t, domain, { grantTypes: ['client_credentials'], redirectUris: [REDIRECT_URI] });
      const query = new URLSearchParams({ response_type: 'code', client_id: registered.clientId, redirect_uri: REDIRECT_URI });
      const answer = await t.api.get(`/domains/${domain}/oauth2/authorize?${query}`).expect(400);
      expect(answer.headers.location).toBeUndefined();
    });
  });

  describe('refusals told at the redirect URI (with state and iss)', () => {
    it.each([
      ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
      ['no response_type', { response_type: '' }, 'invalid_request'],
      ['no PKCE from a public client', { code_challenge: '', code_challenge_method: '' }, 'invalid_request'],
      ['PKCE plain', { code_challenge_method: 'plain' }, 'invalid_request'],
      ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request'],
      ['a scope the client may not ask for', { scope: 'openid admin' }, 'invalid_scope'],
      ['an unknown prompt', { prompt: 'consent' }, 'invalid_request'],
      ['response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request'],
      ['a request object', { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
    ])('%s', async (_case, parameters, error) => {
      const p = await party();
      const attempt = await authorizationUrl(p.config, APP_REDIRECT, parameters);
      const answer = await t.api.get(pathOf(attempt.url)).expect(303);
      const location = new URL(answer.headers.location);
      expect(`${location.origin}${location.pathname}`).toBe(APP_REDIRECT);
      expect(Object.fromEntries(location.searchParams)).toEqual({
        error,
        error_description: expect.any(String),
        state: attempt.state,
        iss: issuerUrl(t, p.domain).href,
      });
    });
  });

  it("sends a mobile app's code to its private-use scheme (RFC 8252 §7.1), and lets the form's redirect go there", async () => {
    const domain = await createDomain(t);
    const username = await createUser(t, domain);
    const config = await publicApp(t, domain, 'com.example.app:/oauth2redirect');
    const attempt = await authorizationUrl(config, 'com.example.app:/oauth2redirect');
    const page = await t.api.get(pathOf(attempt.url)).expect(200);
    expect(page.headers['content-security-policy']).toContain("form-action 'self' com.example.app:;");
    const answer = await submitLogin(attempt, username);
    expect(answer.status).toBe(303);
    const callback = new URL(answer.headers.location);
    expect(`${callback.protocol}${callback.pathname}`).toBe('com.example.app:/oauth2redirect');
    await expect(exchange(config, callback, attempt)).resolves.toMatchObject({ token_type: 'bearer' });
  });

  it('refuses openid on a domain whose key is symmetric: its apps could not verify an ID token', async () => {
    const domain = await createDomain(t, { algorithm: 'HS256' });
    const config = await publicApp(t, domain, REDIRECT_URI);
    const answer = await t.api.get(pathOf((await authorizationUrl(config, APP_REDIRECT)).url)).expect(303);
    expect(new URL(answer.headers.location).searchParams.get('error')).toBe('invalid_scope');
  });

  describe('hostile input', () => {
    const NASTY = [
      '',
      '%00',
      '%ff%fe',
      'a'.repeat(5000),
      '<script>alert(1)</script>',
      '"><img src=x>',
      '%E2%80%AE',
      '../../etc/passwd',
      '\u0000',
    ];
    const PARAMETERS = [
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'nonce',
      'code_challenge',
      'prompt',
      'max_age',
      'login_hint',
    ];

    it('never answers a 5xx, never reflects markup, never redirects anywhere unregistered', async () => {
      const p = await party();
      const { url } = await authorizationUrl(p.config, APP_REDIRECT);
      for (const name of PARAMETERS) {
        for (const value of NASTY) {
          const query = new URLSearchParams(url.search);
          const raw = `${query.toString().replace(new RegExp(`(^|&)${name}=[^&]*`), '')}&${name}=${value.startsWith('%') ? value : encodeURIComponent(value)}`;
          const answer = await t.api.get(`${url.pathname}?${raw}`);
          expect([name, value.slice(0, 20), answer.status < 500]).toEqual([name, value.slice(0, 20), true]);
          expect(answer.text ?? '').not.toContain('<script>alert');
          expect(answer.text ?? '').not.toContain('<img src=x>');
          if (answer.headers.location) expect(answer.headers.location.startsWith(`${APP_REDIRECT}?`)).toBe(true);
        }
      }
    });

    it('the logout endpoint too', async () => {
      const p = await party();
      const logout = `/domains/${p.domain}/oauth2/logout`;
      for (const name of ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state']) {
        for (const value of [...NASTY, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', `${REDIRECT_URI}?signed-out`]) {
          const answer = await t.api.get(`${logout}?${name}=${value.startsWith('%') ? value : encodeURIComponent(value)}`);
          expect([name, value.slice(0, 20), answer.status < 500]).toEqual([name, value.slice(0, 20), true]);
          expect(answer.headers.location).toBeUndefined();
          expect(answer.text ?? '').not.toContain('<script>alert');
        }
      }
    });

    it('answers a form POST that is not a form, or is huge, with a 4xx', async () => {
      const p = await party();
      const { url } = await authorizationUrl(p.config, APP_REDIRECT);
      await t.api.post(url.pathname).set('content-type', 'application/json').send('{"username":"a"}').expect(400);
      const huge = await t.api
        .post(url.pathname)
        .type('form')
        .send(`username=${'a'.repeat(2_000_000)}`);
      expect(huge.status).toBe(413);
      const empty = await t.api.post(url.pathname).type('form').send('');
      expect(empty.status).toBe(400);
    });
  });

  describe('the login form', () => {
    it('is served with a policy that forbids framing, scripts and posting anywhere but here and the app', async () => {
      const p = await party();
      const answer = await t.api.get(pathOf((await authorizationUrl(p.config, APP_REDIRECT)).url)).expect(200);
      expect(answer.headers).toMatchObject({
        'x-frame-options': 'DENY',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      });
      const csp = answer.headers['content-security-policy'];
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("form-action 'self' http://127.0.0.1:51004");
      expect(answer.text).not.toContain('<script');
      expect(answer.text).toMatch(/<form method="post"/);
      expect(answer.headers['set-cookie']).toEqual([
        expect.stringMatching(/^__Host-csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict$/),
      ]);
    });

    it.each([
      ['no CSRF token', (form: Record<string, string>) => delete form.csrf_token],
      ['a forged CSRF token', (form: Record<string, string>) => (form.csrf_token = 'A'.repeat(43))],
    ])('refuses a POST with %s: 403, no session, no code', async (_case, change) => {
      const p = await party();
      const answer = await submitLogin(await authorizationUrl(p.config, APP_REDIRECT), p.username, change);
      expect(answer.status).toBe(403);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.text).toContain('did not come from this page');
      const sessions = await t.api.get(`/admin/domains/${p.domain}/users/${p.username}/sessions`).set(asAdmin).expect(200);
      expect(sessions.body).toEqual([]);
    });

    it('refuses a POST a browser says came from another site', async () => {
      const p = await party();
      const attempt = await authorizationUrl(p.config, APP_REDIRECT);
      const { fields, cookie } = servedForm(await t.api.get(pathOf(attempt.url)).expect(200));
      await t.api
        .post(attempt.url.pathname)
        .set({ Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' })
        .type('form')
        .send({ ...fields, username: p.username, password: PASSWORD })
        .expect(403);
    });

    it('checks the request again on its POST: a hidden redirect_uri changed is refused on a page', async () => {
      const p = await party();
      const answer = await submitLogin(await authorizationUrl(p.config, APP_REDIRECT), p.username, (form) => {
        form.redirect_uri = 'https://evil.example/callback';
      });
      expect(answer.status).toBe(400);
      expect(answer.headers.location).toBeUndefined();
    });

    it('never puts the password in a URL or the page', async () => {
      const p = await party();
      const answer = await submitLogin(
        await authorizationUrl(p.config, APP_REDIRECT),
        p.username,
        (form) => (form.password = 'wrong-password-123'),
      );
      expect(answer.status).toBe(401);
      expect(answer.text).not.toContain('wrong-password-123');
    });
  });

  describe('tokens of a sign-in', () => {
    it('an ID token is no access token: refused by the legacy routes and userinfo', async () => {
      const p = await party();
      const { attempt, callback } = await codeFor(p);
      const tokens = await exchange(p.config, callback, attempt);
      await t.api.get('/auth').set(bearer(tokens.id_token!)).expect(403);
      await t.api.get('/refresh').set(bearer(tokens.id_token!)).expect(401);
      const userinfo = await t.api.get(`/domains/${p.domain}/oauth2/userinfo`).set(bearer(tokens.id_token!)).expect(401);
      expect(userinfo.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('userinfo needs openid, and refreshes without offline_access are not granted to OpenID requests', async () => {
      const p = await party();
      const { attempt, callback } = await codeFor(p, await authorizationUrl(p.config, APP_REDIRECT, { scope: 'orders:read' }));
      const plain = await client.authorizationCodeGrant(p.config, callback, {
        pkceCodeVerifier: attempt.verifier,
        expectedState: attempt.state,
      });
      expect(plain.id_token).toBeUndefined();
      expect(plain.refresh_token).toEqual(expect.any(String));
      const userinfo = await t.api.get(`/domains/${p.domain}/oauth2/userinfo`).set(bearer(plain.access_token)).expect(403);
      expect(userinfo.body.error).toBe('insufficient_scope');

      const online = await codeFor(p, await authorizationUrl(p.config, APP_REDIRECT, { scope: 'openid' }));
      const tokens = await exchange(p.config, online.callback, online.attempt);
      expect(tokens.refresh_token).toBeUndefined();
      await t.api.get(`/domains/${p.domain}/oauth2/userinfo`).expect(401);
    });
  });
});

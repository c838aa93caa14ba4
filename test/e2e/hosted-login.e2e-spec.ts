// The hosted login page in a real browser (Debian's Chromium): authorization code + PKCE, the code
// exchanged and the ID token validated by openid-client, single sign-on into a second app, and a
// logout that ends every session the browser started.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createHash } from 'node:crypto';
import { asAdmin, createDomain, createUser } from '../harness/factories.js';
import { launchBrowser, RedirectCatcher, startRedirectCatcher } from '../harness/browser.js';
import { authorizationUrl, exchange, publicApp, sidOf, signInOnPage } from '../harness/login-page.js';
import { eventually } from '../harness/eventually.js';
import { issuerUrl, registerClient, startOAuthApp } from '../harness/oauth.js';
import { STORES, TestApp } from '../harness/test-app.js';

describe.each(STORES)('hosted login page in a browser (%s store)', (store) => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startOAuthApp(store), launchBrowser()]);
  });
  afterAll(() => Promise.all([t.close(), browser.close()]));

  // Each test: a fresh browser profile (no cookies), and its own app at its own redirect URI.
  let context: BrowserContext;
  let page: Page;
  let app: RedirectCatcher;
  beforeEach(async () => {
    [context, app] = await Promise.all([browser.newContext(), startRedirectCatcher()]);
    page = await context.newPage();
  });
  afterEach(() => Promise.all([context.close(), app.close()]));

  const sessionValid = async (sid: string) => (await t.internal.get(`/sessions/${sid}/valid`).expect(200)).body.valid as boolean;

  it('signs in with the form, then into a second app without a password, and a logout ends every session', async () => {
    const domain = await createDomain(t, { displayName: 'Acme Orders' });
    const username = await createUser(t, domain);
    const [first, second] = [await publicApp(t, domain, app.url), await publicApp(t, domain, app.url)];

    // The first app: the browser goes to the authorize URL, the user fills the form.
    const firstAttempt = await authorizationUrl(first, app.url);
    await page.goto(firstAttempt.url.href);
    await expect(page.title()).resolves.toBe('Sign in to Acme Orders');
    await signInOnPage(page, username);
    const firstCallback = await app.nextRequest();
    expect(firstCallback.searchParams.get('iss')).toBe(issuerUrl(t, domain).href);
    const firstTokens = await exchange(first, firstCallback, firstAttempt);
    const claims = firstTokens.claims()!;
    expect(claims).toMatchObject({
      iss: issuerUrl(t, domain).href,
      sub: username,
      aud: first.clientMetadata().client_id,
      nonce: firstAttempt.nonce,
    });
    expect(claims).toEqual(
      expect.objectContaining({ auth_time: expect.any(Number), sid: expect.any(String), at_hash: expect.any(String) }),
    );
    expect(firstTokens.refresh_token).toEqual(expect.any(String));
    // openid-client trusts TLS for the ID token's signature (OIDC Core §3.1.3.7); a verifier with the JWKS checks it here.
    const jwks = createRemoteJWKSet(new URL(first.serverMetadata().jwks_uri!));
    const verified = await jwtVerify(firstTokens.id_token!, jwks, { issuer: claims.iss, audience: claims.aud, typ: 'JWT' });
    // ES256 (the domain's default): the left half of the access token's SHA-256 (OIDC Core §3.1.3.6).
    expect(verified.protectedHeader.alg).toBe('ES256');
    expect(verified.payload.at_hash).toBe(
      createHash('sha256').update(firstTokens.access_token).digest().subarray(0, 16).toString('base64url'),
    );
    const userinfo = await client.fetchUserInfo(first, firstTokens.access_token, username);
    expect(userinfo).toEqual({ sub: username });

    // The second app: the browser is signed in, so the authorize URL answers with a code at once.
    const secondAttempt = await authorizationUrl(second, app.url);
    await page.goto(secondAttempt.url.href);
    const secondCallback = await app.nextRequest();
    expect(page.url()).toBe(secondCallback.href);
    const secondTokens = await exchange(second, secondCallback, secondAttempt);
    const secondClaims = secondTokens.claims()!;
    expect(secondClaims).toMatchObject({ sub: username, sid: claims.sid, auth_time: claims.auth_time });

    const appSessions = [firstTokens, secondTokens].map((tokens) => sidOf(tokens.access_token));
    for (const sid of [claims.sid as string, ...appSessions]) await expect(sessionValid(sid)).resolves.toBe(true);

    // RP-initiated logout from the first app: back at its registered URI, with its state.
    const logout = client.buildEndSessionUrl(first, {
      id_token_hint: firstTokens.id_token!,
      post_logout_redirect_uri: `${app.url}?signed-out`,
      state: 'bye',
    });
    await page.goto(logout.href);
    const afterLogout = await app.nextRequest();
    expect(afterLogout.searchParams.get('state')).toBe('bye');

    // Gone everywhere: the browser session, both apps' sessions, their refresh tokens, userinfo.
    for (const sid of [claims.sid as string, ...appSessions]) await expect(sessionValid(sid)).resolves.toBe(false);
    await expect(client.refreshTokenGrant(first, firstTokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.refreshTokenGrant(second, secondTokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.fetchUserInfo(second, secondTokens.access_token, username)).rejects.toMatchObject({ status: 401 });

    // And the browser is signed out: the next sign-in asks for the password again.
    await page.goto((await authorizationUrl(second, app.url)).url.href);
    await expect(page.getByLabel('Password').isVisible()).resolves.toBe(true);
  });

  it('works with JavaScript off', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const domain = await createDomain(t);
      const username = await createUser(t, domain);
      const config = await publicApp(t, domain, app.url);
      const attempt = await authorizationUrl(config, app.url);
      const tab = await noScript.newPage();
      await tab.goto(attempt.url.href);
      await signInOnPage(tab, username);
      const tokens = await exchange(config, await app.nextRequest(), attempt);
      expect(tokens.claims()).toMatchObject({ sub: username });
    } finally {
      await noScript.close();
    }
  });

  it('says why a sign-in failed, the same for an unknown user, and when attempts are throttled', async () => {
    const throttle = { failures: 2, windowSeconds: 900, maxWaitSeconds: 900 };
    const domain = await createDomain(t, { loginThrottle: { account: throttle, address: { ...throttle, failures: 50 } } });
    const username = await createUser(t, domain);
    await page.goto((await authorizationUrl(await publicApp(t, domain, app.url), app.url)).url.href);

    await signInOnPage(page, username, 'wrong password');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Invalid username or password.');
    await expect(page.getByLabel('Username').inputValue()).resolves.toBe(username);
    await signInOnPage(page, 'nobody-here');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Invalid username or password.');

    await signInOnPage(page, username, 'wrong again');
    await signInOnPage(page, username);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Too many sign-in attempts\. Try again in \d+ minute/);
    expect(app.requests).toHaveLength(0);
    expect(new URL(page.url()).pathname).toBe(`/domains/${domain}/oauth2/authorize`);
  });

  it('cannot be framed by another page', async () => {
    const domain = await createDomain(t);
    const { url } = await authorizationUrl(await publicApp(t, domain, app.url), app.url);
    const framed = page.waitForResponse((response) => response.url() === url.href);
    await page.setContent(`<iframe src="${url.href}"></iframe>`);
    expect((await framed).status()).toBe(200);
    const frame = await (await page.$('iframe'))!.contentFrame();
    expect(frame!.url()).toBe('chrome-error://chromewebdata/');
    await expect(page.frameLocator('iframe').getByLabel('Password').count()).resolves.toBe(0);
  });

  it('asks again with prompt=login or past max_age, answers login_required with prompt=none when signed out', async () => {
    const domain = await createDomain(t);
    const username = await createUser(t, domain);
    const config = await publicApp(t, domain, app.url);

    const silent = await authorizationUrl(config, app.url, { prompt: 'none' });
    await page.goto(silent.url.href);
    const refused = await app.nextRequest();
    expect(Object.fromEntries(refused.searchParams)).toMatchObject({
      error: 'login_required',
      state: silent.state,
      iss: issuerUrl(t, domain).href,
    });

    await page.goto((await authorizationUrl(config, app.url)).url.href);
    await signInOnPage(page, username);
    await app.nextRequest();
    await page.goto((await authorizationUrl(config, app.url, { prompt: 'login' })).url.href);
    await expect(page.getByLabel('Password').isVisible()).resolves.toBe(true);
    const again = await authorizationUrl(config, app.url, { prompt: 'none' });
    await page.goto(again.url.href);
    const tokens = await exchange(config, await app.nextRequest(), again);
    expect(tokens.claims()).toMatchObject({ sub: username });

    // max_age: a sign-in older than it asks for the password again; a younger one does not.
    t.clock.advance(120);
    await page.goto((await authorizationUrl(config, app.url, { max_age: '60' })).url.href);
    await expect(page.getByLabel('Password').isVisible()).resolves.toBe(true);
    const recent = await authorizationUrl(config, app.url, { max_age: '600' });
    await page.goto(recent.url.href);
    const fresh = await exchange(config, await app.nextRequest(), recent);
    expect(fresh.claims()!.auth_time).toBe(tokens.claims()!.auth_time);
  });

  it('asks before a logout no app proved, and an admin revoking the browser session ends its apps too', async () => {
    const domain = await createDomain(t);
    const username = await createUser(t, domain);
    const config = await publicApp(t, domain, app.url);
    const attempt = await authorizationUrl(config, app.url);
    await page.goto(attempt.url.href);
    await signInOnPage(page, username);
    const tokens = await exchange(config, await app.nextRequest(), attempt);

    // No id_token_hint: another site could have sent the browser here, so the user is asked.
    await page.goto(`${issuerUrl(t, domain).href}/oauth2/logout`);
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    await expect(sessionValid(tokens.claims()!.sid as string)).resolves.toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.title()).resolves.toMatch(/Signed out/);
    await expect(sessionValid(tokens.claims()!.sid as string)).resolves.toBe(false);
    await expect(sessionValid(sidOf(tokens.access_token))).resolves.toBe(false);

    // A second sign-in, ended by an admin: the browser session's app sessions end with it.
    const next = await authorizationUrl(config, app.url);
    await page.goto(next.url.href);
    await signInOnPage(page, username);
    const more = await exchange(config, await app.nextRequest(), next);
    await t.api
      .post(`/admin/sessions/${more.claims()!.sid as string}/revoke`)
      .set(asAdmin)
      .expect(204);
    await expect(sessionValid(sidOf(more.access_token))).resolves.toBe(false);
    await expect(client.refreshTokenGrant(config, more.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it("runs the README's example: a native app's loopback redirect, any port", async () => {
    const domain = await createDomain(t);
    const username = await createUser(t, domain);
    const { clientId } = await registerClient(t, domain, {
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/callback'],
      scopes: ['openid', 'offline_access'],
    });
    const example = spawn(process.execPath, ['test/examples/sign-in.mjs', issuerUrl(t, domain).href, clientId]);
    let output = '';
    example.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    example.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = once(example, 'exit');
    await eventually(async () => output.includes('Open this in a browser'), true);
    await page.goto(/https?:\/\/\S+/.exec(output.split('\n')[1])![0]);
    await signInOnPage(page, username);
    const [code] = await exited;
    expect([code, output]).toEqual([0, expect.stringContaining(`"signedIn": "${username}"`)]);
    expect(output).toContain('"refreshToken": true');
  });
});

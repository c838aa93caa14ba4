import * as client from 'openid-client';
import type { Page } from 'playwright-core';
import type { Response } from 'supertest';
import { PASSWORD } from './factories.js';
import { issuerUrl, registerClient } from './oauth.js';
import type { TestApp } from './test-app.js';

/** An authorization request as an app makes it: PKCE, state and nonce of its own. */
export interface Attempt {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

/** A public app (an SPA or a mobile app) of the domain, configured by openid-client from discovery. */
export async function publicApp(
  t: TestApp,
  domain: string,
  redirectUri: string,
  extra: Record<string, unknown> = {},
): Promise<client.Configuration> {
  const registered = await registerClient(t, domain, {
    type: 'public',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [redirectUri],
    postLogoutRedirectUris: [`${redirectUri}?signed-out`],
    scopes: ['openid', 'offline_access', 'orders:read'],
    ...extra,
  });
  return client.discovery(issuerUrl(t, domain), registered.clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
}

export async function authorizationUrl(
  config: client.Configuration,
  redirectUri: string,
  parameters: Record<string, string> = {},
): Promise<Attempt> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid offline_access orders:read',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...parameters,
  });
  return { url, verifier, state, nonce };
}

/** Fills the login form the page shows, as a user would, and submits it. */
export async function signInOnPage(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export function exchange(config: client.Configuration, callback: URL, attempt: Attempt) {
  return client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: attempt.verifier,
    expectedState: attempt.state,
    expectedNonce: attempt.nonce,
    idTokenExpected: true,
  });
}

/** The session id (`sid`) an access token names. */
export const sidOf = (jwt: string): string => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).sid as string;

/** What a login form served over plain HTTP holds: its fields and the cookie its CSRF token needs. */
export interface ServedForm {
  fields: Record<string, string>;
  cookie: string;
}

/** Reads the form of a served login page (for requests a browser would not send: a missing or forged token). */
export function servedForm(response: Response): ServedForm {
  const fields = Object.fromEntries(
    [...response.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(([, name, value]) => [name, unescape(value)]),
  );
  const cookies = (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return { fields, cookie: cookies.map((cookie) => cookie.split(';')[0]).join('; ') };
}

const unescape = (value: string) =>
  value.replace(
    /&(amp|lt|gt|quot|#39|#96);/g,
    (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`' })[entity]!,
  );

// Signs a user in to a domain the way a native or command-line app does (RFC 8252): a loopback
// redirect URI, authorization code + PKCE through the hosted login page, then the ID token and
// userinfo. README "Sign in from a web or mobile app"; the browser e2e suite runs it.
//
//   node test/examples/sign-in.mjs <issuer> <client_id>
//   e.g. node test/examples/sign-in.mjs http://localhost:3000/domains/shop q0Gm5dXyJ0a1d1bFk3b2lQ
//
// The client: public, grant types authorization_code (+ refresh_token), redirect URI
// http://127.0.0.1/callback (any port matches it), scopes openid offline_access.
import { createServer } from 'node:http';
import { URL } from 'node:url';
import * as client from 'openid-client';

const [issuer, clientId] = process.argv.slice(2);
if (!issuer || !clientId) {
  console.error('usage: node test/examples/sign-in.mjs <issuer> <client_id>');
  process.exit(2);
}

// Plain http is for a service on this machine only; anything else must be https.
const local = ['localhost', '127.0.0.1', '[::1]'].includes(new URL(issuer).hostname);
const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
  execute: local ? [client.allowInsecureRequests] : [],
});

// The app's redirect URI: a one-request listener on a port the system picks.
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const redirectUri = `http://127.0.0.1:${server.address().port}/callback`;

const verifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const url = client.buildAuthorizationUrl(config, {
  redirect_uri: redirectUri,
  scope: 'openid offline_access',
  code_challenge: await client.calculatePKCECodeChallenge(verifier),
  code_challenge_method: 'S256',
  state,
  nonce,
});
console.log(`Open this in a browser to sign in:\n${url.href}\n`);

const callback = await new Promise((resolve) => {
  server.on('request', (request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    response.end('Signed in: you can close this tab.');
    resolve(new URL(request.url, redirectUri));
  });
});
server.close();

// The code for tokens: openid-client checks state, iss, the ID token's nonce, audience and lifetimes.
const tokens = await client.authorizationCodeGrant(config, callback, {
  pkceCodeVerifier: verifier,
  expectedState: state,
  expectedNonce: nonce,
  idTokenExpected: true,
});
const claims = tokens.claims();
const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
console.log(JSON.stringify({ signedIn: claims.sub, idToken: claims, userinfo, refreshToken: tokens.refresh_token !== undefined }, null, 2));

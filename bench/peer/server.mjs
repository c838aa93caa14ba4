// The peer: node-oidc-provider with the DynamoDB adapter, run as its own process (like the service)
// and forked by the bench. Over IPC it mints refresh tokens, authorization codes and signed-in
// browser sessions straight from its models, so the load is only the endpoint measured.
// Env: PEER_PORT, PEER_TABLE, PEER_DYNAMO (JSON), PEER_CLIENT_SECRET.
//
// Two clients. `bench-client` (static, in the configuration) refreshes OpenID grants: opaque access
// token + id_token, the peer of GET /refresh. `bench-oauth` is the peer of the service's OAuth client:
// stored through the adapter like the service stores its clients (so every request reads it from the
// store, as the service's does), grants client_credentials and refresh_token, and gets RFC 9068 JWT
// access tokens (ES256, not stored) for one resource server: the work the service's token endpoint does.
// `bench-spa` is the peer of the service's hosted-login app: public (PKCE, no secret), authorization
// code + refresh tokens, in the configuration (the service's token endpoint remembers its client too).
import { exportJWK, generateKeyPair } from 'jose';
import { Provider, errors } from 'oidc-provider';
import { createHmac, randomBytes } from 'node:crypto';
import { documentClient } from '../lib/dynamo.mjs';
import { createOidcTable, dynamoAdapter } from './dynamo-adapter.mjs';

const PEER_CLIENT_ID = 'bench-client';
const SCOPE = 'openid offline_access';
const OAUTH_CLIENT_ID = 'bench-oauth';
// The service's bench client gets these scopes; its access tokens' audience is the domain's ('bench').
const OAUTH_SCOPE = 'api:read api:write';
const RESOURCE = 'https://api.bench.invalid';
const RESOURCE_AUDIENCE = 'bench';
const SPA_CLIENT_ID = 'bench-spa';
// As bench/lib/hosted-login.mjs: the app's redirect URI, and what it asks for.
const APP_REDIRECT_URI = 'https://app.bench.invalid/callback';
const SSO_SCOPE = 'openid offline_access api:read api:write';
const COOKIE_KEY = randomBytes(32).toString('base64url');

const ddb = documentClient(JSON.parse(process.env.PEER_DYNAMO));
await createOidcTable(ddb, process.env.PEER_TABLE);

// The same algorithm as the service's default: ES256 for the id_token each refresh returns.
const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'peer-es256' };

// The OAuth client lives in the store (a dynamic client): Client.find reads it on every request.
const adapter = dynamoAdapter(ddb, process.env.PEER_TABLE);
await adapter('Client').upsert(OAUTH_CLIENT_ID, {
  client_id: OAUTH_CLIENT_ID,
  client_secret: process.env.PEER_CLIENT_SECRET,
  client_secret_expires_at: 0,
  grant_types: ['client_credentials', 'refresh_token'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_basic',
  id_token_signed_response_alg: 'ES256', // the provider's only key; no id_token is issued to it
  scope: OAUTH_SCOPE,
});

const issuer = `http://127.0.0.1:${process.env.PEER_PORT}`;
const provider = new Provider(issuer, {
  adapter,
  clients: [
    {
      client_id: PEER_CLIENT_ID,
      client_secret: process.env.PEER_CLIENT_SECRET,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['https://client.bench.invalid/cb'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
    {
      client_id: SPA_CLIENT_ID,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [APP_REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [signingKey] },
  // A client's `scope` (what it may ask for, like the service's client `scopes`) must be among these.
  scopes: ['openid', 'offline_access', ...OAUTH_SCOPE.split(' ')],
  cookies: { keys: [COOKIE_KEY] },
  findAccount: (_ctx, accountId) => ({ accountId, claims: () => ({ sub: accountId }) }),
  // Single use, like the service's refresh credentials: every refresh consumes the presented token.
  rotateRefreshToken: true,
  expiresWithSession: () => false,
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // One resource server, the default of the OAuth client: JWT access tokens signed ES256, like the service's.
    resourceIndicators: {
      enabled: true,
      defaultResource: (_ctx, client, oneOf) => oneOf ?? (client?.clientId === OAUTH_CLIENT_ID ? RESOURCE : undefined),
      // The app's codes carry the resource: their access token is its JWT (not the opaque userinfo one openid would get).
      useGrantedResource: (_ctx, model) => model.clientId === SPA_CLIENT_ID,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== RESOURCE) throw new errors.InvalidTarget();
        return {
          scope: OAUTH_SCOPE,
          audience: RESOURCE_AUDIENCE,
          accessTokenTTL: 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        };
      },
    },
  },
  ttl: { AccessToken: 300, IdToken: 300, RefreshToken: 7 * 86_400, Grant: 7 * 86_400 },
});

// Its errors would otherwise vanish into a 500: the bench shows this output when the peer fails.
provider.on('server_error', (_ctx, error) => process.stderr.write(`peer server_error: ${error.stack}\n`));
provider.on('grant.error', (_ctx, error) =>
  process.stderr.write(`peer grant.error: ${error.message} ${error.error_description ?? ''} ${error.error_detail ?? ''}\n`),
);

/**
 * Refresh tokens of `count` fresh grants, as an authorization_code exchange would have left them:
 * OpenID ones of `bench-client`, or (`oauth`) ones of `bench-oauth` for the resource server.
 */
async function mint(count, oauth) {
  const clientId = oauth ? OAUTH_CLIENT_ID : PEER_CLIENT_ID;
  const client = await provider.Client.find(clientId);
  const authTime = Math.floor(Date.now() / 1000);
  const tokens = [];
  for (let i = 0; i < count; i += 1) {
    const accountId = `bench-user-${randomBytes(6).toString('hex')}`;
    const grant = new provider.Grant({ accountId, clientId });
    if (oauth) grant.addResourceScope(RESOURCE, OAUTH_SCOPE);
    else grant.addOIDCScope(SCOPE);
    const grantId = await grant.save();
    const scope = oauth ? OAUTH_SCOPE : SCOPE;
    const resource = oauth ? RESOURCE : undefined;
    const refreshToken = new provider.RefreshToken({ accountId, client, grantId, scope, resource, gty: 'authorization_code', authTime });
    tokens.push(await refreshToken.save());
  }
  return tokens;
}

/**
 * Authorization codes of `bench-spa`, one per attempt ({ challenge, nonce }), as its authorization
 * endpoint leaves them after a consented sign-in (so `offline_access` stays): one grant of a fresh
 * account with the OpenID scopes and the resource's, each code for the resource (a JWT access
 * token), PKCE S256, the attempt's nonce.
 */
async function mintCodes(attempts) {
  const client = await provider.Client.find(SPA_CLIENT_ID);
  const accountId = `bench-user-${randomBytes(6).toString('hex')}`;
  const grant = new provider.Grant({ accountId, clientId: SPA_CLIENT_ID });
  grant.addOIDCScope('openid offline_access');
  grant.addResourceScope(RESOURCE, OAUTH_SCOPE);
  const grantId = await grant.save();
  const authTime = Math.floor(Date.now() / 1000);
  const codes = [];
  for (let i = 0; i < attempts.length; i += 32) {
    const batch = attempts.slice(i, i + 32).map(({ challenge, nonce }) =>
      new provider.AuthorizationCode({
        accountId,
        client,
        grantId,
        scope: SSO_SCOPE,
        resource: RESOURCE,
        redirectUri: APP_REDIRECT_URI,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        nonce,
        authTime,
        sid: randomBytes(16).toString('base64url'),
        expiresWithSession: false,
      }).save(),
    );
    codes.push(...(await Promise.all(batch)));
  }
  return codes;
}

/**
 * `count` signed-in browsers: each a session of a fresh account that signed in to `bench-spa`
 * before (its grant covers `openid` and the app's scopes), and the signed `_session` cookie a
 * browser would hold for it.
 */
async function mintBrowsers(count) {
  const cookies = [];
  for (let i = 0; i < count; i += 1) {
    const accountId = `bench-user-${randomBytes(6).toString('hex')}`;
    const grant = new provider.Grant({ accountId, clientId: SPA_CLIENT_ID });
    grant.addOIDCScope('openid api:read api:write');
    const grantId = await grant.save();
    const session = new provider.Session({
      accountId,
      loginTs: Math.floor(Date.now() / 1000),
      authorizations: { [SPA_CLIENT_ID]: { sid: randomBytes(16).toString('base64url'), grantId } },
    });
    await session.save(86_400);
    // A signed cookie as koa's Cookies makes it (keygrip: HMAC-SHA1 of `name=value`, base64url).
    const cookie = `_session=${session.jti}`;
    cookies.push(`${cookie}; _session.sig=${createHmac('sha1', COOKIE_KEY).update(cookie).digest('base64url')}`);
  }
  return cookies;
}

const MINTERS = {
  mint: (message) => mint(message.count, message.oauth === true),
  'mint-codes': (message) => mintCodes(message.attempts),
  'mint-browsers': (message) => mintBrowsers(message.count),
};

process.on('message', (message) => {
  const minter = MINTERS[message?.type];
  if (!minter) return;
  minter(message).then(
    (tokens) => process.send({ type: 'minted', tokens }),
    (error) => process.send({ type: 'error', message: error.stack ?? String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));

provider.listen(Number(process.env.PEER_PORT), '127.0.0.1', () => process.send({ type: 'ready', issuer }));

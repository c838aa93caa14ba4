// The peer: node-oidc-provider with the DynamoDB adapter, run as its own process (like the service)
// and forked by the bench. Over IPC it mints refresh tokens straight from its models, so the load
// is only the `refresh_token` grant. Env: PEER_PORT, PEER_TABLE, PEER_DYNAMO (JSON), PEER_CLIENT_SECRET.
import { exportJWK, generateKeyPair } from 'jose';
import { Provider } from 'oidc-provider';
import { randomBytes } from 'node:crypto';
import { documentClient } from '../lib/dynamo.mjs';
import { createOidcTable, dynamoAdapter } from './dynamo-adapter.mjs';

const PEER_CLIENT_ID = 'bench-client';
const SCOPE = 'openid offline_access';

const ddb = documentClient(JSON.parse(process.env.PEER_DYNAMO));
await createOidcTable(ddb, process.env.PEER_TABLE);

// The same algorithm as the service's default: ES256 for the id_token each refresh returns.
const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'peer-es256' };

const issuer = `http://127.0.0.1:${process.env.PEER_PORT}`;
const provider = new Provider(issuer, {
  adapter: dynamoAdapter(ddb, process.env.PEER_TABLE),
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
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  findAccount: (_ctx, accountId) => ({ accountId, claims: () => ({ sub: accountId }) }),
  // Single use, like the service's refresh credentials: every refresh consumes the presented token.
  rotateRefreshToken: true,
  expiresWithSession: () => false,
  features: { devInteractions: { enabled: false } },
  ttl: { AccessToken: 300, IdToken: 300, RefreshToken: 7 * 86_400, Grant: 7 * 86_400 },
});

// Its errors would otherwise vanish into a 500: the bench shows this output when the peer fails.
provider.on('server_error', (_ctx, error) => process.stderr.write(`peer server_error: ${error.stack}\n`));
provider.on('grant.error', (_ctx, error) => process.stderr.write(`peer grant.error: ${error.message} ${error.error_detail ?? ''}\n`));

/** Refresh tokens of `count` fresh grants, as an authorization_code exchange would have left them. */
async function mint(count) {
  const client = await provider.Client.find(PEER_CLIENT_ID);
  const authTime = Math.floor(Date.now() / 1000);
  const tokens = [];
  for (let i = 0; i < count; i += 1) {
    const accountId = `bench-user-${randomBytes(6).toString('hex')}`;
    const grant = new provider.Grant({ accountId, clientId: PEER_CLIENT_ID });
    grant.addOIDCScope(SCOPE);
    const grantId = await grant.save();
    const refreshToken = new provider.RefreshToken({ accountId, client, grantId, scope: SCOPE, gty: 'authorization_code', authTime });
    tokens.push(await refreshToken.save());
  }
  return tokens;
}

process.on('message', (message) => {
  if (message?.type !== 'mint') return;
  mint(message.count).then(
    (tokens) => process.send({ type: 'minted', tokens }),
    (error) => process.send({ type: 'error', message: error.stack ?? String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));

provider.listen(Number(process.env.PEER_PORT), '127.0.0.1', () => process.send({ type: 'ready', issuer }));

// The ceilings of the token endpoint's grants: the calls the service makes for one (src/oauth), in
// its order, with no HTTP, form parsing or framework around them. Informational: their targets are
// against the peer. The domain and its keys are cached by the service: no store call for them.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { loopSide, measure } from '../lib/measure.mjs';
import { OAUTH_SCOPE } from '../lib/oauth.mjs';

// As src/common/secrets.ts.
const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
const sha256 = (value) => createHash('sha256').update(value).digest('base64url');
const constantTimeEqual = (a, b) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/** ClientAuthenticator: GetItem of the client (as DynamoClientsRepository.find), active, and its secret's hash compared. */
async function authenticateClient({ ddb, tables, user }, oauth) {
  const key = { domain: user.domain, clientId: oauth.clientId };
  const { Item } = await ddb.send(new GetCommand({ TableName: tables.clients, Key: key, ConsistentRead: true }));
  if (Item?.status !== 'active' || !constantTimeEqual(sha256(oauth.clientSecret), Item.secretHash)) throw new Error('client refused');
  return Item;
}

/** TokensService.issueAccessToken: an RFC 9068 token, signed with a fresh key of the domain key's algorithm. */
async function accessTokenSigner({ checker }) {
  const [jwk] = checker.jwks.keys;
  const { privateKey } = await generateKeyPair(jwk.alg);
  const { issuer, audience } = checker.options;
  return (subject, claims) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience(audience)
      .setJti(randomSecret(16))
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
  };
}

/**
 * What a grant's ceiling is made of, measured apart (informational, not interleaved): its store
 * calls only, and its jose work only. `work(ctx, oauth, parts)` makes the iteration.
 */
export async function ceilingParts(ctx, oauth, work) {
  const parts = { jose: 'jose sign' };
  for (const [name, only] of [
    ['storeOnly', { store: true, jose: false }],
    ['joseOnly', { store: false, jose: true }],
  ]) {
    const side = loopSide({ concurrency: ctx.connections, iteration: await work(ctx, oauth, only) });
    const options = { ...ctx.measureOptions, duration: Math.max(2, ctx.measureOptions.duration / 2), rounds: 1, warmup: 1 };
    parts[name] = (await measure({ [name]: side }, options))[name];
  }
  parts.harmonic = Math.round(1 / (1 / parts.storeOnly.rps + 1 / parts.joseOnly.rps));
  return parts;
}

/** client_credentials: client authentication, then the signature; `parts` picks the store call, the jose work, or both. */
export async function clientCredentialsWork(ctx, oauth, parts = { store: true, jose: true }) {
  const sign = await accessTokenSigner(ctx);
  const stored = await authenticateClient(ctx, oauth);
  return async function iteration() {
    const client = parts.store ? await authenticateClient(ctx, oauth) : stored;
    if (parts.jose) await sign(client.clientId, { client_id: client.clientId, scope: OAUTH_SCOPE });
  };
}
export const CLIENT_CREDENTIALS_CEILING = 'GetItem clients + secret hash compare + ES256 sign, in-process';

/**
 * refresh_token: client authentication, the one conditional UpdateItem of the session
 * (DynamoSessionsRepository.rotateClientRefresh, ReturnValues ALL_NEW), the signature. Each
 * worker owns a session of the client's, stored as SessionsService.startForClient stores one.
 */
export async function oauthRefreshWork(ctx, oauth, parts = { store: true, jose: true }) {
  const { ddb, tables, user } = ctx;
  const sign = await accessTokenSigner(ctx);
  const stored = await authenticateClient(ctx, oauth);
  const sessions = [];
  for (let worker = 0; worker < ctx.connections; worker += 1) {
    const now = Date.now();
    const id = randomSecret(16);
    const token = `${id}.0.${randomSecret()}`;
    const item = {
      id,
      domain: user.domain,
      username: user.username,
      refreshHash: sha256(token),
      createdAt: now,
      expiresAt: now + 86_400_000,
      clientId: oauth.clientId,
      scope: OAUTH_SCOPE,
      refreshExpiresAt: now + 14 * 86_400_000,
      generation: 0,
      userKey: `${user.domain}#${user.username}`,
      ttl: Math.ceil(now / 1000) + 2 * 86_400,
      grantedScopes: new Set(OAUTH_SCOPE.split(' ')),
    };
    await ddb.send(new PutCommand({ TableName: tables.sessions, Item: item, ConditionExpression: 'attribute_not_exists(id)' }));
    sessions.push({ id, generation: 0, token });
  }

  return async function iteration(worker) {
    const session = sessions[worker];
    if (!parts.store) {
      if (parts.jose) await sign(user.username, { client_id: stored.clientId, scope: OAUTH_SCOPE, sid: session.id });
      return;
    }
    const client = await authenticateClient(ctx, oauth);
    const next = `${session.id}.${session.generation + 1}.${randomSecret()}`;
    const at = Date.now();
    const { Attributes } = await ddb.send(
      new UpdateCommand({
        TableName: tables.sessions,
        Key: { id: session.id },
        ReturnValues: 'ALL_NEW',
        UpdateExpression:
          'SET refreshHash = :next, #slot = :presented, generation = :nextGeneration, lastRefreshedAt = :at, refreshExpiresAt = :refreshExpiresAt',
        ConditionExpression:
          'refreshHash = :presented AND generation = :generation AND #domain = :domain AND #clientId = :client AND ' +
          'attribute_not_exists(revokedAt) AND expiresAt > :at AND refreshExpiresAt > :at',
        ExpressionAttributeNames: { '#slot': `consumedRefresh${session.generation % 16}`, '#domain': 'domain', '#clientId': 'clientId' },
        ExpressionAttributeValues: {
          ':next': sha256(next),
          ':presented': sha256(session.token),
          ':generation': session.generation,
          ':nextGeneration': session.generation + 1,
          ':at': at,
          ':refreshExpiresAt': at + 14 * 86_400_000,
          ':domain': user.domain,
          ':client': client.clientId,
        },
      }),
    );
    Object.assign(session, { generation: session.generation + 1, token: next });
    if (parts.jose) await sign(Attributes.username, { client_id: client.clientId, scope: Attributes.scope, sid: session.id });
  };
}
export const OAUTH_REFRESH_CEILING = 'GetItem clients + secret hash compare + conditional UpdateItem session + ES256 sign, in-process';

// The ceiling of GET /refresh: the SDK calls a refresh makes (src/auth/auth.service.ts refresh(),
// in its order) and its jose verify + sign, with no HTTP and no framework around them.
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, generateKeyPair, importJWK, jwtVerify } from 'jose';

// As src/common/secrets.ts.
const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
const sha256 = (value) => createHash('sha256').update(value).digest('base64url');

/**
 * Resolves to `iteration(worker)` doing one refresh's work; `parts` picks the store calls, the
 * jose work, or both. Each worker owns a session item of its own, rotated like the service does.
 */
export async function refreshWork(ctx, tokens, parts = { store: true, jose: true }) {
  const { ddb, tables, user, checker } = ctx;
  const { kid } = decodeProtectedHeader(tokens[0]);
  const jwk = checker.jwks.keys.find((key) => key.kid === kid);
  const verificationKey = await importJWK(jwk, jwk.alg);
  // The service's private key stays in its key store; a fresh key of the same algorithm costs the same.
  const { privateKey } = await generateKeyPair(jwk.alg);
  const verifyOptions = { ...checker.options, algorithms: [jwk.alg] };

  const sessions = [];
  for (let worker = 0; worker < ctx.connections; worker += 1) {
    const now = Date.now();
    const session = { id: randomSecret(16), refreshHash: sha256(randomSecret()) };
    // As DynamoSessionsRepository.create (an item the service itself could read).
    const item = {
      ...session,
      domain: user.domain,
      username: user.username,
      createdAt: now,
      expiresAt: now + 86_400_000,
      userKey: `${user.domain}#${user.username}`,
      ttl: Math.ceil(now / 1000) + 2 * 86_400,
    };
    await ddb.send(new PutCommand({ TableName: tables.sessions, Item: item, ConditionExpression: 'attribute_not_exists(id)' }));
    sessions.push(session);
  }

  return async function iteration(worker) {
    const session = sessions[worker];
    const token = tokens[worker % tokens.length];
    // The domain lookup is cached by the service (DOMAIN_CACHE_SECONDS): no store call per request.
    if (parts.jose) await jwtVerify(token, verificationKey, verifyOptions);
    const next = randomSecret();
    if (parts.store) {
      // As DynamoSessionsRepository.rotateRefreshHash: the whole check is this one conditional write.
      const nextHash = sha256(next);
      const at = Date.now();
      await ddb.send(
        new UpdateCommand({
          TableName: tables.sessions,
          Key: { id: session.id },
          UpdateExpression: 'SET refreshHash = :new, lastRefreshedAt = :at',
          ConditionExpression:
            'refreshHash = :expected AND attribute_not_exists(revokedAt) AND expiresAt > :at AND #domain = :domain AND username = :username',
          ExpressionAttributeNames: { '#domain': 'domain' },
          ExpressionAttributeValues: {
            ':new': nextHash,
            ':expected': session.refreshHash,
            ':at': at,
            ':domain': user.domain,
            ':username': user.username,
          },
        }),
      );
      session.refreshHash = nextHash;
    }
    if (parts.jose) {
      const now = Math.floor(Date.now() / 1000);
      await new SignJWT({ domain: user.domain, username: user.username, session: session.id, sid: session.id, refresh_token: next })
        .setProtectedHeader({ alg: jwk.alg, kid, typ: 'JWT' })
        .setIssuer(verifyOptions.issuer)
        .setSubject(user.username)
        .setAudience(verifyOptions.audience)
        .setJti(randomSecret(16))
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(privateKey);
    }
  };
}

// The ceilings of the hosted login page's hot path: the calls the service makes for a signed-in
// browser's authorization request (src/login-page/sign-in.service.ts) and for the code exchange
// (src/oauth/grants/authorization-code.grant.ts), in their order, with no HTTP, query parsing,
// page or framework around them. The domain and its keys are cached by the service, and so is the
// client at the token endpoint: no store call for them there. The authorization endpoint reads
// its client on every request (ClientsService.findActive), so the ceiling does too.
import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { URL } from 'node:url';
import { SignJWT, generateKeyPair } from 'jose';
import { APP_REDIRECT_URI, SSO_SCOPE, newAttempt, s256 } from '../lib/hosted-login.mjs';

// As src/common/secrets.ts.
const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
const randomId = () => {
  let id = randomSecret(16);
  while (id.startsWith('-')) id = randomSecret(16);
  return id;
};
const sha256 = (value) => createHash('sha256').update(value).digest('base64url');
const constantTimeEqual = (a, b) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
// As src/tokens/token-hash.ts (ES256: the left half of SHA-256).
const tokenHash = (token) => createHash('sha256').update(token, 'ascii').digest().subarray(0, 16).toString('base64url');

const CODE_TTL_MS = 60_000;
const MAX_APP_SESSIONS = 1000;

/**
 * The item BrowserSessionsService.issueCode stores (DynamoSessionsRepository.create): an app
 * session waiting for its code, linked to the browser session `browser`.
 */
function pendingSession({ user }, sso, browser, attempt, now) {
  const id = randomId();
  const code = `${id}.${randomSecret()}`;
  const expiresAt = now + CODE_TTL_MS;
  const item = {
    id,
    domain: user.domain,
    username: user.username,
    refreshHash: sha256(randomSecret()),
    createdAt: now,
    expiresAt,
    grantEndsAt: browser.expiresAt,
    clientId: sso.clientId,
    scope: SSO_SCOPE,
    refreshExpiresAt: now,
    generation: 0,
    browserSessionId: browser.id,
    authTime: browser.authTime ?? browser.createdAt,
    codeHash: sha256(code),
    redirectUri: APP_REDIRECT_URI,
    codeChallenge: attempt.challenge,
    nonce: attempt.nonce,
    clientAddress: '127.0.0.1',
    userKey: `${user.domain}#${user.username}`,
    ttl: Math.ceil(Math.max(expiresAt, browser.expiresAt) / 1000) + 86_400,
    grantedScopes: new Set(SSO_SCOPE.split(' ')),
  };
  return { item, code };
}

/**
 * A signed-in browser's authorization request: GetItem of the client (AuthorizationRequests.validate),
 * GetItem of the browser session and its cookie's hash compared (BrowserSessionsService.resume),
 * PutItem of the app session waiting for its code and the UpdateItem that links it to the browser
 * session (issueCode), then the redirect. `sso` is the app (serviceSso), `signedIn` hands out the browsers (see browsers()).
 */
export function ssoCodeWork(ctx, sso, signedIn) {
  const { ddb, tables, user } = ctx;
  return async function iteration() {
    const browser = signedIn.next();
    const attempt = newAttempt();
    const { Item: client } = await ddb.send(
      new GetCommand({ TableName: tables.clients, Key: { domain: user.domain, clientId: sso.clientId }, ConsistentRead: true }),
    );
    if (
      client?.status !== 'active' ||
      !client.grantTypes.includes('authorization_code') ||
      !client.redirectUris.includes(APP_REDIRECT_URI)
    ) {
      throw new Error('client refused');
    }
    const { Item: session } = await ddb.send(
      new GetCommand({ TableName: tables.sessions, Key: { id: browser.sessionId }, ConsistentRead: true }),
    );
    const now = Date.now();
    const alive = session?.revokedAt === undefined && session?.expiresAt > now;
    if (
      session?.kind !== 'browser' ||
      session.domain !== user.domain ||
      !constantTimeEqual(session.refreshHash, sha256(browser.value)) ||
      !alive
    ) {
      throw new Error('browser session refused');
    }
    const { item, code } = pendingSession(ctx, sso, session, attempt, now);
    await ddb.send(new PutCommand({ TableName: tables.sessions, Item: item, ConditionExpression: 'attribute_not_exists(id)' }));
    await ddb.send(
      new UpdateCommand({
        TableName: tables.sessions,
        Key: { id: session.id },
        UpdateExpression: 'ADD appSessions :app',
        ConditionExpression:
          '#kind = :browser AND username = :username AND attribute_not_exists(revokedAt) AND expiresAt > :at AND ' +
          '(attribute_not_exists(appSessions) OR size(appSessions) < :max)',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':app': new Set([item.id]),
          ':browser': 'browser',
          ':username': user.username,
          ':at': now,
          ':max': MAX_APP_SESSIONS,
        },
      }),
    );
    const location = new URL(APP_REDIRECT_URI);
    for (const [name, value] of Object.entries({ code, state: attempt.state, iss: sso.issuer })) location.searchParams.append(name, value);
    return location.href;
  };
}
export const SSO_CODE_CEILING = 'GetItem clients + GetItem browser session + PutItem app session + UpdateItem link, in-process';

/**
 * Codes for the code exchange's ceiling, as issueCode stores them (without the link to a browser
 * session, which the redemption does not read): BatchWriteItem, 25 at a time. A browser session
 * of the run names them (`browser`: its item).
 */
export function pendingCodes(ctx, sso, browser) {
  return async function produce(count) {
    const made = [];
    const now = Date.now();
    for (let i = 0; i < count; i += 25) {
      const batch = Array.from({ length: Math.min(25, count - i) }, () => {
        const attempt = newAttempt();
        const { item, code } = pendingSession(ctx, sso, browser, attempt, now);
        made.push({ code, verifier: attempt.verifier, nonce: attempt.nonce, madeAt: now });
        return { PutRequest: { Item: item } };
      });
      const { UnprocessedItems } = await ctx.ddb.send(new BatchWriteCommand({ RequestItems: { [ctx.tables.sessions]: batch } }));
      if (Object.keys(UnprocessedItems ?? {}).length > 0) throw new Error('BatchWriteItem left items unprocessed');
    }
    return made;
  };
}

/** TokensService.sign: a JWT of the domain's key's algorithm (a fresh key of it), its issuer, a jti. */
async function signer({ checker }) {
  const [jwk] = checker.jwks.keys;
  const { privateKey } = await generateKeyPair(jwk.alg);
  const { issuer } = checker.options;
  return (claims, { typ, subject, audience }) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ })
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
 * The code exchange: the verifier's S256 transformation, the one conditional UpdateItem that
 * redeems the code and starts the refresh chain (DynamoSessionsRepository.redeemCode, ALL_NEW),
 * then the RFC 9068 access token and the ID token with its at_hash (TokenIssuer.respond), ES256
 * each. `codes` is a supply of pending codes; `parts` picks the store call, the jose work, or both.
 */
export async function codeExchangeWork(ctx, sso, codes, parts = { store: true, jose: true }) {
  const { ddb, tables, user } = ctx;
  const sign = await signer(ctx);
  const audience = ctx.checker.options.audience;
  const stored = { username: user.username, scope: SSO_SCOPE, authTime: Date.now(), browserSessionId: randomId(), nonce: 'n' };
  return async function iteration() {
    let session = stored;
    let sessionId = randomId();
    if (parts.store) {
      const code = codes.take();
      if (!code) throw new Error('the supply of codes ran dry');
      sessionId = code.code.slice(0, 22);
      const at = Date.now();
      const { Attributes } = await ddb.send(
        new UpdateCommand({
          TableName: tables.sessions,
          Key: { id: sessionId },
          ReturnValues: 'ALL_NEW',
          UpdateExpression:
            'SET codeUsedAt = :at, expiresAt = grantEndsAt, refreshHash = :refresh, refreshExpiresAt = :refreshExpiresAt REMOVE grantEndsAt',
          ConditionExpression:
            'codeHash = :code AND #domain = :domain AND #clientId = :client AND redirectUri = :redirectUri AND ' +
            'codeChallenge = :challenge AND attribute_not_exists(codeUsedAt) AND attribute_not_exists(revokedAt) AND expiresAt > :at',
          ExpressionAttributeNames: { '#domain': 'domain', '#clientId': 'clientId' },
          ExpressionAttributeValues: {
            ':at': at,
            ':refresh': sha256(`${sessionId}.0.${randomSecret()}`),
            ':refreshExpiresAt': at + 30 * 86_400_000,
            ':code': sha256(code.code),
            ':domain': user.domain,
            ':client': sso.clientId,
            ':redirectUri': APP_REDIRECT_URI,
            ':challenge': s256(code.verifier),
          },
        }),
      );
      session = Attributes;
    }
    if (!parts.jose) return;
    const accessToken = await sign(
      { client_id: sso.clientId, scope: session.scope, sid: sessionId },
      { typ: 'at+jwt', subject: session.username, audience },
    );
    await sign(
      {
        azp: sso.clientId,
        auth_time: Math.floor(session.authTime / 1000),
        sid: session.browserSessionId,
        at_hash: tokenHash(accessToken),
        nonce: session.nonce,
      },
      { typ: 'JWT', subject: session.username, audience: sso.clientId },
    );
  };
}
export const CODE_EXCHANGE_CEILING = 'conditional UpdateItem session (ALL_NEW) + 2 ES256 signs (access token, ID token), in-process';

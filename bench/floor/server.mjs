// The floor: what login and the session check cost with no framework at all. A bare node:http server
// making the service's own store calls on the same tables (GetItem user, argon2id verify with the
// service's PasswordHasher from dist/, conditional PutItem session, ES256 sign; consistent GetItem
// session), forked by the bench like the service. No validation, errors, logs or metrics: a lower
// bound for any implementation of these routes, not a service. `POST /login-without-store` is the
// same login without its two store calls (the user read once, then from memory; no session written).
// Env: FLOOR_PORT, FLOOR_DYNAMO (JSON), FLOOR_TABLES (JSON), FLOOR_SERVICE_DIR.
import 'reflect-metadata'; // the built hasher is a Nest @Injectable
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { SignJWT, generateKeyPair } from 'jose';
import { documentClient } from '../lib/dynamo.mjs';
import { serviceHasher } from '../lib/service-hasher.mjs';

const ddb = documentClient(JSON.parse(process.env.FLOOR_DYNAMO));
const tables = JSON.parse(process.env.FLOOR_TABLES);
const hasher = await serviceHasher(process.env.FLOOR_SERVICE_DIR);
const { privateKey } = await generateKeyPair('ES256');
const SESSION_MS = 7 * 24 * 3600 * 1000;

const cachedUsers = new Map();

/** `withStore: false` reads the user once and then from memory, and writes no session: argon2 + HTTP + sign only. */
async function login({ domain, username, password }, withStore) {
  const key = `${domain}#${username}`;
  const user =
    withStore || !cachedUsers.has(key)
      ? (await ddb.send(new GetCommand({ TableName: tables.users, Key: { domain, username } }))).Item
      : cachedUsers.get(key);
  cachedUsers.set(key, user);
  if (!user || !(await hasher.verify(user.passwordHash, password))) return [401, { error: 'Invalid credentials' }];
  const id = randomUUID();
  const refreshToken = randomBytes(32).toString('base64url');
  const now = Date.now();
  const item = {
    id,
    domain,
    username,
    userKey: `${domain}#${username}`,
    refreshHash: createHash('sha256').update(refreshToken).digest('base64url'),
    createdAt: now,
    expiresAt: now + SESSION_MS,
    ttl: Math.ceil((now + SESSION_MS) / 1000) + 86_400,
  };
  if (withStore)
    await ddb.send(new PutCommand({ TableName: tables.sessions, Item: item, ConditionExpression: 'attribute_not_exists(id)' }));
  const token = await new SignJWT({ domain, username, session: id, sid: id, refresh_token: refreshToken })
    .setProtectedHeader({ alg: 'ES256', kid: 'floor' })
    .setSubject(username)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
  return [200, { token }];
}

async function sessionValid(id) {
  const { Item } = await ddb.send(new GetCommand({ TableName: tables.sessions, Key: { id }, ConsistentRead: true }));
  return [200, { valid: Item !== undefined && Item.revokedAt === undefined && Item.expiresAt > Date.now() }];
}

function answer(response, [status, body]) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const server = createServer((request, response) => {
  const valid = request.url.match(/^\/sessions\/([^/]+)\/valid$/);
  if (request.method === 'GET' && valid) {
    sessionValid(decodeURIComponent(valid[1])).then(
      (result) => answer(response, result),
      () => answer(response, [503, {}]),
    );
    return;
  }
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    if (request.method !== 'POST' || !['/login', '/login-without-store'].includes(request.url)) return answer(response, [404, {}]);
    const withStore = request.url === '/login';
    login(JSON.parse(body), withStore).then(
      (result) => answer(response, result),
      () => answer(response, [503, {}]),
    );
  });
});
server.listen(Number(process.env.FLOOR_PORT), '127.0.0.1', () => process.send({ type: 'ready' }));

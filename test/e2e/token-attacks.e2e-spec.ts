import { SignJWT, decodeJwt, exportSPKI, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { createTokenVerifier } from '../../src/verify/verifier.js';
import { bearer, createDomain, createUser, login, loggedIn } from '../harness/factories.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.each(STORES)('forged tokens are rejected (%s store)', (store) => {
  let t: TestApp;
  let domain: string;
  let token: string;
  let kid: string;
  let claims: Record<string, unknown>;
  let publicJwk: JWK;

  beforeAll(async () => {
    t = await startTestApp(store);
    const session = await loggedIn(t);
    ({ domain, token } = session);
    claims = session.claims as Record<string, unknown>;
    kid = session.header.kid!;
    publicJwk = (await t.api.get(`/domains/${domain}/.well-known/jwks.json`)).body.keys[0];
  });
  afterAll(() => t.close());

  const kit = () => createTokenVerifier({ authUrl: t.publicUrl, issuerBaseUrl: t.config.publicUrl, domain });

  /** Every forgery must fail both in the service (refresh, status) and in the verifier kit. */
  async function expectRejected(forged: string) {
    for (const route of ['/refresh', '/status']) {
      const response = await t.api.get(route).set(bearer(forged));
      expect({ route, status: response.status, code: response.body.code }).toEqual({ route, status: 401, code: 'invalid_token' });
    }
    await expect(kit().verify(forged)).rejects.toMatchObject({ name: 'TokenVerificationError' });
  }

  const withHeader = async (header: Record<string, unknown>, key: Parameters<SignJWT['sign']>[0]) =>
    new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);

  it('the genuine token passes (control)', async () => {
    await t.api.get('/status').set(bearer(token)).expect(200);
    await kit().verify(token);
  });

  it('alg=none with the real kid', async () => {
    await expectRejected(`${b64({ alg: 'none', kid, typ: 'JWT' })}.${b64(claims)}.`);
  });

  it('HS256 signed with the public key as the shared secret (algorithm confusion)', async () => {
    const pem = await exportSPKI((await importJWK(publicJwk, 'ES256')) as CryptoKey);
    await expectRejected(await withHeader({ alg: 'HS256', kid }, new TextEncoder().encode(pem)));
    await expectRejected(await withHeader({ alg: 'HS256', kid }, new TextEncoder().encode(JSON.stringify(publicJwk))));
  });

  it('a key of our own with an unknown kid, and with the real kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expectRejected(await withHeader({ alg: 'ES256', kid: 'attacker-key' }, privateKey));
    await expectRejected(await withHeader({ alg: 'ES256', kid }, privateKey));
  });

  it.each([
    ['a relative path', '../../keys/other.json'],
    ['an absolute path', '/etc/passwd'],
    ['a URL', 'http://evil.example/jwks.json'],
    ['a lookup string', '${jndi:ldap://x}'],
    ['2000 characters', 'a'.repeat(2000)],
  ])('a kid with %s', async (_label, evilKid) => {
    const { privateKey } = await generateKeyPair('ES256');
    await expectRejected(await withHeader({ alg: 'ES256', kid: evilKid, jku: 'http://evil.example/jwks.json' }, privateKey));
  });

  it("a token of domain A is refused by domain B's JWKS and by the service as B's", async () => {
    const b = await createDomain(t);
    const username = await createUser(t, b);
    const tokenB = await login(t, b, username);
    const verifierB = createTokenVerifier({ authUrl: t.publicUrl, issuerBaseUrl: t.config.publicUrl, domain: b });
    await verifierB.verify(tokenB);
    await expect(verifierB.verify(token)).rejects.toMatchObject({ name: 'TokenVerificationError' });
    // A's signature over claims rewritten to name B
    const [header, , signature] = token.split('.');
    await expectRejected(`${header}.${b64({ ...claims, domain: b, iss: decodeJwt(tokenB).iss, aud: b })}.${signature}`);
  });

  it('an HS256 domain cannot be fooled with an ES256 token under its kid', async () => {
    const legacy = await createDomain(t, { algorithm: 'HS256' });
    const user = await createUser(t, legacy);
    const genuine = await login(t, legacy, user);
    await t.api.get('/status').set(bearer(genuine)).expect(200);
    const { privateKey } = await generateKeyPair('ES256');
    const header = JSON.parse(Buffer.from(genuine.split('.')[0], 'base64url').toString());
    const forged = await new SignJWT(decodeJwt(genuine)).setProtectedHeader({ alg: 'ES256', kid: header.kid }).sign(privateKey);
    const response = await t.api.get('/status').set(bearer(forged));
    expect(response.status).toBe(401);
  });
});

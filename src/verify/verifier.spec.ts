import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { createTokenVerifier, type TokenVerifierOptions } from './verifier.js';

/** A stand-in auth-service: one domain's JWKS, and tokens signed with its key as the service would (or would not) sign them. */
describe('createTokenVerifier with RFC 9068 access tokens', () => {
  let server: Server;
  let authUrl: string;
  let privateKey: CryptoKey;
  const issuer = () => `${authUrl}/domains/shop`;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    authUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const kit = (options: Partial<TokenVerifierOptions> = {}) => createTokenVerifier({ authUrl, domain: 'shop', ...options });

  /** `typ: null` signs without a typ header. */
  function sign(claims: JWTPayload, typ: string | null = 'at+jwt', iss = issuer()): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', ...(typ !== null && { typ }) })
      .setIssuer(iss)
      .setAudience('shop')
      .setSubject('app')
      .setJti('j1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  }
  const clientClaims = { client_id: 'app', scope: 'orders:read' };

  it.each(['at+jwt', 'application/at+jwt', 'AT+JWT'])('accepts typ %s where access tokens are required', async (typ) => {
    await expect(kit({ tokenType: 'at+jwt' }).verify(await sign(clientClaims, typ))).resolves.toMatchObject({ client_id: 'app' });
  });

  it('refuses a token of any other type, and an access-token-shaped token typed as a legacy one', async () => {
    await expect(kit().verify(await sign(clientClaims, 'logout+jwt'))).rejects.toMatchObject({ code: 'wrong_token_type' });
    await expect(kit().verify(await sign(clientClaims, 'JWT'))).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(kit().verify(await sign(clientClaims, null))).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it("pins an access token's domain by its issuer: the same key under another domain's issuer is refused", async () => {
    await expect(kit().verify(await sign(clientClaims, 'at+jwt', `${authUrl}/domains/other`))).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });

  it("refuses a session check on a client's own token before asking anyone", async () => {
    // no internalUrl: a check that reached for the session would fail with session_check_failed instead
    await expect(kit().verify(await sign(clientClaims), { checkSession: true })).rejects.toMatchObject({ code: 'no_session' });
  });

  it('throws a TypeError for malformed requirements when created', () => {
    expect(() => kit({ scopes: ['orders:read orders:write'] })).toThrow(TypeError);
    expect(() => kit({ tokenType: 'access' as never })).toThrow(TypeError);
  });
});

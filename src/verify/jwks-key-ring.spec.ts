import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { errors, exportJWK, generateKeyPair, type JWK } from 'jose';
import { JwksKeyRing } from './jwks-key-ring.js';

async function publicJwk(alg: 'ES256' | 'RS256', kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
}

describe('JwksKeyRing', () => {
  let server: Server;
  let published: JWK[];
  let fetches: number;
  let failing: boolean;
  let url: URL;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++;
      if (failing) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  afterEach(() => jest.restoreAllMocks());
  beforeEach(async () => {
    published = [await publicJwk('ES256', 'k1')];
    fetches = 0;
    failing = false;
  });

  it('fetches once and finds keys by kid and alg', async () => {
    const ring = new JwksKeyRing(url, 60_000, 1000);
    const key = await ring.keyFor({ kid: 'k1', alg: 'ES256' });
    expect(key).toBeDefined();
    expect(ring.keyFor({ kid: 'k1', alg: 'ES256' })).toBe(key);
    expect(fetches).toBe(1);
  });

  it('refuses a header whose alg is not the key’s own', async () => {
    const ring = new JwksKeyRing(url, 60_000, 1000);
    await ring.keyFor({ kid: 'k1', alg: 'ES256' });
    expect(() => ring.keyFor({ kid: 'k1', alg: 'RS256' })).toThrow(errors.JWKSNoMatchingKey);
    expect(() => ring.keyFor({ alg: 'ES256' })).toThrow(errors.JWKSNoMatchingKey);
  });

  it('skips symmetric keys and keys not meant for signatures', async () => {
    published.push({ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac', alg: 'HS256' }, { ...(await publicJwk('RS256', 'enc')), use: 'enc' });
    const ring = new JwksKeyRing(url, 60_000, 1000);
    await ring.keyFor({ kid: 'k1', alg: 'ES256' });
    expect(() => ring.keyFor({ kid: 'hmac', alg: 'HS256' })).toThrow(errors.JWKSNoMatchingKey);
    expect(() => ring.keyFor({ kid: 'enc', alg: 'RS256' })).toThrow(errors.JWKSNoMatchingKey);
  });

  it('learns a kid published later once asked to reload', async () => {
    const ring = new JwksKeyRing(url, 60_000, 0);
    await ring.keyFor({ kid: 'k1', alg: 'ES256' });
    published.push(await publicJwk('RS256', 'k2'));
    const seenAt = Date.now();
    expect(() => ring.keyFor({ kid: 'k2', alg: 'RS256' })).toThrow(errors.JWKSNoMatchingKey);
    await ring.reloadSince(seenAt);
    expect(ring.keyFor({ kid: 'k2', alg: 'RS256' })).toBeDefined();
    expect(fetches).toBe(2);
  });

  it('drops keys no longer published once its copy is older than the max age', async () => {
    const ring = new JwksKeyRing(url, 60_000, 0);
    await ring.keyFor({ kid: 'k1', alg: 'ES256' });
    published = [await publicJwk('ES256', 'k2')];
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 60_001);
    await expect(ring.keyFor({ kid: 'k1', alg: 'ES256' })).rejects.toThrow(errors.JWKSNoMatchingKey);
    expect(fetches).toBe(2);
  });

  it('keeps the last keys while refetching a stale copy fails, and tries again once per refetch interval', async () => {
    const ring = new JwksKeyRing(url, 60_000, 1000);
    await ring.keyFor({ kid: 'k1', alg: 'ES256' });
    failing = true;
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 60_001);
    await expect(ring.keyFor({ kid: 'k1', alg: 'ES256' })).rejects.toThrow();
    await expect(ring.keyFor({ kid: 'k1', alg: 'ES256' })).resolves.toBeDefined();
    expect(fetches).toBe(2);
    clock.mockReturnValue(now + 61_002);
    await expect(ring.keyFor({ kid: 'k1', alg: 'ES256' })).rejects.toThrow();
    expect(fetches).toBe(3);
  });

  it('fails when the JWKS cannot be fetched, without calling the kid unknown', async () => {
    const ring = new JwksKeyRing(new URL('http://127.0.0.1:1/jwks.json'), 60_000, 1000);
    await expect(ring.keyFor({ kid: 'k1', alg: 'ES256' })).rejects.toThrow();
    // A caller arriving while the failed fetch is still the latest one gets no verdict on the kid.
    const error = await Promise.resolve(ring.keyFor({ kid: 'k1', alg: 'ES256' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errors.JOSEError);
    expect(error).not.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });
});

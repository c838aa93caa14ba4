import { Injectable } from '@nestjs/common';
import { CryptoKey, JWK, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import { Clock } from '../common/clock.js';
import { randomSecret } from '../common/secrets.js';
import { AppConfig } from '../config/app-config.js';
import { KeyStore } from './key-store.js';
import { DomainKeys, SigningAlgorithm, SigningKey } from './signing-key.js';

/** A key ready for jose: imported once, reused until the cache entry expires. */
export interface UsableKey {
  kid: string;
  alg: SigningAlgorithm;
  key: CryptoKey | Uint8Array;
}

export interface LoadedKeys {
  signing: UsableKey;
  /** Every key a token may still carry: current, previous and pending. */
  verification: Map<string, UsableKey>;
  /** What the domain's JWKS publishes (no secret material, no HS256 keys). */
  publicJwks: JWK[];
}

interface CacheEntry {
  expiresAt: number;
  loading: Promise<LoadedKeys | undefined>;
}

@Injectable()
export class SigningKeysService {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly store: KeyStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Creates the domain's first key unless it has keys already (idempotent). */
  async ensureKeys(domain: string, alg: SigningAlgorithm): Promise<void> {
    if (await this.store.read(domain)) return;
    await this.store.create(domain, await this.generate(alg));
    this.cache.delete(domain);
  }

  /** The domain's keys, from a short-lived cache so a rotation is picked up within KEY_CACHE_SECONDS. */
  load(domain: string): Promise<LoadedKeys | undefined> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(domain);
    if (cached && cached.expiresAt > now) return cached.loading;
    const loading = this.store.read(domain).then((keys) => (keys ? this.prepare(keys) : undefined));
    this.cache.set(domain, { expiresAt: now + this.config.keyCacheSeconds * 1000, loading });
    loading.catch(() => this.cache.delete(domain));
    return loading;
  }

  async generate(alg: SigningAlgorithm): Promise<SigningKey> {
    const createdAt = this.clock.now().toISOString();
    if (alg === 'HS256') {
      const privateJwk: JWK = { kty: 'oct', k: randomSecret(32), alg };
      return { kid: await calculateJwkThumbprint(privateJwk), alg, createdAt, privateJwk };
    }
    const pair = await generateKeyPair(alg, alg === 'RS256' ? { modulusLength: 2048, extractable: true } : { extractable: true });
    const publicJwk = await exportJWK(pair.publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    return {
      kid,
      alg,
      createdAt,
      privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg },
      publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    };
  }

  private async prepare(keys: DomainKeys): Promise<LoadedKeys> {
    const versions = [keys.current, keys.previous, keys.pending].filter((key): key is SigningKey => key !== undefined);
    const verification = new Map<string, UsableKey>();
    for (const version of versions) {
      const jwk = version.publicJwk ?? version.privateJwk;
      verification.set(version.kid, { kid: version.kid, alg: version.alg, key: await importJWK(jwk, version.alg) });
    }
    const { kid, alg, privateJwk } = keys.current;
    return {
      signing: { kid, alg, key: await importJWK(privateJwk, alg) },
      verification,
      publicJwks: versions.flatMap((version) => (version.publicJwk ? [version.publicJwk] : [])),
    };
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CryptoKey, JWK, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import { Clock } from '../common/clock.js';
import { ReloadGate } from '../common/reload-gate.js';
import { randomSecret } from '../common/secrets.js';
import { AppConfig } from '../config/app-config.js';
import { KeyStore } from './key-store.js';
import { DomainKeys, SigningAlgorithm, SigningKey, byStage } from './signing-key.js';

/** A key ready for jose: imported once, reused until the cache entry expires. */
export interface UsableKey {
  kid: string;
  alg: SigningAlgorithm;
  key: CryptoKey | Uint8Array;
}

export interface LoadedKeys {
  versions: DomainKeys;
  signing: UsableKey;
  /** Every key a token may carry: current, previous and pending. */
  verification: Map<string, UsableKey>;
  /** What the domain's JWKS publishes (no secret material, no HS256 keys). */
  publicJwks: JWK[];
}

interface CacheEntry {
  loadedAt: number;
  loading: Promise<LoadedKeys | undefined>;
}

/** After a rotation elsewhere, an unknown kid triggers a reload, but not more often than this. */
const UNKNOWN_KID_RELOAD_MS = 1000;

@Injectable()
export class SigningKeysService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly gates = new Map<string, ReloadGate>();

  constructor(
    private readonly store: KeyStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Creates the domain's first key unless it has keys already (idempotent). */
  async ensureKeys(domain: string, alg: SigningAlgorithm, createdBy: string): Promise<void> {
    if ((await this.store.versions(domain)).length > 0) return;
    await this.store.create(domain, randomUUID(), await this.generate(alg, createdBy));
    this.invalidate(domain);
  }

  /** The domain's keys, from a short-lived cache so a rotation is picked up within KEY_CACHE_SECONDS. */
  load(domain: string): Promise<LoadedKeys | undefined> {
    const cached = this.cache.get(domain);
    if (cached && this.ageOf(cached) < this.config.keyCacheSeconds * 1000) return cached.loading;
    return this.reload(domain);
  }

  /**
   * The key a token names. A kid this instance does not know yet may come from a rotation another
   * instance made: reload once (rate-limited) before giving up.
   */
  async verificationKey(domain: string, kid: string): Promise<UsableKey | undefined> {
    const known = (await this.load(domain))?.verification.get(kid);
    if (known) return known;
    let gate = this.gates.get(domain);
    if (!gate) this.gates.set(domain, (gate = new ReloadGate(() => this.reload(domain), UNKNOWN_KID_RELOAD_MS)));
    await gate.reloadSince(Date.now());
    return (await this.load(domain))?.verification.get(kid);
  }

  invalidate(domain: string): void {
    this.cache.delete(domain);
  }

  /** Deletes every key of a domain being deleted; its tokens stop verifying here at once, elsewhere within KEY_CACHE_SECONDS. */
  async deleteAll(domain: string): Promise<void> {
    await this.store.deleteAll(domain);
    this.invalidate(domain);
    this.gates.delete(domain);
  }

  async generate(alg: SigningAlgorithm, createdBy: string): Promise<SigningKey> {
    const createdAt = this.clock.now().toISOString();
    if (alg === 'HS256') {
      const privateJwk: JWK = { kty: 'oct', k: randomSecret(32), alg };
      return { kid: await calculateJwkThumbprint(privateJwk), alg, createdAt, createdBy, privateJwk };
    }
    const pair = await generateKeyPair(alg, alg === 'RS256' ? { modulusLength: 2048, extractable: true } : { extractable: true });
    const publicJwk = await exportJWK(pair.publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    return {
      kid,
      alg,
      createdAt,
      createdBy,
      privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg },
      publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    };
  }

  private ageOf(entry: CacheEntry): number {
    return this.clock.now().getTime() - entry.loadedAt;
  }

  private reload(domain: string): Promise<LoadedKeys | undefined> {
    const loading = this.store.versions(domain).then((versions) => {
      const keys = byStage(versions);
      return keys && this.prepare(keys);
    });
    this.cache.set(domain, { loadedAt: this.clock.now().getTime(), loading });
    loading.catch(() => this.cache.delete(domain));
    return loading;
  }

  private async prepare(versions: DomainKeys): Promise<LoadedKeys> {
    // A version may briefly carry two labels (AWSCURRENT and AWSPENDING): one entry per kid.
    const byKid = new Map(
      [versions.pending, versions.current, versions.previous].flatMap((version) => (version ? [[version.key.kid, version.key]] : [])),
    );
    const keys = [...byKid.values()];
    const verification = new Map<string, UsableKey>();
    for (const key of keys) {
      verification.set(key.kid, { kid: key.kid, alg: key.alg, key: await importJWK(key.publicJwk ?? key.privateJwk, key.alg) });
    }
    const { kid, alg, privateJwk } = versions.current.key;
    return {
      versions,
      signing: { kid, alg, key: await importJWK(privateJwk, alg) },
      verification,
      publicJwks: keys.flatMap((key) => (key.publicJwk ? [key.publicJwk] : [])),
    };
  }
}

import { errors, importJWK, type JWK, type JWSHeaderParameters } from 'jose';
import { ReloadGate } from '../common/reload-gate.js';

type VerificationKey = Exclude<Awaited<ReturnType<typeof importJWK>>, Uint8Array>;

/** Only asymmetric algorithms: a verifier holds public keys, so HS256 (and `none`) can never pass. */
export const VERIFICATION_ALGORITHMS = ['ES256', 'EdDSA', 'RS256'];

const FETCH_TIMEOUT_MS = 5000;

/**
 * A domain's published keys, imported once per fetch and looked up by kid. jose's remote JWKS set
 * selects among the candidates on every call; verifying is the hot path of every consumer, so the
 * selection happens once here and a lookup is one Map read plus an alg check.
 */
export class JwksKeyRing {
  private keys = new Map<string, { alg: string; key: VerificationKey }>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private readonly gate: ReloadGate;

  constructor(
    private readonly url: URL,
    private readonly maxAgeMs: number,
    private readonly refetchIntervalMs: number,
  ) {
    this.gate = new ReloadGate(() => this.fetch(), refetchIntervalMs);
  }

  /** The key for a token's header, for jose's `jwtVerify`; throws `JWKSNoMatchingKey` for an unknown kid or a kid/alg mismatch. */
  readonly keyFor = (header: JWSHeaderParameters): VerificationKey | Promise<VerificationKey> => {
    if (Date.now() - this.fetchedAt <= this.maxAgeMs) return this.lookup(header);
    // Stale: wait for a fetch, unless one started within the refetch interval (and failed, since
    // the keys are still stale): then the last keys serve until the next attempt.
    return this.reloadSince(Date.now() - this.refetchIntervalMs).then(() => this.lookup(header));
  };

  /** Resolves once a fetch that started at or after `since` has finished (shared, rate-limited). */
  reloadSince(since: number): Promise<void> {
    return this.gate.reloadSince(since);
  }

  private lookup({ kid, alg }: JWSHeaderParameters): VerificationKey {
    // Not "unknown key": with no JWKS ever fetched, nothing is known about any kid.
    if (this.fetchedAt === Number.NEGATIVE_INFINITY) throw new errors.JOSEError('JWKS not available');
    const entry = kid === undefined ? undefined : this.keys.get(kid);
    // The key's own alg decides: a token cannot pick how its signature is checked.
    if (!entry || entry.alg !== alg) throw new errors.JWKSNoMatchingKey();
    return entry.key;
  }

  private async fetch(): Promise<void> {
    const response = await fetch(this.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!response.ok) throw new errors.JOSEError(`JWKS fetch failed with HTTP ${response.status}`);
    const body = (await response.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new errors.JWKSInvalid();
    const keys = new Map<string, { alg: string; key: VerificationKey }>();
    for (const jwk of body.keys as JWK[]) {
      if (typeof jwk.kid !== 'string' || !jwk.alg || !VERIFICATION_ALGORITHMS.includes(jwk.alg) || (jwk.use && jwk.use !== 'sig')) continue;
      keys.set(jwk.kid, { alg: jwk.alg, key: (await importJWK(jwk, jwk.alg)) as VerificationKey });
    }
    this.keys = keys;
    this.fetchedAt = Date.now();
  }
}

import type { StoreLimits } from '../aws/store-guard.js';
import type { TracingSettings } from '../tracing/tracing-settings.js';
import type { Argon2Parameters } from '../users/argon2-parameters.js';

export type StoreMode = 'embedded' | 'aws';

/** The validated configuration. Built once at startup by `loadConfig`; nothing else reads process.env. */
export class AppConfig {
  readonly host: string;
  readonly port: number;
  readonly internalPort: number;
  readonly publicUrl: string;
  readonly store: StoreMode;
  readonly dataDir: string;
  /** Loopback port of the embedded DynamoDB-compatible store, shared by the server and the CLI. */
  readonly embeddedStorePort: number;
  readonly createTables: boolean;
  /** Deadline of every store call (retries included) and the circuit breaker's settings. */
  readonly storeLimits: StoreLimits;
  readonly aws: { region: string; endpoint?: string };
  readonly tablePrefix: string;
  readonly secretPrefix: string;
  readonly kmsKeyId?: string;
  readonly adminToken?: string;
  readonly accessTokenTtlSeconds: number;
  readonly sessionTtlSeconds: number;
  readonly keyCacheSeconds: number;
  /** How long an instance trusts that an active domain is still active (login, refresh, session checks). */
  readonly domainCacheSeconds: number;
  /** How long an instance's token endpoint trusts that an active client is still active with the same secrets. */
  readonly clientCacheSeconds: number;
  readonly corsOrigins: string[];
  /**
   * Whom to believe about the client's address (throttling, logs): `false`, the socket's peer
   * only; a hop count; or the proxies' addresses/CIDRs. Fastify's `trustProxy`.
   */
  readonly trustedProxies: false | number | string[];
  /** Headers a token is read from, lower case: Authorization, Authorizationjwt and AUTH_HEADER. */
  readonly tokenHeaders: string[];
  readonly bodyLimitBytes: number;
  /** Timeouts of both HTTP listeners (see src/http/server-timeouts.ts). */
  readonly http: { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number };
  /** Have I Been Pwned's range API (`https://api.pwnedpasswords.com`), asked about new passwords; off when unset. */
  readonly hibpApiUrl?: string;
  /** argon2id parameters of new password hashes; a login re-hashes a password stored otherwise. */
  readonly argon2: Argon2Parameters;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `json` (one object a line) or `pretty` (for a terminal; the default when stdout is one). */
  readonly logFormat: 'json' | 'pretty';
  /**
   * What the standard OTEL_* variables ask of tracing (undefined: off). The SDK itself is started
   * before the app, from the same variables (src/tracing/register-tracing.ts).
   */
  readonly tracing?: TracingSettings;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}

import { isIP } from 'node:net';
import { tokenHeaderNames } from '../common/bearer-token.js';
import { tracingSettings } from '../tracing/tracing-settings.js';
import { DEFAULT_ARGON2, meetsOwaspFloor, OWASP_FLOOR_TEXT } from '../users/argon2-parameters.js';
import { AppConfig, StoreMode } from './app-config.js';

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** AWS credentials the SDK would find on its own: static keys, a profile, ECS task role or web identity. */
function hasAwsCredentials(env: Env): boolean {
  return Boolean(
    env.AWS_ACCESS_KEY_ID ||
    env.AWS_PROFILE ||
    env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE,
  );
}

/**
 * Parses and validates the environment, failing with every problem listed at once. `terminal`:
 * whether stdout is a terminal (human-readable logs by default).
 */
export function loadConfig(env: Env = process.env, terminal = process.stdout.isTTY === true): AppConfig {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const text = (name: string, fallback: string): string => env[name]?.trim() || fallback;
  const url = (name: string, fallback?: string): string | undefined => {
    const raw = env[name]?.trim() || fallback;
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
    } catch {
      problems.push(`${name} must be an http(s) URL (got "${raw}")`);
    }
    return raw.replace(/\/+$/, '');
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };

  const storeRaw = text('STORE', 'auto');
  let store: StoreMode = 'embedded';
  if (storeRaw === 'aws' || storeRaw === 'embedded') store = storeRaw;
  else if (storeRaw === 'auto') store = env.AWS_ENDPOINT_URL || hasAwsCredentials(env) ? 'aws' : 'embedded';
  else problems.push(`STORE must be auto, embedded or aws (got "${storeRaw}")`);

  const adminToken = env.ADMIN_TOKEN?.trim() || undefined;
  if (adminToken !== undefined && adminToken.length < 32) {
    problems.push('ADMIN_TOKEN must be at least 32 characters (or unset to disable the admin API)');
  }

  const logLevel = text('LOG_LEVEL', 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }

  const authHeader = env.AUTH_HEADER?.trim() ?? '';
  if (authHeader && !/^[A-Za-z0-9-]{1,64}$/.test(authHeader)) problems.push(`AUTH_HEADER must be a header name (got "${authHeader}")`);

  const logFormat = text('LOG_FORMAT', terminal ? 'pretty' : 'json');
  if (logFormat !== 'json' && logFormat !== 'pretty') problems.push(`LOG_FORMAT must be json or pretty (got "${logFormat}")`);

  const argon2 = {
    memoryKiB: int('ARGON2_MEMORY_KIB', DEFAULT_ARGON2.memoryKiB, 1024, 1_048_576),
    timeCost: int('ARGON2_TIME_COST', DEFAULT_ARGON2.timeCost, 1, 20),
    parallelism: int('ARGON2_PARALLELISM', DEFAULT_ARGON2.parallelism, 1, 16),
  };
  if (!meetsOwaspFloor(argon2))
    problems.push(`ARGON2_MEMORY_KIB and ARGON2_TIME_COST are below OWASP's floor (one of: ${OWASP_FLOOR_TEXT})`);

  const http = {
    requestTimeoutMs: int('HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    headersTimeoutMs: int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    keepAliveTimeoutMs: int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000, 1000, 600_000),
  };
  if (http.headersTimeoutMs > http.requestTimeoutMs) problems.push('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');

  const trustedProxies = parseTrustedProxies(env.TRUSTED_PROXIES?.trim() ?? '', problems);

  const port = int('PORT', 3000, 0, 65535);
  const internalPort = int('INTERNAL_PORT', 3001, 0, 65535);
  if (port !== 0 && port === internalPort) problems.push('INTERNAL_PORT must differ from PORT');

  const config = new AppConfig({
    host: text('HOST', '0.0.0.0'),
    port,
    internalPort,
    publicUrl: url('PUBLIC_URL', `http://localhost:${port}`)!,
    store,
    dataDir: text('DATA_DIR', '.data'),
    embeddedStorePort: int('EMBEDDED_STORE_PORT', 4569, 0, 65535),
    createTables: bool('CREATE_TABLES', store === 'embedded'),
    storeLimits: {
      timeoutMs: int('STORE_TIMEOUT_MS', 2000, 50, 60_000),
      breakerFailures: int('STORE_BREAKER_FAILURES', 5, 1, 1000),
      breakerCooldownMs: int('STORE_BREAKER_COOLDOWN_MS', 1000, 10, 60_000),
    },
    aws: { region: text('AWS_REGION', text('AWS_DEFAULT_REGION', 'us-east-1')), endpoint: url('AWS_ENDPOINT_URL') },
    tablePrefix: text('DYNAMODB_TABLE_PREFIX', 'auth-service-'),
    secretPrefix: text('SECRET_PREFIX', 'auth-service/domains/'),
    kmsKeyId: env.KMS_KEY_ID?.trim() || undefined,
    adminToken,
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 300, 30, 86_400),
    sessionTtlSeconds: int('SESSION_TTL_SECONDS', 7 * 86_400, 60, 365 * 86_400),
    keyCacheSeconds: int('KEY_CACHE_SECONDS', 30, 0, 3600),
    domainCacheSeconds: int('DOMAIN_CACHE_SECONDS', 5, 0, 300),
    clientCacheSeconds: int('CLIENT_CACHE_SECONDS', 5, 0, 300),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    tokenHeaders: tokenHeaderNames([authHeader]),
    trustedProxies,
    argon2,
    hibpApiUrl: url('HIBP_API_URL'),
    http,
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 16_384, 1024, 1_048_576),
    logLevel: logLevel as AppConfig['logLevel'],
    logFormat: logFormat === 'pretty' ? 'pretty' : 'json',
    tracing: tracingSettings(env),
  });

  if (problems.length > 0) throw new InvalidConfigError(problems);
  return config;
}

/** `TRUSTED_PROXIES`: empty (the socket's peer is the client), a hop count, or addresses/CIDRs. */
function parseTrustedProxies(raw: string, problems: string[]): false | number | string[] {
  if (raw === '') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const invalid = entries.filter((entry) => {
    const [address, prefix] = entry.split('/');
    return isIP(address) === 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix));
  });
  if (invalid.length > 0) problems.push(`TRUSTED_PROXIES must be a hop count or addresses/CIDRs (bad: ${invalid.join(', ')})`);
  return entries;
}

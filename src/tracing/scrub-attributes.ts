import type { Attributes } from '@opentelemetry/api';
import { REDACTED } from '../logging/redact.js';

/**
 * Attributes holding a URL or a path. Their query string and fragment are cut: the logout endpoint
 * takes an ID token in its query, authorize URLs carry `state` and PKCE values, and a careless
 * client may put anything there.
 */
const URL_KEYS = new Set(['url.full', 'url.path', 'url.original', 'http.url', 'http.target']);

/** Attributes never exported at all: each can only be, or hold, what we promise to keep out. */
const DROPPED_KEYS = new Set([
  'url.query', // the query string itself (the http instrumentation records it beside url.path)
  'db.query.text', // a DynamoDB statement names key values (only recorded if someone configures a serializer)
  'db.statement',
  'aws.dynamodb.item_collection_metrics', // carries item collection key values
  'exception.message', // an error's message may quote its input (a JSON parse error quotes the body)
  'exception.stacktrace', // starts with that message
]);

/**
 * Names of credentials, matched against an attribute name's last part (`http.request.header.authorization`,
 * should anyone turn header capture on): their values become REDACTED. The last part only:
 * `aws.secretsmanager.secret.arn` names which secret, not its value.
 */
const SECRET_KEY = /authorization|cookie|password|passwd|secret|token|credential|api[-_]?key|private|signature/i;

/** Values shaped like credentials whatever their key: compact JWS/JWE, argon2 hashes, auth schemes. */
const SECRET_VALUE = [/\beyJ[\w-]+\.[\w-]*\./, /\$argon2(?:id|i|d)\$/, /\b(?:Bearer|Basic)\s+\S/i];

/** What becomes of an attribute, by its key alone. */
type KeyRule = 'drop' | 'redact' | 'url' | 'value';

/**
 * Rules by key, decided once: the same few dozen keys come back on every span, and the key tests
 * were most of the scrubbing's cost. Bounded, should some instrumentation put ids in its keys.
 */
const rules = new Map<string, KeyRule>();
const MAX_RULES = 1024;

function ruleFor(key: string): KeyRule {
  let rule = rules.get(key);
  if (rule === undefined) {
    if (DROPPED_KEYS.has(key)) rule = 'drop';
    else if (SECRET_KEY.test(key.slice(key.lastIndexOf('.') + 1))) rule = 'redact';
    else rule = URL_KEYS.has(key) ? 'url' : 'value';
    if (rules.size < MAX_RULES) rules.set(key, rule);
  }
  return rule;
}

function cutQuery(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/[?#].*$/s, '') : value;
}

function isNested(value: unknown): value is Attributes {
  return value !== null && typeof value === 'object' && !(value instanceof Uint8Array);
}

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return SECRET_VALUE.some((shape) => shape.test(value)) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(scrubValue);
  if (isNested(value)) return scrubAttributes(value);
  return value;
}

function isCleanValue(value: unknown): boolean {
  if (typeof value === 'string') return !SECRET_VALUE.some((shape) => shape.test(value));
  if (Array.isArray(value)) return value.every(isCleanValue);
  if (isNested(value)) return isClean(value);
  return true;
}

/**
 * Whether scrubAttributes would change nothing, as for nearly every span: those leave as they are,
 * without a copy.
 */
export function isClean(attributes: Attributes): boolean {
  for (const key in attributes) {
    const rule = ruleFor(key);
    if (rule === 'drop' || rule === 'redact') return false;
    const value = attributes[key];
    if (rule === 'url' && typeof value === 'string' && /[?#]/.test(value)) return false;
    if (!isCleanValue(value)) return false;
  }
  return true;
}

/**
 * What may leave the process of a span's (or span event's) attributes: URL attributes without
 * their query, query and statement attributes dropped, credential-named or credential-shaped
 * values redacted. A new object; the span's own is left as it is.
 */
export function scrubAttributes(attributes: Attributes): Attributes {
  const scrubbed: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    const rule = ruleFor(key);
    if (rule === 'drop') continue;
    if (rule === 'redact') scrubbed[key] = REDACTED;
    else scrubbed[key] = scrubValue(rule === 'url' ? cutQuery(value) : value);
  }
  return scrubbed;
}

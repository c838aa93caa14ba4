import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { onStoreFault } from '../aws/store-call.js';

export type Outcome = 'ok' | 'failed';
export type RotationOutcome = Outcome | 'skipped';
export type LoginOutcome = Outcome | 'throttled';

/** The label of requests no route matched: raw URLs would make one series per scanner probe. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The service's Prometheus metrics, all in the app's own registry (MetricsModule provides it), so
 * two apps in one process never share or collide on a metric.
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  private readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly logins: Counter<'result'>;
  private readonly refreshes: Counter<'result'>;
  private readonly refreshReuses: Counter<'action'>;
  private readonly keyRotations: Counter<'result'>;
  private readonly oauthTokens: Counter<'grant' | 'result'>;
  private readonly eventsDropped: Counter<'type'>;
  private readonly storeErrors: Counter<'operation'>;
  private unsubscribe?: () => void;

  constructor(private readonly registry: Registry) {
    const registers = [registry];
    this.requestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route pattern, method and status code',
      labelNames: ['method', 'route', 'status_code'],
      // argon2 makes a login take ~50-100 ms; the rest are single store round trips.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.logins = new Counter({
      name: 'auth_logins_total',
      help: 'Logins that reached the credential check, by result (throttled: refused with 429 before any password work)',
      labelNames: ['result'],
      registers,
    });
    this.refreshes = new Counter({ name: 'auth_refreshes_total', help: 'Token refreshes, by result', labelNames: ['result'], registers });
    this.refreshReuses = new Counter({
      name: 'auth_refresh_reuse_total',
      help: 'Consumed refresh credentials presented again, by action: revoked (the session), within_grace (only refused)',
      labelNames: ['action'],
      registers,
    });
    this.keyRotations = new Counter({
      name: 'auth_key_rotations_total',
      help: 'Signing key rotations of a domain, by result',
      labelNames: ['result'],
      registers,
    });
    this.oauthTokens = new Counter({
      name: 'auth_oauth_tokens_total',
      help: 'Token endpoint requests, by grant type and result (failed: any OAuth error)',
      labelNames: ['grant', 'result'],
      registers,
    });
    this.eventsDropped = new Counter({
      name: 'auth_events_dropped_total',
      help: 'Security events that could not be stored (the request they describe went on), by event type',
      labelNames: ['type'],
      registers,
    });
    this.storeErrors = new Counter({
      name: 'auth_store_errors_total',
      help: 'DynamoDB / key store operations that failed (the caller answered 503), by operation',
      labelNames: ['operation'],
      registers,
    });
    // Every result exists from the start, so rate() and alerts see 0 rather than no series.
    for (const result of ['ok', 'failed'] as const) this.refreshes.inc({ result }, 0);
    for (const result of ['ok', 'failed', 'throttled'] as const) this.logins.inc({ result }, 0);
    for (const action of ['revoked', 'within_grace'] as const) this.refreshReuses.inc({ action }, 0);
    for (const result of ['ok', 'failed', 'skipped'] as const) this.keyRotations.inc({ result }, 0);
  }

  onModuleInit(): void {
    this.unsubscribe = onStoreFault((operation) => this.storeErrors.inc({ operation }));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  login(result: LoginOutcome): void {
    this.logins.inc({ result });
  }

  refresh(result: Outcome): void {
    this.refreshes.inc({ result });
  }

  refreshReuse(action: 'revoked' | 'within_grace'): void {
    this.refreshReuses.inc({ action });
  }

  /** A token endpoint request; `grant` is one the endpoint serves, or `other`. */
  oauthToken(grant: string, result: Outcome): void {
    this.oauthTokens.inc({ grant, result });
  }

  eventDropped(type: string): void {
    this.eventsDropped.inc({ type });
  }

  /** One domain's rotation: `skipped` when it was not due (or another instance holds it). */
  keyRotation(result: RotationOutcome): void {
    this.keyRotations.inc({ result });
  }

  /** `route` is the route pattern (`/sessions/:id/valid`) or UNMATCHED_ROUTE, never a raw URL. */
  httpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /** The Prometheus text exposition of every metric of this app. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}

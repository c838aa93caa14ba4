import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { randomSecret } from '../common/secrets.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { EventPage, EventQuery, EventsRepository } from './events.repository.js';
import { currentRequest } from './request-context.js';
import { DEFAULT_EVENT_RETENTION_DAYS, EventFacts, NO_DOMAIN, SecurityEvent } from './security-event.js';

/** How many days a domain keeps its events; the domains module tells (it knows the settings). */
export type RetentionLookup = (domain: string) => Promise<number | undefined>;

/** How long a shutdown waits for event writes still in flight. */
const FLUSH_TIMEOUT_MS = 3000;

/**
 * The security event trail's one writer. Recording never fails or delays the request it describes:
 * the write runs beside it (bounded by the store's deadline), and one that fails is counted in
 * `auth_events_dropped_total` and logged. Each event is also one structured log line (`event`).
 */
@Injectable()
export class EventsService implements OnApplicationShutdown {
  private readonly logger = new Logger('SecurityEvents');
  private readonly inFlight = new Set<Promise<void>>();
  private retention: RetentionLookup = async () => undefined;

  constructor(
    private readonly events: EventsRepository,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {}

  /** Where retention settings come from (DomainsService registers itself at startup). */
  useRetention(lookup: RetentionLookup): void {
    this.retention = lookup;
  }

  /** Records what happened, with the current request's address, user agent and id. Never throws. */
  record(facts: EventFacts): void {
    const request = currentRequest();
    const event: SecurityEvent = {
      ...facts,
      domain: facts.domain ?? NO_DOMAIN,
      id: randomSecret(12),
      at: this.clock.now().toISOString(),
      ...(request && { clientAddress: request.clientAddress, requestId: request.requestId }),
      ...(request?.userAgent && { userAgent: request.userAgent }),
    };
    this.logger.log({ event }, `security event ${event.type}`);
    const write = this.store(event).finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
  }

  query(query: EventQuery): Promise<EventPage> {
    return this.events.query(query);
  }

  /** Lets the writes in flight finish (bounded) before the store clients close. */
  async onApplicationShutdown(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
  }

  private async store(event: SecurityEvent): Promise<void> {
    try {
      const days = (await this.retention(event.domain).catch(() => undefined)) ?? DEFAULT_EVENT_RETENTION_DAYS;
      await this.events.put(event, Math.ceil(Date.parse(event.at) / 1000) + days * 86_400);
    } catch (error) {
      this.metrics.eventDropped(event.type);
      this.logger.warn(`security event ${event.type} (${event.domain}) dropped: ${error instanceof Error ? error.name : 'unknown'}`);
    }
  }
}

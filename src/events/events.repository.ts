import { EventType, SecurityEvent } from './security-event.js';

export interface EventQuery {
  domain: string;
  username?: string;
  type?: EventType;
  /** ISO 8601 bounds, inclusive. */
  since?: string;
  until?: string;
  limit: number;
  /** Where the previous page ended (opaque to callers). */
  cursor?: string;
}

export interface EventPage {
  events: SecurityEvent[];
  /** Present when there may be more. */
  cursor?: string;
}

export abstract class EventsRepository {
  /** Stores one event, kept until `expiresAt` (epoch seconds). */
  abstract put(event: SecurityEvent, expiresAt: number): Promise<void>;
  /** Newest first, by index (never a scan). */
  abstract query(query: EventQuery): Promise<EventPage>;
}

import type { ServerOptions } from 'node:http';
import type { AppConfig } from '../config/app-config.js';

/**
 * The listeners' timeouts, the same on both ports. A request (headers and body) must arrive within
 * `requestTimeoutMs` and its headers within `headersTimeoutMs`, or it gets 408 and its connection is
 * closed: a client that sends half a body and stalls holds nothing for long. Idle kept-alive
 * connections live `keepAliveTimeoutMs`, longer than the load balancer's idle timeout (60 s on an
 * ALB), so the balancer never reuses a connection the service is closing.
 */
export function serverTimeouts({ http }: AppConfig): ServerOptions {
  return {
    requestTimeout: http.requestTimeoutMs,
    headersTimeout: http.headersTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    // Node enforces the two timeouts above on this tick (default 30 s, longer than they are).
    connectionsCheckingInterval: Math.min(1000, Math.floor(http.headersTimeoutMs / 2)),
  };
}

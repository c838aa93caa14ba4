import { Logger } from '@nestjs/common';
import { CircuitBreaker } from './circuit-breaker.js';

/** How long a store call may take, retries included, and when to stop trying a dead store. */
export interface StoreLimits {
  timeoutMs: number;
  breakerFailures: number;
  breakerCooldownMs: number;
}

/** What a call refused by an open breaker throws; `storeCall` answers it with a 503 like any fault. */
export class StoreCircuitOpen extends Error {
  override readonly name = 'StoreCircuitOpen';
}

/** A fault is the store not answering (no HTTP status: refused, reset, timed out, aborted) or a 5xx. */
export function isStoreFault(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

type Sendable = { send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> };

/**
 * Gives every call of an SDK client a deadline (an abort signal: the socket is closed, nothing keeps
 * running after the caller got its 503) and a circuit breaker. The SDK's own request timeout only
 * covers one attempt, and by default only logs.
 */
export function guardStoreClient<C extends object>(client: C, store: string, limits: StoreLimits): C {
  const logger = new Logger('Storage');
  const breaker = new CircuitBreaker(limits.breakerFailures, limits.breakerCooldownMs);
  const target = client as unknown as Sendable;
  const send = target.send.bind(target);
  target.send = async (command, options) => {
    if (!breaker.admit(Date.now())) throw new StoreCircuitOpen(`${store} is not answering`);
    try {
      const output = await send(command, { ...options, abortSignal: AbortSignal.timeout(limits.timeoutMs) });
      if (breaker.succeeded()) logger.log(`${store} answers again: calls go through`);
      return output;
    } catch (error) {
      if (!isStoreFault(error)) {
        breaker.succeeded();
      } else if (breaker.failed(Date.now())) {
        logger.warn(`${store} is not answering: calls fail at once for ${limits.breakerCooldownMs} ms, then one probes`);
      }
      throw error;
    }
  };
  return client;
}

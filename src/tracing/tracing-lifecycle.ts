import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { setTimeout as delay } from 'node:timers/promises';
import { AppConfig } from '../config/app-config.js';

/** A dead collector must not hold up a shutdown: the drain and this stay within ECS's 30 s. */
const FLUSH_TIMEOUT_MS = 2000;

type Flushable = { forceFlush(): Promise<void> };

/** The SDK's tracer provider if register-tracing.ts started one; the API's no-op has no forceFlush. */
function startedProvider(): Flushable | undefined {
  const delegate: object | undefined = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate?.();
  return delegate && 'forceFlush' in delegate && typeof delegate.forceFlush === 'function' ? (delegate as Flushable) : undefined;
}

/**
 * Tracing as the app sees it: one startup line saying whether spans are exported (or why not), and
 * on shutdown the spans still batched go out before the process exits.
 */
@Injectable()
export class TracingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Tracing');

  constructor(private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    const settings = this.config.tracing;
    if (!settings) return;
    if (!startedProvider()) {
      this.logger.warn(
        'OTEL_* variables ask for tracing, but the service was not started with --import ./dist/tracing/register-tracing.js: no spans',
      );
      return;
    }
    const exporter = settings.exporter === 'console' ? 'to the console' : `over OTLP (${settings.protocol})`;
    this.logger.log(`Spans of ${settings.serviceName} exported ${exporter}; trace context: ${settings.propagators.join(', ') || 'none'}`);
    for (const warning of settings.warnings) this.logger.warn(warning);
  }

  async onApplicationShutdown(): Promise<void> {
    const provider = startedProvider();
    if (!provider) return;
    const timeout = new AbortController();
    const flushed = provider.forceFlush().catch(() => undefined); // a failed export is the collector's problem, not the shutdown's
    await Promise.race([flushed, delay(FLUSH_TIMEOUT_MS, undefined, { signal: timeout.signal }).catch(() => undefined)]);
    timeout.abort();
  }
}

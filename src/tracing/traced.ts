import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/**
 * The tracer of the spans the service makes itself, where no instrumentation sees the work (argon2,
 * JWT signing). Until an SDK is started (register-tracing.ts) it is the API's no-op: with tracing
 * off, a traced call costs one no-op span object.
 */
const tracer = trace.getTracer('auth-service');

/**
 * Runs `work` as a span named `name`, a child of the span active at the call (the request's). A
 * rejection marks the span as failed. `attributes` say how the work was done, never what it was
 * done to (no password, token, key or hash: the exporter would redact them anyway).
 */
export function traced<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  // Active while `work` runs: what it calls (a store call of a CLI command) becomes its child.
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';

/** What is traced without a line of ours in the code it traces. */
export function instrumentations(): Instrumentation[] {
  return [
    // The request's SERVER span, on both ports, with W3C traceparent (and X-Ray) extraction and
    // error status for a 5xx only. Outgoing HTTP is not traced: a store call's span is the SDK
    // call's, one level up, and a span per HTTP attempt under it would say it twice.
    new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true }),
    // Fastify's own instrumentation, for the route: it names the SERVER span after the route
    // pattern (`POST /domains/:domain/oauth2/token`). It adds one `request` span under it; a span
    // per hook and handler would double the spans of every request for nothing we look at, and
    // exceptions are not recorded (a JSON parse error quotes the body it could not parse).
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      instrumentHooks: false,
      instrumentHandler: false,
      recordExceptions: false,
    }),
    // One CLIENT span per DynamoDB / Secrets Manager call (retries included): the operation, the
    // table, the secret's ARN when the call names one. Never an item, a key's value or a secret value.
    new AwsInstrumentation(),
    // `trace_id`, `span_id` and `trace_flags` on every log line written inside a span. The lines
    // themselves stay on stdout: they are not sent as OpenTelemetry logs.
    new PinoInstrumentation({ disableLogSending: true }),
  ];
}

import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace';
import { instrumentations } from './instrumentations.js';
import { ScrubbingSpanExporter } from './scrubbing-exporter.js';
import type { PropagatorName, TracingSettings } from './tracing-settings.js';

/** Each OTLP exporter reads its endpoint, headers, timeout and compression from OTEL_EXPORTER_OTLP_* itself. */
function exporterFor({ exporter, protocol }: TracingSettings): SpanExporter {
  if (exporter === 'console') return new ConsoleSpanExporter();
  if (protocol === 'http/json') return new OtlpJsonExporter();
  if (protocol === 'grpc') return new OtlpGrpcExporter();
  return new OtlpProtobufExporter();
}

const PROPAGATORS: Record<PropagatorName, () => TextMapPropagator> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  // `X-Amzn-Trace-Id`: what the ALB adds to every request, so a trace starts at the balancer.
  xray: () => new AWSXRayPropagator(),
};

/** The SDK reads OTEL_PROPAGATORS itself but knows no `xray`: the list is ours (tracing-settings.ts). */
function propagatorFor(names: PropagatorName[]): TextMapPropagator | null {
  if (names.length === 0) return null;
  return new CompositePropagator({ propagators: names.map((name) => PROPAGATORS[name]()) });
}

/**
 * Starts the OpenTelemetry SDK: the instrumentations patch what is loaded after this. Sampling
 * (OTEL_TRACES_SAMPLER), batching (OTEL_BSP_*), limits and resource attributes come from the
 * standard variables, read by the SDK.
 */
export function startTracing(settings: TracingSettings): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    traceExporter: new ScrubbingSpanExporter(exporterFor(settings)),
    textMapPropagator: propagatorFor(settings.propagators),
    ...(settings.xrayIds && { idGenerator: new AWSXRayIdGenerator() }),
    instrumentations: instrumentations(),
    // Traces only: metrics stay Prometheus' (/metrics), logs stay lines on stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return sdk;
}

/** The trace context formats the service reads from requests and writes to outgoing calls. */
export type PropagatorName = 'tracecontext' | 'baggage' | 'xray';

/** How the OpenTelemetry SDK is started (register-tracing.ts), from the standard OTEL_* variables. */
export interface TracingSettings {
  serviceName: string;
  exporter: 'otlp' | 'console';
  /** OTLP's transport: protobuf over HTTP (the spec's default), JSON over HTTP, or gRPC. */
  protocol: 'http/protobuf' | 'http/json' | 'grpc';
  propagators: PropagatorName[];
  /**
   * New traces get X-Ray-format ids (the first 32 bits are the start time), which X-Ray needs to
   * index them: on whenever the `xray` propagator is, i.e. where traces end up in X-Ray.
   */
  xrayIds: boolean;
  /** Values that were ignored, for one startup line each. */
  warnings: string[];
}

export const DEFAULT_SERVICE_NAME = 'auth-service';

const PROPAGATORS: readonly string[] = ['tracecontext', 'baggage', 'xray'] satisfies PropagatorName[];
const PROTOCOLS: readonly string[] = ['http/protobuf', 'http/json', 'grpc'] satisfies TracingSettings['protocol'][];

type Env = Record<string, string | undefined>;

/** A comma-separated OTEL_* list: trimmed, lower case (the spec's enum values are case-insensitive), no empties. */
function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

/** `service.name` from OTEL_SERVICE_NAME, else from OTEL_RESOURCE_ATTRIBUTES, else ours. */
function serviceNameOf(env: Env): string {
  if (isSet(env.OTEL_SERVICE_NAME)) return env.OTEL_SERVICE_NAME!.trim();
  for (const pair of (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',')) {
    const [key, ...value] = pair.split('=');
    if (key.trim() === 'service.name' && value.join('=').trim() !== '') return value.join('=').trim();
  }
  return DEFAULT_SERVICE_NAME;
}

/**
 * Whether tracing is on, and how. Off (undefined) unless an OTLP endpoint or a traces exporter is
 * named: a service nobody collects spans from loads no SDK and pays nothing. OTEL_SDK_DISABLED=true
 * and OTEL_TRACES_EXPORTER=none always turn it off.
 */
export function tracingSettings(env: Env): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporters = listOf(env.OTEL_TRACES_EXPORTER);
  if (exporters.includes('none')) return undefined;
  const configured = exporters.length > 0 || isSet(env.OTEL_EXPORTER_OTLP_ENDPOINT) || isSet(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (!configured) return undefined;

  const warnings: string[] = [];
  const [named = 'otlp', ...others] = exporters;
  const exporter = named === 'console' ? 'console' : 'otlp';
  if (named !== exporter) warnings.push(`OTEL_TRACES_EXPORTER "${named}" is not supported (otlp, console, none): using otlp`);
  if (others.length > 0) warnings.push(`OTEL_TRACES_EXPORTER names more than one exporter: only "${named}" is used`);

  const protocolValue = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? '').trim().toLowerCase();
  const protocol = PROTOCOLS.includes(protocolValue) ? (protocolValue as TracingSettings['protocol']) : 'http/protobuf';
  if (protocolValue !== '' && protocolValue !== protocol)
    warnings.push(`OTLP protocol "${protocolValue}" is not supported: using http/protobuf`);

  const propagatorNames = env.OTEL_PROPAGATORS === undefined ? ['tracecontext', 'baggage'] : listOf(env.OTEL_PROPAGATORS);
  const propagators = propagatorNames.includes('none') ? [] : [...new Set(propagatorNames.filter((name) => PROPAGATORS.includes(name)))];
  for (const name of propagatorNames.filter((name) => name !== 'none' && !PROPAGATORS.includes(name))) {
    warnings.push(`OTEL_PROPAGATORS "${name}" is not supported (tracecontext, baggage, xray): ignored`);
  }

  return {
    serviceName: serviceNameOf(env),
    exporter,
    protocol,
    propagators: propagators as PropagatorName[],
    xrayIds: propagators.includes('xray'),
    warnings,
  };
}

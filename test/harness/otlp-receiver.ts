import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One exported span, its attributes flattened to plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's numbering: 1 internal, 2 server, 3 client. */
  kind: number;
  /** 0 unset, 1 ok, 2 error. */
  status: number;
  scope: string;
  attributes: Record<string, unknown>;
}

export const SERVER = 2;
export const CLIENT = 3;
export const STATUS_ERROR = 2;

export interface OtlpReceiver {
  /** Point OTEL_EXPORTER_OTLP_ENDPOINT here (with OTEL_EXPORTER_OTLP_PROTOCOL=http/json). */
  url: string;
  /** Every span received so far. */
  spans(): ReceivedSpan[];
  /** Every request body received, as sent (for searching them whole). */
  bodies(): string[];
  /** The paths requested (/v1/traces, and nothing else if only traces are exported). */
  paths(): string[];
  close(): Promise<void>;
}

type OtlpValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: OtlpValue[] };
};
type OtlpAttribute = { key: string; value: OtlpValue };
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status?: { code?: number };
  attributes?: OtlpAttribute[];
};
type OtlpTraces = { resourceSpans?: { scopeSpans?: { scope?: { name: string }; spans?: OtlpSpan[] }[] }[] };

function plain(value: OtlpValue): unknown {
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plain);
  return value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.doubleValue));
}

function spansOf(body: OtlpTraces): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resource) =>
    (resource.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId || undefined,
        name: span.name,
        kind: span.kind,
        status: span.status?.code ?? 0,
        scope: scope.scope?.name ?? '',
        attributes: Object.fromEntries((span.attributes ?? []).map(({ key, value }) => [key, plain(value)])),
      })),
    ),
  );
}

/** An OTLP/HTTP collector for tests: takes JSON exports (OTEL_EXPORTER_OTLP_PROTOCOL=http/json) and keeps them. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      paths.push(request.url ?? '');
      bodies.push(body);
      if (request.url === '/v1/traces') spans.push(...spansOf(JSON.parse(body) as OtlpTraces));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans: () => [...spans],
    bodies: () => [...bodies],
    paths: () => [...paths],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

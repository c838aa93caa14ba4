// The traced service's collector in the tracing scenario (forked by otlp-sink.mjs): an OTLP/HTTP
// endpoint that answers 200 to every export and counts them. During the load it only keeps the
// bodies; what they hold is decoded when the bench asks (IPC `summary`), outside the load.
// usage: node bench/lib/otlp-sink-server.mjs (sends { type: 'ready', port } once listening)
import { createServer } from 'node:http';

let exports = 0;
let bytes = 0;
const otherPaths = new Set();
let pending = [];
let decodingMs = 0;
const spans = { total: 0, byName: {}, leaks: [] };

createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (request.url === '/v1/traces') {
      exports += 1;
      const body = Buffer.concat(chunks);
      bytes += body.length;
      pending.push(body);
    } else otherPaths.add(request.url);
    // An empty ExportTraceServiceResponse is zero bytes of protobuf: every span accepted.
    response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
}).listen(0, '127.0.0.1', function () {
  process.send({ type: 'ready', port: this.address().port });
});

process.on('message', (message) => {
  if (message.type !== 'summary') return;
  // The CPU of receiving only: decoding (next) is the checks' work, after the load.
  const { user, system } = process.cpuUsage();
  const cpuMs = (user + system) / 1000 - decodingMs;
  const started = process.cpuUsage();
  for (const body of pending) tally(body);
  pending = [];
  const decoded = process.cpuUsage(started);
  decodingMs += (decoded.user + decoded.system) / 1000;
  process.send({ type: 'summary', exports, bytes, otherPaths: [...otherPaths], spans, cpuMs });
});
process.on('SIGTERM', () => process.exit(0));

/** The fields of one protobuf message: [field number, wire type, value] (a subarray for length-delimited ones). */
function* fieldsOf(buffer) {
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = buffer[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < buffer.length) {
    const key = varint();
    const [field, wire] = [Math.floor(key / 8), key & 7];
    if (wire === 0) yield [field, wire, varint()];
    else if (wire === 1) yield [field, wire, buffer.subarray(at, (at += 8))];
    else if (wire === 5) yield [field, wire, buffer.subarray(at, (at += 4))];
    else if (wire === 2) {
      const length = varint();
      yield [field, wire, buffer.subarray(at, (at += length))];
    } else throw new Error(`unexpected protobuf wire type ${wire}`);
  }
}

const URL_KEYS = new Set(['url.full', 'url.path', 'url.original', 'http.url', 'http.target']);
const JWT = /eyJ[\w-]+\.[\w-]*\./;

/** Checks one KeyValue (common.proto): no query string kept, nothing shaped like a token. */
function checkAttribute(keyValue, spanName) {
  let key = '';
  const strings = [];
  for (const [field, , value] of fieldsOf(keyValue)) {
    if (field === 1) key = value.toString('utf8');
    // AnyValue: 1 string_value, 5 array_value, 6 kvlist_value; decoded as text is enough to search them.
    if (field === 2) for (const [, wire, any] of fieldsOf(value)) if (wire === 2) strings.push(any.toString('utf8'));
  }
  const leak =
    key === 'url.query' || (URL_KEYS.has(key) && strings.some((text) => /[?#]/.test(text))) || strings.some((text) => JWT.test(text));
  if (leak && spans.leaks.length < 5) spans.leaks.push(`${spanName}: ${key}`);
}

/** ExportTraceServiceRequest (trace_service.proto) -> ResourceSpans (2: scope_spans) -> ScopeSpans (2: spans) -> Span. */
function tally(body) {
  for (const [field, , resourceSpans] of fieldsOf(body)) {
    if (field !== 1) continue;
    for (const [field, , scopeSpans] of fieldsOf(resourceSpans)) {
      if (field !== 2) continue;
      for (const [field, , span] of fieldsOf(scopeSpans)) if (field === 2) tallySpan(span);
    }
  }
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

function tallySpan(span) {
  let name = '';
  let kind = 0;
  const attributes = [];
  for (const [field, , value] of fieldsOf(span)) {
    if (field === 5) name = value.toString('utf8');
    else if (field === 6) kind = value;
    else if (field === 9) attributes.push(value);
  }
  for (const attribute of attributes) checkAttribute(attribute, name);
  const label = `${KINDS[kind] ?? kind} ${name}`;
  spans.total += 1;
  spans.byName[label] = (spans.byName[label] ?? 0) + 1;
}

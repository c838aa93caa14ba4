// Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof`): where the service's busy time
// went, by package (self and inclusive) and by function.
// usage: node bench/profile-summary.mjs <file.cpuprofile> [--window from-to] [--top n]
// --window: seconds since the profile started, as the bench prints them for each measurement.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { window: { type: 'string' }, top: { type: 'string', default: '25' } },
});
const [file] = positionals;
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [--window from-to] [--top n]\n');
  process.exit(2);
}
const top = Number(values.top);
const [from, to] = values.window ? values.window.split('-').map((s) => Number(s) * 1e6) : [0, Infinity];
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** The package a frame belongs to: node_modules/<pkg>, the service's own dist/<module>, node internals. */
function packageOf({ url, functionName }) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1];
  const dist = url.match(/\/dist\/([^/]+)/);
  if (dist) return `service:${dist[1]}`;
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

/** Coarse owners of CPU time, by package name. */
const CATEGORIES = [
  [/^@smithy\/|^@aws-sdk\/|^@aws-crypto\/|^fast-xml-parser$/, 'AWS SDK client'],
  [/^dynalite$|level|^lazy$|^big\.js$|^async$|^lock$|^buffer-crc32$/, 'embedded store (dynalite)'],
  // Before Fastify: @fastify/otel is tracing.
  [/^@opentelemetry\/|^@fastify\/otel$|^import-in-the-middle$|^require-in-the-middle$|^protobufjs$|^@protobufjs\//, 'OpenTelemetry'],
  [/^service:tracing$/, 'tracing (dist/tracing: scrubbing exporter)'],
  [/^fastify$|^@fastify\/|^find-my-way$|^avvio$|^light-my-request$|^fast-json-stringify|^process-warning$/, 'Fastify'],
  [/^@nestjs\/|^rxjs$|^class-validator$|^class-transformer$|^reflect-metadata$|^passport/, 'Nest (+ passport, validation)'],
  [/pino|^sonic-boom$|^thread-stream$/, 'logging (pino)'],
  [/^prom-client$|^tdigest$|^bintrees$/, 'metrics (prom-client)'],
  [/^jose$/, 'jose'],
  [/^@node-rs\//, 'argon2 binding'],
  [/^service:/, 'service code (dist)'],
];
const NODE = new Set(['node:internal', '(native)']);
const categoryOf = (pkg) => CATEGORIES.find(([pattern]) => pattern.test(pkg))?.[1] ?? pkg;

/** The first frame from the leaf up that is not Node's own: who asked for this time. */
function ownerOf(id) {
  for (let frame = id; frame !== undefined; frame = parent.get(frame)) {
    const pkg = packageOf(byId.get(frame).callFrame);
    if (!NODE.has(pkg) && pkg !== '(root)') return categoryOf(pkg);
  }
  return 'node core (no JS caller: sockets, timers)';
}

const owners = new Map();
const self = new Map();
const inclusive = new Map();
const functions = new Map();
let busy = 0;
let total = 0;
let at = 0; // microseconds since the profile started
profile.samples.forEach((id, index) => {
  at += profile.timeDeltas[index] ?? 0;
  if (at < from || at > to) return;
  const ms = (profile.timeDeltas[index] ?? 0) / 1000;
  total += ms;
  const node = byId.get(id);
  if (node.callFrame.functionName === '(idle)') return;
  busy += ms;
  const owner = ownerOf(id);
  owners.set(owner, (owners.get(owner) ?? 0) + ms);
  const pkg = packageOf(node.callFrame);
  self.set(pkg, (self.get(pkg) ?? 0) + ms);
  const { functionName, url, lineNumber } = node.callFrame;
  const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}`;
  functions.set(name, (functions.get(name) ?? 0) + ms);
  const seen = new Set();
  for (let frame = id; frame !== undefined; frame = parent.get(frame)) seen.add(packageOf(byId.get(frame).callFrame));
  for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
});

const pct = (ms) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
const list = (title, map, n) => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) process.stdout.write(`${pct(ms)}  ${name}\n`);
};
process.stdout.write(
  `${file}${values.window ? ` window ${values.window} s` : ''}\nbusy ${(busy / 1000).toFixed(1)} s of ${(total / 1000).toFixed(1)} s profiled (percentages are of busy time)\n`,
);
list("by owner (Node's own frames charged to their nearest JS caller)", owners, top);
list('self time by package', self, top);
list('inclusive time by package (a sample counts for every package on its stack)', inclusive, top);
list('self time by function', functions, top);

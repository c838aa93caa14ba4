// What tracing costs: instances of the service started for this scenario on the bench's store,
// one untraced (the reference: the "ceiling" columns) and one tracing every request (the SDK's
// defaults: every new trace sampled, BatchSpanProcessor, OTLP http/protobuf; W3C and X-Ray
// propagation as on AWS) to an OTLP sink the bench runs; refresh and login measured against both in
// alternating slices, each instance with its own token chains. A third instance records a tenth of
// its traces (informational: sampling is not how the target is met). The bench's first instance is
// not the reference: in embedded mode it serves the store from a thread of its own process, which
// costs it ~10% of its refresh rate against an identical instance that does not.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { chainedRequests } from '../lib/chain.mjs';
import { httpSide, measure } from '../lib/measure.mjs';
import { startOtlpSink } from '../lib/otlp-sink.mjs';
import { startService } from '../lib/service.mjs';
import { loginRequests } from './login.mjs';
import { checkRefreshes } from './refresh.mjs';

/** Of refresh (the issue's); login's row is informational. */
const TARGET = 0.95;
/** The OTEL_* variables of the traced instance: an endpoint turns tracing on, the rest is the SDK's defaults. */
const tracingEnv = (sinkUrl) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
  OTEL_PROPAGATORS: 'tracecontext,baggage,xray',
  // Dropped spans and failed exports are logged (and reported below); nothing is logged otherwise.
  OTEL_LOG_LEVEL: 'warn',
});
/** The informational sampled instance: a tenth of new traces recorded (and exported), the SDK's ratio sampler. */
const SAMPLED_RATIO = 0.1;
const SAMPLED_ENV = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(SAMPLED_RATIO) };
/** How long the spans of the last requests may take to arrive: the default batch delay is 5 s. */
const ARRIVAL_SECONDS = 15;

/**
 * The header an ALB adds to every request it forwards (a new root, no parent), on both
 * instances' requests: the traced one reads it through the X-Ray propagator.
 */
const albTraceHeader = (() => {
  const prefix = randomBytes(8).toString('hex');
  let next = 0;
  return () => {
    next = (next + 1) % 2 ** 32;
    return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${prefix}${next.toString(16).padStart(8, '0')}`;
  };
})();

/** Fresh single-use tokens of one instance, by logging in there (a few at a time). */
function tokenPool(service, user) {
  const tokens = [];
  const pool = { tokens, logins: 0 };
  pool.topUp = async (size) => {
    while (tokens.length < size) {
      const batch = Math.min(8, size - tokens.length);
      pool.logins += batch;
      tokens.push(...(await Promise.all(Array.from({ length: batch }, () => service.login(user.domain, user.username, user.password)))));
    }
  };
  return pool;
}

/** Counts every answer `requests` get (whatever their status), in `counter.answers`. */
function counted(requests, counter) {
  return requests.map((request) => ({
    ...request,
    onResponse(...args) {
      counter.answers += 1;
      return request.onResponse(...args);
    },
  }));
}

function refreshSide(service, pool, issued, problems, connections) {
  const counter = { answers: 0 };
  const requests = chainedRequests(pool.tokens, {
    path: { method: 'GET', url: '/refresh' },
    build: (request, token) => ({
      ...request,
      headers: { ...request.headers, authorization: `Bearer ${token}`, 'x-amzn-trace-id': albTraceHeader() },
    }),
    tokenOf: (body) => body.token,
    onToken: (body, presented) => issued.push([body.token, presented]),
    problems,
  });
  const side = httpSide({
    url: service.publicUrl,
    connections,
    requests: counted(requests, counter),
    before: () => pool.topUp(2 * connections),
    servicePid: service.pid,
  });
  return { side, counter };
}

function loginSide(ctx, service, tokens, problems) {
  const counter = { answers: 0 };
  const requests = loginRequests(ctx, tokens, problems).map((request) => ({
    ...request,
    setupRequest: (built) => ({ ...built, headers: { ...built.headers, 'x-amzn-trace-id': albTraceHeader() } }),
  }));
  const side = httpSide({
    url: service.publicUrl,
    connections: ctx.connections,
    requests: counted(requests, counter),
    servicePid: service.pid,
  });
  return { side, counter };
}

/**
 * What tracing added per request, in CPU ms: on the service's event loop, in the service process
 * (its other threads too: GC, libuv), in all (the services, the store, the sink), and the sink's.
 */
function tracingCost(traced, untraced, sinkCpuMs, tracedRequests) {
  const round = (value) => Math.round(value * 1000) / 1000;
  const added = (part) => {
    const [a, b] = [traced.costByPart?.[part], untraced.costByPart?.[part]];
    return a !== undefined && b !== undefined ? round(a - b) : undefined;
  };
  return {
    eventLoopMsPerRequest: added('serviceMainThread'),
    processMsPerRequest: added('service'),
    cpuMsPerRequest: traced.costMs && untraced.costMs ? round(traced.costMs - untraced.costMs) : undefined,
    sinkMsPerRequest: tracedRequests > 0 ? round(sinkCpuMs / tracedRequests) : undefined,
  };
}

async function refreshRows(ctx, { untraced, traced, sampled }) {
  const { checker, connections, user } = ctx;
  const problems = [];
  const instances = { untraced: untraced.service, traced: traced.service, sampled: sampled.service };
  const pools = Object.fromEntries(Object.entries(instances).map(([name, instance]) => [name, tokenPool(instance, user)]));
  const issued = { untraced: [], traced: [], sampled: [] };
  const sides = Object.fromEntries(
    Object.entries(instances).map(([name, instance]) => [name, refreshSide(instance, pools[name], issued[name], problems, connections)]),
  );
  await Promise.all(Object.values(pools).map((pool) => pool.topUp(2 * connections)));
  const sinksBefore = await Promise.all([traced.sink.summary(), sampled.sink.summary()]);
  const measured = await measure(Object.fromEntries(Object.entries(sides).map(([name, { side }]) => [name, side])), ctx.measureOptions);
  const sinksAfter = await Promise.all([traced.sink.summary(), sampled.sink.summary()]);

  const checked = {};
  for (const [name, instance] of Object.entries(instances))
    checked[name] = await checkRefreshes(checker, issued[name], instance.publicUrl, problems);
  // One store: a token the traced instance consumed is refused by the bench's first instance too.
  const elsewhere =
    issued.traced.length > 0 &&
    (await fetch(`${ctx.service.publicUrl}/refresh`, { headers: { authorization: `Bearer ${issued.traced.at(-1)[1]}` } }));
  if (elsewhere && elsewhere.status !== 401)
    problems.push(`a token consumed by the traced instance refreshed on the other (${elsewhere.status})`);
  const reference = { ...measured.untraced, what: 'GET /refresh on an identical instance untraced (same store, alternating slices)' };
  const costOf = (name, index) =>
    tracingCost(measured[name], measured.untraced, sinksAfter[index].cpuMs - sinksBefore[index].cpuMs, sides[name].counter.answers);
  const tracedRow = {
    scenario: 'refresh (traced)',
    service: measured.traced,
    ceiling: reference,
    target: TARGET,
    tracingCost: costOf('traced', 0),
    checks: {
      tokensVerified: Object.values(checked).reduce((total, { verified }) => total + verified.checked, 0),
      singleUse: checked.traced.reused ? checked.traced.reused.status : 'not run',
      consumedElsewhere: elsewhere ? elsewhere.status : 'not run',
    },
    answers: sides.traced.counter.answers,
    logins: pools.traced.logins,
    problems,
  };
  // Not a target: what the same tracing costs when a tenth of the new traces are recorded.
  const sampledRow = {
    scenario: `refresh (traced, ${SAMPLED_RATIO * 100}% sampled)`,
    service: measured.sampled,
    ceiling: reference,
    tracingCost: costOf('sampled', 1),
    checks: { singleUse: checked.sampled.reused ? checked.sampled.reused.status : 'not run' },
    answers: sides.sampled.counter.answers,
    logins: pools.sampled.logins,
    problems: [...problems],
  };
  return [tracedRow, sampledRow];
}

async function loginRows(ctx, { untraced, traced }) {
  const problems = [];
  const tokens = { untraced: [], traced: [] };
  const sides = {
    untraced: loginSide(ctx, untraced.service, tokens.untraced, problems),
    traced: loginSide(ctx, traced.service, tokens.traced, problems),
  };
  const { sink } = traced;
  const sinkBefore = await sink.summary();
  const measured = await measure({ untraced: sides.untraced.side, traced: sides.traced.side }, ctx.measureOptions);
  const sinkAfter = await sink.summary();
  const verified = await ctx.checker.verifyAll([...tokens.untraced, ...tokens.traced]);
  if (verified.failures > 0)
    problems.push(`${verified.failures}/${verified.checked} login tokens fail to verify: ${verified.firstFailure}`);
  return {
    scenario: 'login (traced)',
    service: measured.traced,
    ceiling: { ...measured.untraced, what: 'POST /login on an identical instance untraced (same store, alternating slices)' },
    tracingCost: tracingCost(measured.traced, measured.untraced, sinkAfter.cpuMs - sinkBefore.cpuMs, sides.traced.counter.answers),
    checks: { tokensVerified: verified.checked },
    answers: sides.traced.counter.answers,
    problems,
  };
}

/** The OpenTelemetry SDK's own lines (OTEL_LOG_LEVEL=warn: dropped spans, failed exports), which are plain text; the service's are JSON. */
function sdkSaid(service) {
  const lines = service
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('{'));
  return lines.length > 0 ? [`the OpenTelemetry SDK of ${service.publicUrl} said:\n${lines.join('\n').slice(0, 2000)}`] : [];
}

/** Asks `sink` until `done(summary)` or ARRIVAL_SECONDS: the last batch leaves up to 5 s after the load. */
async function arrived(sink, done) {
  let summary = await sink.summary();
  for (let waited = 0; !done(summary) && waited < ARRIVAL_SECONDS * 2; waited += 1) {
    await sleep(500);
    summary = await sink.summary();
  }
  return summary;
}

function exportProblems(summary) {
  const problems = [];
  if (summary.exports === 0) problems.push('no span export reached the OTLP sink');
  if (summary.spans.leaks.length > 0) problems.push(`attributes with a query string or a token: ${summary.spans.leaks.join(', ')}`);
  if (summary.otherPaths.length > 0) problems.push(`the sink got requests outside /v1/traces: ${summary.otherPaths.join(', ')}`);
  return problems;
}

/**
 * After the load: every answer the traced instance gave has its server span at the sink, with the
 * spans below it; nothing query- or token-shaped in any attribute; no export failed or was dropped.
 */
async function checkSpans({ service, sink }, refreshRow, loginRow) {
  const logins = loginRow.answers + refreshRow.logins;
  const expected = {
    'server GET /refresh': refreshRow.answers,
    'client DynamoDB.UpdateItem': refreshRow.answers,
    'server POST /login': logins,
    'internal argon2id verify': logins,
    'internal jwt sign': refreshRow.answers + logins,
  };
  const short = (summary) => Object.entries(expected).filter(([name, count]) => (summary.spans.byName[name] ?? 0) < count);
  const summary = await arrived(sink, (received) => short(received).length === 0);
  const problems = exportProblems(summary);
  for (const [name, count] of short(summary))
    problems.push(`${summary.spans.byName[name] ?? 0} "${name}" spans at the sink for ${count} answers`);
  problems.push(...sdkSaid(service));
  const requests = refreshRow.answers + logins;
  return {
    exports: summary.exports,
    exportedBytes: summary.bytes,
    spans: summary.spans.total,
    spansPerRequest: requests > 0 ? Math.round((summary.spans.total / requests) * 100) / 100 : undefined,
    byName: summary.spans.byName,
    problems,
  };
}

/** The sampled instance records about a tenth of its requests: some, and far from all. */
async function checkSampled({ service, sink }, row) {
  const recorded = (summary) => summary.spans.byName['server GET /refresh'] ?? 0;
  const lowest = Math.floor(row.answers * SAMPLED_RATIO * 0.5);
  const summary = await arrived(sink, (received) => recorded(received) >= lowest);
  const problems = exportProblems(summary);
  const share = row.answers > 0 ? recorded(summary) / row.answers : 0;
  if (row.answers >= 1000 && !(share >= SAMPLED_RATIO * 0.5 && share <= SAMPLED_RATIO * 2))
    problems.push(`${recorded(summary)} refreshes of ${row.answers} recorded: not about ${SAMPLED_RATIO * 100}%`);
  problems.push(...sdkSaid(service));
  return { exports: summary.exports, spans: summary.spans.total, recordedShare: Math.round(share * 1000) / 1000, problems };
}

/**
 * An instance of the service on the bench's store, issuing the first instance's tokens (as behind
 * one load balancer); `tracing` (OTEL_* variables) turns tracing on, to an OTLP sink of its own.
 */
async function startInstance(ctx, tracing) {
  const sink = tracing && (await startOtlpSink());
  if (sink) ctx.cleanups?.unshift(sink.stop);
  const service = await startService(ctx.serviceDir, ctx.store.env, {
    profileDir: ctx.profileDir,
    env: sink ? { ...tracingEnv(sink.url), ...tracing } : {},
    issuerUrl: ctx.service.publicUrl,
  }).catch(async (error) => {
    await sink?.stop();
    throw error;
  });
  ctx.cleanups?.unshift(service.stop);
  return {
    service,
    sink,
    async stop() {
      await service.stop(); // flushes its last spans to the sink first
      await sink?.stop();
    },
  };
}

export async function tracing(ctx) {
  const started = [];
  const start = async (tracing) => {
    const instance = await startInstance(ctx, tracing);
    started.push(instance);
    return instance;
  };
  try {
    const instances = { untraced: await start(undefined), traced: await start({}), sampled: await start(SAMPLED_ENV) };
    const [refreshRow, sampledRow] = await refreshRows(ctx, instances);
    const loginRow = await loginRows(ctx, instances);
    const spans = await checkSpans(instances.traced, refreshRow, loginRow);
    for (const row of [refreshRow, loginRow]) {
      row.spans = { ...spans, problems: undefined };
      row.problems.push(...spans.problems);
    }
    const sampledSpans = await checkSampled(instances.sampled, sampledRow);
    sampledRow.spans = { ...sampledSpans, problems: undefined };
    sampledRow.problems.push(...sampledSpans.problems);
    // Each side ran on an instance of its own: its windows are in that instance's profile (--cpu-prof).
    const profileOf = ({ service }) => ({ spawnedAt: service.spawnedAt, pid: service.pid });
    refreshRow.profiles = { load: profileOf(instances.traced), ceiling: profileOf(instances.untraced) };
    loginRow.profiles = refreshRow.profiles;
    sampledRow.profiles = { load: profileOf(instances.sampled), ceiling: profileOf(instances.untraced) };
    return [refreshRow, sampledRow, loginRow];
  } finally {
    for (const instance of started) await instance.stop();
  }
}

// Tracing, end to end: the built service, started as the container starts it, exports its spans
// over OTLP/HTTP (JSON) to a receiver the test runs, and the spans are read back: their names, their
// tree, the trace context they continue, their status, and that nothing secret is in them. With
// no OTEL_* variable (or OTEL_SDK_DISABLED=true), nothing is exported and no tracing code loads.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { randomSecret } from '../../src/common/secrets.js';
import { startAwsCallRecorder, type AwsCallRecorder } from '../harness/aws-call-recorder.js';
import { eventually } from '../harness/eventually.js';
import { uniqueName } from '../harness/factories.js';
import { CLIENT, SERVER, STATUS_ERROR, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../harness/otlp-receiver.js';
import { freePort, ROOT, runBuilt, runCli, startService, type ServiceProcess } from '../harness/processes.js';
import { awsTestEnv, STORES, type StoreKind } from '../harness/test-app.js';

// A developer's shell may export OTEL_* variables: the services here get only the ones a test names.
for (const key of Object.keys(process.env)) if (key.startsWith('OTEL_')) delete process.env[key];

const secret = (label: string) => `${label}-${randomSecret(12)}`;
const AWS_SDK = '@opentelemetry/instrumentation-aws-sdk';
const FASTIFY = '@fastify/otel';

/** Exports to `receiver` with the shortest batch delay the suite can wait for. */
const tracingTo = (receiver: OtlpReceiver, extra: Record<string, string> = {}) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_BSP_SCHEDULE_DELAY: '100',
  ...extra,
});

/** The store's variables; on AWS every SDK request goes through `recorder` (which counts them, and can fail them). */
async function storeEnv(store: StoreKind, dataDir: string, recorder?: AwsCallRecorder): Promise<Record<string, string>> {
  if (store === 'embedded') return { STORE: 'embedded', DATA_DIR: dataDir, EMBEDDED_STORE_PORT: String(await freePort()) };
  return { ...awsTestEnv(), ...(recorder && { AWS_ENDPOINT_URL: recorder.url }) };
}

/** Calls the service's public API with JSON. */
function caller(service: ServiceProcess) {
  return async (path: string, { json, ...init }: RequestInit & { json?: unknown } = {}) => {
    const response = await fetch(`${service.publicUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
      body: json === undefined ? init.body : JSON.stringify(json),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, string> | undefined };
  };
}

/** A span tree to walk: parents, children, the trace of a span. */
function treeOf(spans: ReceivedSpan[]) {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const childrenOf = (span: ReceivedSpan) => spans.filter((each) => each.parentSpanId === span.spanId);
  return {
    parentOf: (span: ReceivedSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined),
    childrenOf,
    /** Everything below `span`, at any depth. */
    below: (span: ReceivedSpan): ReceivedSpan[] => childrenOf(span).flatMap((child) => [child, ...treeOf(spans).below(child)]),
    server: (name: string, status: number) =>
      spans.find((span) => span.kind === SERVER && span.name === name && span.attributes['http.response.status_code'] === status),
  };
}

const byOperation = (operations: string[]) => [...operations].sort();

describe.each(STORES)('tracing of the built service (%s store)', (store) => {
  const adminToken = secret('admin-token-that-is-long-enough');
  const passwords = { created: secret('password'), wrong: secret('wrong-password') };
  const cookie = secret('cookie');
  const inQuery = secret('query-token');
  const inBrokenBody = secret('broken-body-password');
  const requestId = `trace-test-${randomSecret(6).replace(/[^A-Za-z0-9]/g, 'x')}`;
  /** A caller's W3C trace context, and an ALB's X-Ray one. */
  const w3c = { traceId: randomBytes(16).toString('hex'), parentId: randomBytes(8).toString('hex') };
  const xray = {
    time: Math.floor(Date.now() / 1000).toString(16),
    random: randomBytes(12).toString('hex'),
    parentId: randomBytes(8).toString('hex'),
  };
  const leaked: string[] = [adminToken, ...Object.values(passwords), cookie, inQuery, inBrokenBody];

  let receiver: OtlpReceiver;
  let recorder: AwsCallRecorder | undefined;
  let service: ServiceProcess;
  let dataDir: string;
  let domain: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    if (store === 'aws') recorder = await startAwsCallRecorder(awsTestEnv().AWS_ENDPOINT_URL);
    dataDir = await mkdtemp(join(tmpdir(), 'auth-service-tracing-'));
    service = await startService({
      ...(await storeEnv(store, dataDir, recorder)),
      ...tracingTo(receiver, { OTEL_PROPAGATORS: 'tracecontext,baggage,xray' }),
      ADMIN_TOKEN: adminToken,
      LOG_FORMAT: 'json',
    });
    const call = caller(service);
    const admin = { authorization: `Bearer ${adminToken}` };
    domain = uniqueName();
    const username = uniqueName('user');

    expect((await call('/admin/domains', { method: 'POST', headers: admin, json: { name: domain } })).status).toBe(201);
    const user = { username, password: passwords.created };
    expect((await call(`/admin/domains/${domain}/users`, { method: 'POST', headers: admin, json: user })).status).toBe(201);
    const login = await call('/login', {
      method: 'POST',
      headers: { 'x-request-id': requestId, cookie: `session=${cookie}` },
      json: { domain, username, password: passwords.created },
    });
    expect(login.status).toBe(200);
    const token = login.body!.token;
    const traceparent = `00-${w3c.traceId}-${w3c.parentId}-01`;
    const refreshed = await call('/refresh', { headers: { authorization: `Bearer ${token}`, traceparent } });
    expect(refreshed.status).toBe(200);
    // The used-up token again, with a secret in the query: a 401, and a URL whose query must not be exported.
    expect((await call(`/refresh?refresh_token=${inQuery}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await call('/login', { method: 'POST', json: { domain, username, password: passwords.wrong } })).status).toBe(400);
    expect((await call('/login', { method: 'POST', body: `{"domain":"${domain}","password":"${inBrokenBody}"` })).status).toBe(400);
    const amznTraceId = `Root=1-${xray.time}-${xray.random};Parent=${xray.parentId};Sampled=1`;
    expect((await call('/health/ready', { headers: { 'x-amzn-trace-id': amznTraceId } })).status).toBe(200);

    const newToken = refreshed.body!.token;
    for (const jwt of [token, newToken]) leaked.push(jwt, jwt.split('.')[2], String(decodeJwt(jwt).refresh_token));
    // The last request's server span has arrived, and with it every span that ended before (the batch goes out every 100 ms).
    const arrived = async () => treeOf(receiver.spans()).server('GET /health/ready', 200) !== undefined;
    expect(await eventually(arrived, true)).toBe(true);
  });
  afterAll(async () => {
    await service?.stop();
    await receiver?.close();
    await recorder?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('names each server span after its route pattern, never after the URL', () => {
    const names = receiver
      .spans()
      .filter((span) => span.kind === SERVER)
      .map((span) => span.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /admin/domains',
        'POST /admin/domains/:domain/users',
        'POST /login',
        'GET /refresh',
        'GET /health/ready',
      ]),
    );
    expect(names.filter((name) => name.includes(domain) || name.includes('?'))).toEqual([]);
    const user = treeOf(receiver.spans()).server('POST /admin/domains/:domain/users', 201)!;
    expect(user.attributes).toMatchObject({ 'http.route': '/admin/domains/:domain/users', 'url.path': `/admin/domains/${domain}/users` });
  });

  it('keeps query strings out: no url.query, no URL attribute with a ?', () => {
    const urls = receiver.spans().flatMap((span) => ['url.path', 'url.full', 'http.target', 'http.url'].map((key) => span.attributes[key]));
    expect(urls.filter((url) => String(url).includes('?'))).toEqual([]);
    expect(receiver.spans().filter((span) => 'url.query' in span.attributes)).toEqual([]);
    const usedUp = treeOf(receiver.spans()).server('GET /refresh', 401)!;
    expect(usedUp.attributes['url.path']).toBe('/refresh');
  });

  it("puts the login's store calls, password check and token signature under its server span (through Fastify's request span)", () => {
    const tree = treeOf(receiver.spans());
    const login = tree.server('POST /login', 200)!;
    const [request, ...others] = tree.childrenOf(login);
    expect({ name: request.name, scope: request.scope, others }).toEqual({ name: 'request', scope: FASTIFY, others: [] });
    const work = tree.childrenOf(request);
    expect(work.map((span) => span.name)).toEqual(expect.arrayContaining(['DynamoDB.GetItem', 'argon2id verify', 'jwt sign']));
    expect(work.filter((span) => span.scope === AWS_SDK).map((span) => span.attributes['db.namespace'])).toEqual(
      expect.arrayContaining([expect.stringMatching(/users$/), expect.stringMatching(/sessions$/)]),
    );
    expect(tree.below(login)).toHaveLength(work.length + 1);
  });

  it('does the same for a refresh (its session write and signature) and a user creation (its password hash)', () => {
    const tree = treeOf(receiver.spans());
    const refresh = tree.server('GET /refresh', 200)!;
    const refreshWork = tree.childrenOf(tree.childrenOf(refresh)[0]);
    expect(refreshWork.map((span) => span.name)).toEqual(expect.arrayContaining(['DynamoDB.UpdateItem', 'jwt sign']));
    const creation = tree.server('POST /admin/domains/:domain/users', 201)!;
    expect(tree.below(creation).map((span) => span.name)).toEqual(expect.arrayContaining(['argon2id hash', 'DynamoDB.PutItem']));
  });

  it('makes one span per SDK call (none per HTTP attempt), each a leaf', async () => {
    const spans = receiver.spans();
    const sdkSpans = spans.filter((span) => span.scope === AWS_SDK);
    expect(sdkSpans.length).toBeGreaterThan(0);
    expect(sdkSpans.every((span) => span.kind === CLIENT)).toBe(true);
    expect(sdkSpans.flatMap((span) => treeOf(spans).childrenOf(span))).toEqual([]);
    expect(spans.filter((span) => span.kind === CLIENT && span.scope !== AWS_SDK)).toEqual([]);
    if (recorder) {
      // On AWS, the calls the emulator saw (an SDK call is one invocation id, whatever its attempts) are the spans.
      const calls = () => byOperation(recorder!.calls().map((call) => call.operation));
      const traced = () =>
        byOperation(
          receiver
            .spans()
            .filter((span) => span.scope === AWS_SDK)
            .map((span) => String(span.attributes['rpc.method'])),
        );
      expect(await eventually(async () => traced().join() === calls().join(), true)).toBe(true);
      expect(traced()).toEqual(expect.arrayContaining(['GetItem', 'PutItem', 'UpdateItem', 'GetSecretValue']));
    }
  });

  it("continues a caller's W3C trace, and an ALB's X-Ray trace; new traces get X-Ray ids", () => {
    const tree = treeOf(receiver.spans());
    const refresh = tree.server('GET /refresh', 200)!;
    expect({ traceId: refresh.traceId, parentSpanId: refresh.parentSpanId }).toEqual({ traceId: w3c.traceId, parentSpanId: w3c.parentId });
    const ready = tree.server('GET /health/ready', 200)!;
    expect({ traceId: ready.traceId, parentSpanId: ready.parentSpanId }).toEqual({
      traceId: xray.time + xray.random,
      parentSpanId: xray.parentId,
    });
    // X-Ray indexes traces by the time in their first 32 bits.
    const started = parseInt(tree.server('POST /login', 200)!.traceId.slice(0, 8), 16);
    expect(Math.abs(started - Date.now() / 1000)).toBeLessThan(600);
  });

  it('leaves a 4xx server span without error status (the client erred, not the service)', () => {
    const tree = treeOf(receiver.spans());
    const refused = [tree.server('GET /refresh', 401), tree.server('POST /login', 400)];
    expect(refused.map((span) => span?.status)).toEqual([0, 0]);
  });

  it('exports no password, token, refresh credential, admin token, cookie or query value, anywhere', () => {
    const exported = receiver.bodies().join('\n');
    expect(leaked.filter((value) => exported.includes(value))).toEqual([]);
    expect(receiver.paths().every((path) => path === '/v1/traces')).toBe(true); // traces only: no metrics, no log records
  });

  it("writes the trace and span ids on the request's log lines, beside its request id", () => {
    const login = treeOf(receiver.spans()).server('POST /login', 200)!;
    const lines = service
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = lines.find((line) => line.reqId === requestId && line.msg === 'request completed');
    expect(completed).toMatchObject({ trace_id: login.traceId, span_id: login.spanId });
  });
});

describe('tracing of a request the store fails (aws store), exported at shutdown', () => {
  let receiver: OtlpReceiver;
  let recorder: AwsCallRecorder;
  let service: ServiceProcess;
  let exitCode: number | null;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    recorder = await startAwsCallRecorder(awsTestEnv().AWS_ENDPOINT_URL);
    const adminToken = secret('admin-token-that-is-long-enough');
    // A batch delay no test waits for: the spans can only arrive by the flush on SIGTERM.
    const tracing = tracingTo(receiver, { OTEL_BSP_SCHEDULE_DELAY: '600000' });
    service = await startService({ ...(await storeEnv('aws', '', recorder)), ...tracing, ADMIN_TOKEN: adminToken });
    const call = caller(service);
    const domain = uniqueName();
    const admin = { authorization: `Bearer ${adminToken}` };
    expect((await call('/admin/domains', { method: 'POST', headers: admin, json: { name: domain } })).status).toBe(201);
    recorder.fail();
    const login = await call('/login', { method: 'POST', json: { domain, username: 'alice', password: secret('password') } });
    recorder.recover();
    expect(login).toEqual({ status: 503, body: expect.objectContaining({ code: 'store_unavailable' }) });
    expect(receiver.spans()).toEqual([]);
    exitCode = await service.stop();
  });
  afterAll(async () => {
    await service?.stop();
    await receiver?.close();
    await recorder?.close();
  });

  it('sends the spans still batched before the process exits (0)', () => {
    expect(exitCode).toBe(0);
    expect(treeOf(receiver.spans()).server('POST /admin/domains', 201)).toBeDefined();
  });

  it('marks the 503 server span and the failed SDK call as errors: one span for the call, however many attempts', () => {
    const tree = treeOf(receiver.spans());
    const login = tree.server('POST /login', 503)!;
    expect(login.status).toBe(STATUS_ERROR);
    const failed = tree.below(login).filter((span) => span.scope === AWS_SDK && span.status === STATUS_ERROR);
    expect(failed).toHaveLength(1); // the first call the store failed ended the request
    const attempts = recorder.attempts().filter((attempt) => attempt.operation === failed[0].attributes['rpc.method']);
    expect(new Set(attempts.map((attempt) => attempt.invocationId)).size).toBeLessThan(attempts.length); // it was retried
  });

  it('gives new traces random W3C ids when xray is not among the propagators', () => {
    const login = treeOf(receiver.spans()).server('POST /login', 503)!;
    expect(Math.abs(parseInt(login.traceId.slice(0, 8), 16) - Date.now() / 1000)).toBeGreaterThan(3600);
  });
});

describe('tracing of the CLI, as the rotate-keys job runs it (aws store)', () => {
  let receiver: OtlpReceiver;
  let env: Record<string, string>;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // The tables made beforehand, as in a deployment: the commands' own calls are then all there is.
    env = { ...awsTestEnv(), CREATE_TABLES: 'false' };
    expect(await runCli(['tables', 'create'], env)).toMatchObject({ code: 0 });
  });
  afterAll(() => receiver?.close());

  /** The job's command line: `node --import ./dist/tracing/register-tracing.js dist/cli/main.js ...`. */
  const tracedCli = (args: string[]) =>
    runBuilt('cli/main.js', args, { ...env, ...tracingTo(receiver) }, '', { nodeArgs: ['--import', './dist/tracing/register-tracing.js'] });

  it('makes one span per command with its store calls below it, all exported before the process exits', async () => {
    const domain = uniqueName();
    expect(await tracedCli(['domain', 'create', domain])).toMatchObject({ code: 0 });
    expect(await tracedCli(['rotate', '--due'])).toMatchObject({ code: 0 });
    // No waiting: what the process sent before it exited is all there is.
    const spans = receiver.spans();
    const tree = treeOf(spans);
    for (const [name, operations] of [
      ['cli domain create', ['CreateSecret', 'PutItem']],
      ['cli rotate', ['Scan']],
    ] as const) {
      const command = spans.find((span) => span.name === name);
      expect({ name, parent: command?.parentSpanId }).toEqual({ name, parent: undefined });
      const calls = tree
        .below(command!)
        .filter((span) => span.scope === AWS_SDK)
        .map((span) => String(span.attributes['rpc.method']));
      expect(calls).toEqual(expect.arrayContaining([...operations]));
    }
    expect(spans.filter((span) => span.scope === AWS_SDK && !span.parentSpanId)).toEqual([]);
  });
});

describe('tracing off', () => {
  /** Modules whose loading means tracing was set up: the SDK, instrumentations, loader hooks (the API alone is a no-op). */
  const TRACING_CODE =
    /node_modules\/(@opentelemetry\/(?!api\/)|@fastify\/otel\/|import-in-the-middle\/|require-in-the-middle\/)|dist\/tracing\/start-tracing\.js/;
  let receiver: OtlpReceiver;
  let dataDir: string;
  const runs = new Map<string, { output: string; modules: string[] }>();

  /** A service with `env`, used for a login and stopped: its output and every module it loaded. */
  async function run(name: string, env: Record<string, string>): Promise<void> {
    const modulesFile = join(dataDir, `${name}-modules.txt`);
    const adminToken = secret('admin-token-that-is-long-enough');
    const service = await startService({
      ...(await storeEnv('embedded', join(dataDir, name))),
      ...env,
      ADMIN_TOKEN: adminToken,
      LOG_FORMAT: 'json',
      NODE_OPTIONS: `--import=${join(ROOT, 'test', 'harness', 'loaded-modules.mjs')}`,
      LOADED_MODULES_FILE: modulesFile,
    });
    const call = caller(service);
    const admin = { authorization: `Bearer ${adminToken}` };
    const [domain, username, password] = [uniqueName(), uniqueName('user'), secret('password')];
    expect((await call('/admin/domains', { method: 'POST', headers: admin, json: { name: domain } })).status).toBe(201);
    expect((await call(`/admin/domains/${domain}/users`, { method: 'POST', headers: admin, json: { username, password } })).status).toBe(
      201,
    );
    expect((await call('/login', { method: 'POST', json: { domain, username, password } })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300)); // three batch delays: time enough to export, were anything on
    expect(await service.stop()).toBe(0);
    runs.set(name, { output: service.output(), modules: (await readFile(modulesFile, 'utf8')).split('\n') });
  }

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    dataDir = await mkdtemp(join(tmpdir(), 'auth-service-tracing-off-'));
    await Promise.all([
      run('unset', {}),
      run('disabled', tracingTo(receiver, { OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })),
    ]);
  });
  afterAll(async () => {
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(['unset', 'disabled'])('loads no tracing code (OTEL_* %s)', (name) => {
    const { modules, output } = runs.get(name)!;
    expect(modules).toEqual(expect.arrayContaining([expect.stringContaining('/node_modules/fastify/')])); // the list is real
    expect(modules.filter((url) => TRACING_CODE.test(url))).toEqual([]);
    expect(output).not.toContain('"context":"Tracing"');
  });

  it('exports nothing with OTEL_SDK_DISABLED=true, even with an endpoint and an exporter named', () => {
    expect(receiver.bodies()).toEqual([]);
  });
});

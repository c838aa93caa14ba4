import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import { PASSWORD, uniqueName } from '../harness/factories.js';
import { freePort, runCli, startService, type ServiceProcess } from '../harness/processes.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';
import { awsTestEnv } from '../harness/test-app.js';

const LOGINS = 40;
const CHECKS = 10;

interface Outcome {
  status?: number;
  connection?: string;
  /** The error code of a request that got no response (ECONNREFUSED, ECONNRESET, ...). */
  error?: string;
  at: number;
}

/** One HTTP request over `agent`; never rejects: what happened is in the outcome. */
function send(url: string, agent: Agent, body?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const failed = (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, at: Date.now() });
    const sent = request(url, { method: body === undefined ? 'GET' : 'POST', agent, headers }, (response) => {
      response.resume();
      response.on('error', failed);
      response.on('end', () => resolve({ status: response.statusCode, connection: response.headers.connection, at: Date.now() }));
    });
    sent.on('error', failed);
    sent.end(body);
  });
}

/**
 * A request whose head is sent now, without its final line break, and the rest on `finish()`: the
 * service has a connection with a request under way, which it must wait for when it drains.
 */
async function startRequest(url: string, head: string, rest: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  const ended = new Promise<string | undefined>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    socket.on('close', () => resolve(undefined));
  });
  socket.write(`${head}Host: ${hostname}\r\n`);
  return {
    async finish(): Promise<Outcome> {
      socket.write(rest);
      const error = await ended;
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(received)?.[1];
      const connection = /\r\nconnection: *(\S+)\r\n/i.exec(received)?.[1];
      return { status: status ? Number(status) : undefined, connection: connection?.toLowerCase(), error, at: Date.now() };
    },
  };
}

const openSockets = (agent: Agent) => Object.values(agent.freeSockets).reduce((sum, sockets) => sum + (sockets?.length ?? 0), 0);

/**
 * The built service, started as the container starts it, gets SIGTERM while it serves a burst of
 * logins (public port) and session checks (internal port) over kept-alive connections. Every one
 * must be answered 200 (or, had it come too late, refused at connect time): never cut or answered
 * 5xx. So must a request on each port that was only half sent at SIGTERM and completes after the
 * burst: the internal one reads the store, which must still be open. Then the process exits 0,
 * promptly, though clients still hold idle connections to it.
 */
describe.each(['embedded', 'aws'] as const)('graceful shutdown on SIGTERM (%s store)', (store) => {
  let service: ServiceProcess | undefined;
  let proxy: TcpProxy | undefined;
  let dataDir: string;
  const agents = {
    public: new Agent({ keepAlive: true, maxSockets: LOGINS }),
    internal: new Agent({ keepAlive: true, maxSockets: CHECKS }),
    idle: new Agent({ keepAlive: true }),
  };

  afterAll(async () => {
    await service?.stop('SIGKILL');
    for (const agent of Object.values(agents)) agent.destroy();
    await proxy?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes the requests in flight on both ports, closes both listeners and exits 0', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-service-shutdown-'));
    let cliEnv: Record<string, string>;
    let serviceEnv: Record<string, string>;
    if (store === 'embedded') {
      cliEnv = serviceEnv = { STORE: 'embedded', DATA_DIR: dataDir, EMBEDDED_STORE_PORT: String(await freePort()) };
    } else {
      cliEnv = { ...awsTestEnv(), CREATE_TABLES: 'false' };
      expect(await runCli(['tables', 'create'], cliEnv)).toMatchObject({ code: 0 });
      // Every store round trip of the service takes 200 ms or more: internal requests stay in flight too.
      proxy = await startTcpProxy(cliEnv.AWS_ENDPOINT_URL, { delayMs: 200 });
      serviceEnv = { ...cliEnv, AWS_ENDPOINT_URL: proxy.url };
    }
    // With the embedded store the CLI finds the service's store, so the service starts first.
    if (store === 'embedded') service = await startService({ ...serviceEnv, LOG_LEVEL: 'info' });
    const [domain, username] = [uniqueName(), uniqueName('user')];
    expect(await runCli(['domain', 'create', domain], cliEnv)).toMatchObject({ code: 0 });
    expect(await runCli(['user', 'create', domain, username], cliEnv, `${PASSWORD}\n`)).toMatchObject({ code: 0 });
    service ??= await startService({ ...serviceEnv, LOG_LEVEL: 'info' });
    const { publicUrl, internalUrl } = service;

    const credentials = JSON.stringify({ domain, username, password: PASSWORD });
    const first = await fetch(`${publicUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: credentials });
    expect(first.status).toBe(200);
    const { session } = decodeJwt(((await first.json()) as { token: string }).token) as { session: string };

    // Open the connections first, so that the burst below is written to sockets the service has
    // already accepted; plus one connection on each port that stays idle throughout.
    await Promise.all(Array.from({ length: LOGINS }, () => send(`${publicUrl}/health/live`, agents.public)));
    await Promise.all(Array.from({ length: CHECKS }, () => send(`${internalUrl}/health/live`, agents.internal)));
    await send(`${publicUrl}/health/live`, agents.idle);
    await send(`${internalUrl}/health/live`, agents.idle);
    expect([openSockets(agents.public), openSockets(agents.internal), openSockets(agents.idle)]).toEqual([LOGINS, CHECKS, 2]);

    const logins = Array.from({ length: LOGINS }, () => send(`${publicUrl}/login`, agents.public, credentials));
    const checks = Array.from({ length: CHECKS }, () => send(`${internalUrl}/sessions/${session}/valid`, agents.internal));
    // Completed in this order: public first, so that the internal one outlasts the public drain.
    const halfSent = [
      await startRequest(
        publicUrl,
        `POST /login HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(credentials)}\r\n`,
        `\r\n${credentials}`,
      ),
      await startRequest(internalUrl, `GET /sessions/${session}/valid HTTP/1.1\r\n`, '\r\n'),
    ];
    await sleep(100); // the service has read every request; the logins (argon2, store calls) are still running
    const exited = once(service.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    const [loginOutcomes, checkOutcomes] = await Promise.all([Promise.all(logins), Promise.all(checks)]);
    const lateOutcomes = [];
    for (const request of halfSent) lateOutcomes.push(await request.finish());
    const [code, signal] = await exited;
    const shutdownMs = Date.now() - signalledAt;

    const outcomes = [...loginOutcomes, ...checkOutcomes, ...lateOutcomes];
    const cut = outcomes.filter((outcome) => outcome.status !== 200 && outcome.error !== 'ECONNREFUSED');
    expect(cut).toEqual([]);
    expect(lateOutcomes).toEqual([
      { status: 200, connection: 'close', error: undefined, at: expect.any(Number) },
      { status: 200, connection: 'close', error: undefined, at: expect.any(Number) },
    ]);
    const answeredAfterSignal = (list: Outcome[]) => list.filter((outcome) => outcome.status === 200 && outcome.at > signalledAt);
    expect(answeredAfterSignal(loginOutcomes).length).toBeGreaterThan(0);
    if (store === 'aws') expect(answeredAfterSignal(checkOutcomes).length).toBeGreaterThan(0);
    // Responses finished while draining tell the client to drop the connection.
    expect(answeredAfterSignal(outcomes).some((outcome) => outcome.connection === 'close')).toBe(true);

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // Idle kept-alive connections did not hold the close open (Fastify keeps them 72 s).
    expect(shutdownMs).toBeLessThan(10_000);
    expect(service.output()).not.toContain('still running after');
    expect((await send(`${publicUrl}/health/live`, new Agent())).error).toBe('ECONNREFUSED');
    expect((await send(`${internalUrl}/health/live`, new Agent())).error).toBe('ECONNREFUSED');
  }, 60_000);
});

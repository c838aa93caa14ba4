// What any client can send: bodies nested to blow a stack, requests that never finish arriving,
// malformed HTTP, oversized headers, connections dropped mid-body. Every answer is a 4xx in the
// `{error, code}` shape, on both ports, and nothing a client can cause floods the error log.
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asAdmin, createDomain } from '../harness/factories.js';
import { freePort, startService, type ServiceProcess } from '../harness/processes.js';
import { startTestApp, TestApp } from '../harness/test-app.js';

/** Writes `text` on a raw connection and resolves with what came back, and when the server closed it. */
function rawExchange(url: string, text: string, { waitMs = 5000 } = {}): Promise<{ response: string; closedAfterMs: number }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let response = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    socket.on('data', (chunk) => (response += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${waitMs} ms; got: ${response.slice(0, 200)}`));
    }, waitMs);
  });
}

const statusAndBody = (response: string) => {
  const [head, body] = response.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), contentType: /content-type: ([^\r]+)/i.exec(head)?.[1], body: JSON.parse(body) };
};

/** JSON text of arrays nested `depth` deep (as text: building it as a value would overflow here too). */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('hostile input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('embedded', { HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '1000' });
  });
  afterAll(() => t.close());

  describe('deeply nested JSON', () => {
    it.each(['domain', 'username', 'password', 'extra'])('in %s of a login → 400 invalid_json, never a 500', async (field) => {
      const body = JSON.stringify({ domain: 'a', username: 'b', password: 'c', [field]: 'NESTED' }).replace('"NESTED"', nested(3000));
      const response = await t.api.post('/login').set('Content-Type', 'application/json').send(body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('invalid_json');
    });

    it('in an admin body, and as the whole body → 400 invalid_json', async () => {
      await t.api
        .post('/admin/domains')
        .set(asAdmin)
        .send({ name: 'x', corsOrigins: nested(3000) })
        .expect(400);
      const whole = await t.api.post('/login').set('Content-Type', 'text/plain').send(nested(5000));
      expect(whole.body.code).toBe('invalid_json');
    });

    it('nesting a real body needs still passes', async () => {
      const domain = await createDomain(t, { corsOrigins: ['https://ok.example'] });
      expect(domain).toEqual(expect.any(String));
    });
  });

  describe.each(['public', 'internal'] as const)('on the %s port', (port) => {
    const url = () => (port === 'public' ? t.publicUrl : t.internalUrl);

    it('a body that stalls half-way is cut at the request timeout with 408', async () => {
      const { response, closedAfterMs } = await rawExchange(
        url(),
        'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"domain":',
      );
      expect(statusAndBody(response)).toEqual({
        status: 408,
        contentType: 'application/json',
        body: { error: expect.any(String), code: 'request_timeout' },
      });
      expect(closedAfterMs).toBeGreaterThanOrEqual(1000);
      expect(closedAfterMs).toBeLessThan(4000);
    });

    it('headers that never end are cut at the headers timeout with 408', async () => {
      const { response } = await rawExchange(url(), 'GET /health/live HTTP/1.1\r\nHost: x\r\n');
      expect(statusAndBody(response).body.code).toBe('request_timeout');
    });

    it.each([
      ['a malformed request line', 'NOT HTTP AT ALL\r\n\r\n', 400, 'bad_request'],
      ['oversized headers', `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
    ])('%s → %p {error, code}', async (_case, text, status, code) => {
      const { response } = await rawExchange(url(), text);
      expect(statusAndBody(response)).toEqual({ status, contentType: 'application/json', body: { error: expect.any(String), code } });
    });
  });
});

describe('client aborts in the logs of the built service', () => {
  let service: ServiceProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-service-aborts-'));
    service = await startService({
      STORE: 'embedded',
      DATA_DIR: dataDir,
      EMBEDDED_STORE_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    });
  });
  afterAll(async () => {
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a client that drops its connection mid-body is one info line, no stack, no error', async () => {
    const { port } = new URL(service.publicUrl);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"dom');
        setTimeout(() => socket.destroy(), 200);
      });
      socket.on('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = service
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string; err?: unknown });
    const aborts = lines.filter((line) => line.msg.startsWith('client closed the connection'));
    expect(aborts).toHaveLength(1);
    expect(aborts[0]).toMatchObject({ level: 'info' });
    expect(JSON.stringify(aborts[0])).not.toContain('stack');
    expect(lines.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
  });
});

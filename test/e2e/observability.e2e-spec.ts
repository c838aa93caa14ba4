import { asAdmin, bearer, createDomain, createUser, login, PASSWORD } from '../harness/factories.js';
import { parseMetrics, sampleValue, type Sample } from '../harness/metrics.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function scrape(t: TestApp): Promise<Sample[]> {
  const response = await t.internal.get('/metrics').expect(200);
  return parseMetrics(response.text);
}

const count = (samples: Sample[], name: string, labels: Record<string, string>) => sampleValue(samples, name, labels) ?? 0;

describe.each(STORES)('observability (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(store);
  });
  afterAll(() => t.close());

  describe('request ids', () => {
    it('gives every response a new id, on both ports and for unknown routes too', async () => {
      const ids = [
        (await t.api.get('/health/live').expect(200)).headers['x-request-id'],
        (await t.api.get('/health/live').expect(200)).headers['x-request-id'],
        (await t.api.get('/no/such/route').expect(404)).headers['x-request-id'],
        (await t.internal.get('/sessions/AAAAAAAAAAAAAAAAAAAAAA/valid').expect(200)).headers['x-request-id'],
      ];
      for (const id of ids) expect(id).toMatch(UUID);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it("keeps a caller's sane x-request-id, so one id follows a request across services", async () => {
      const response = await t.api.get('/health/live').set('x-request-id', 'edge-7f3a.42:b_c').expect(200);
      expect(response.headers['x-request-id']).toBe('edge-7f3a.42:b_c');
    });

    it.each([
      ['too long', 'a'.repeat(129)],
      ['with spaces', 'id with spaces'],
      ['with markup', '<script>'],
      ['with a log-breaking quote', 'a"b'],
    ])('replaces an x-request-id %s with a new one', async (_case, incoming) => {
      const response = await t.api.get('/health/live').set('x-request-id', incoming).expect(200);
      expect(response.headers['x-request-id']).toMatch(UUID);
    });

    it('lets browsers read it (CORS exposes the header)', async () => {
      const domain = await createDomain(t, { corsOrigins: ['https://app.example'] });
      const username = await createUser(t, domain);
      const response = await t.api
        .post('/login')
        .set('Origin', 'https://app.example')
        .send({ domain, username, password: PASSWORD })
        .expect(200);
      expect(response.headers['access-control-expose-headers']).toMatch(/x-request-id/i);
    });
  });

  describe('GET /metrics', () => {
    it('serves the Prometheus text format on the internal port, with the process metrics', async () => {
      const response = await t.internal.get('/metrics').expect(200);
      expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      const names = new Set(parseMetrics(response.text).map((sample) => sample.name));
      for (const name of [
        'process_cpu_user_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_seconds',
        'nodejs_heap_size_used_bytes',
      ])
        expect(names).toContain(name);
    });

    it('does not exist on the public port', async () => {
      await t.api.get('/metrics').expect(404, { error: 'Not found', code: 'not_found' });
    });

    it('has every result of the auth counters from the start, at zero or more', async () => {
      const samples = await scrape(t);
      for (const [name, results] of [
        ['auth_logins_total', ['ok', 'failed']],
        ['auth_refreshes_total', ['ok', 'failed']],
        ['auth_key_rotations_total', ['ok', 'failed', 'skipped']],
      ] as const) {
        for (const result of results)
          expect({ name, result, value: sampleValue(samples, name, { result }) }).toEqual({ name, result, value: expect.any(Number) });
      }
    });

    it('counts logins and refreshes by result', async () => {
      const domain = await createDomain(t);
      const username = await createUser(t, domain);
      const before = await scrape(t);

      const token = await login(t, domain, username);
      await t.api.post('/login').send({ domain, username, password: 'wrong-password-123' }).expect(400);
      await t.api.post('/login').send({ domain: 'no-such-domain', username, password: PASSWORD }).expect(400);
      await t.api.get('/refresh').set(bearer(token)).expect(200);
      await t.api.get('/refresh').set(bearer(token)).expect(401); // its refresh credential is used up

      const after = await scrape(t);
      const delta = (name: string, result: string) => count(after, name, { result }) - count(before, name, { result });
      expect({
        loginsOk: delta('auth_logins_total', 'ok'),
        loginsFailed: delta('auth_logins_total', 'failed'),
        refreshesOk: delta('auth_refreshes_total', 'ok'),
        refreshesFailed: delta('auth_refreshes_total', 'failed'),
      }).toEqual({ loginsOk: 1, loginsFailed: 2, refreshesOk: 1, refreshesFailed: 1 });
    });

    it('times requests by route pattern, method and status: never a raw URL, unmatched routes as "unmatched"', async () => {
      const sessionId = 'BBBBBBBBBBBBBBBBBBBBBB';
      await t.internal.get(`/sessions/${sessionId}/valid`).expect(200);
      await t.api.get(`/sessions/${sessionId}/valid`).expect(404); // internal-only route on the public port
      await t.api.get('/wp-admin/setup-config.php').expect(404);
      await t.api.get('/admin/domains').set(asAdmin).expect(200);

      const response = await t.internal.get('/metrics').expect(200);
      const samples = parseMetrics(response.text);
      const requests = (labels: Record<string, string>) => count(samples, 'http_request_duration_seconds_count', labels);
      expect(requests({ method: 'GET', route: '/sessions/:id/valid', status_code: '200' })).toBeGreaterThanOrEqual(1);
      expect(requests({ method: 'GET', route: '/sessions/:id/valid', status_code: '404' })).toBeGreaterThanOrEqual(1);
      expect(requests({ method: 'GET', route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(1);
      expect(requests({ method: 'GET', route: '/admin/domains', status_code: '200' })).toBeGreaterThanOrEqual(1);
      expect(response.text).not.toContain(sessionId);
      expect(response.text).not.toContain('wp-admin');
      const buckets = samples.filter(
        (sample) => sample.name === 'http_request_duration_seconds_bucket' && sample.labels.route === '/admin/domains',
      );
      expect(buckets.map((sample) => sample.labels.le)).toContain('+Inf');
    });
  });
});

describe('metrics of two apps in one process', () => {
  let first: TestApp;
  let second: TestApp | undefined;
  beforeAll(async () => {
    first = await startTestApp('embedded');
  });
  afterAll(async () => {
    await first.close();
    await second?.close();
  });

  it('are counted apart: each app has a registry of its own', async () => {
    const domain = await createDomain(first);
    const token = await login(first, domain, await createUser(first, domain));
    // Started after the login: passport keeps one global "local" strategy, the last app's.
    second = await startTestApp('embedded');
    await first.api.get('/refresh').set(bearer(token)).expect(200);
    const [ofFirst, ofSecond] = [await scrape(first), await scrape(second)];
    expect([
      sampleValue(ofFirst, 'auth_logins_total', { result: 'ok' }),
      sampleValue(ofFirst, 'auth_refreshes_total', { result: 'ok' }),
    ]).toEqual([1, 1]);
    expect([
      sampleValue(ofSecond, 'auth_logins_total', { result: 'ok' }),
      sampleValue(ofSecond, 'auth_refreshes_total', { result: 'ok' }),
    ]).toEqual([0, 0]);
  });
});

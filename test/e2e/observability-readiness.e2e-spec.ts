import { eventually } from '../harness/eventually.js';
import { parseMetrics, sampleValue } from '../harness/metrics.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';
import { awsTestEnv, startTestApp, TestApp } from '../harness/test-app.js';

/**
 * The AWS emulator behind a proxy the test can take away and give back: readiness must follow it
 * (red while it is gone, green again after), liveness must not, and the failed calls are counted.
 */
describe('readiness while the AWS store comes and goes', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  beforeAll(async () => {
    proxy = await startTcpProxy(awsTestEnv().AWS_ENDPOINT_URL);
    t = await startTestApp('aws', { AWS_ENDPOINT_URL: proxy.url });
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
  });

  const readiness = async () => (await t.api.get('/health/ready')).status;
  const storeErrors = async () => {
    const samples = parseMetrics((await t.internal.get('/metrics').expect(200)).text);
    return sampleValue(samples, 'auth_store_errors_total', { operation: 'GetItem domains' }) ?? 0;
  };

  it('is green while the store answers', async () => {
    expect(await eventually(readiness, 200)).toBe(200);
  });

  it('goes red (503) when the store becomes unreachable, while liveness stays green', async () => {
    await proxy.stop();
    expect(await eventually(readiness, 503)).toBe(503);
    const ready = await t.api.get('/health/ready').expect(503);
    expect(ready.body).toEqual({ error: 'Service unavailable', code: 'unavailable' });
    await t.api.get('/health/live').expect(200);
  });

  it('answers logins with 503 meanwhile, and counts the failed store calls by operation', async () => {
    const before = await storeErrors();
    const login = await t.api.post('/login').send({ domain: 'any', username: 'someone', password: 'some-password' });
    expect(login.status).toBe(503);
    expect(login.body.code).toBe('store_unavailable');
    expect(await storeErrors()).toBe(before + 1);
  });

  it('goes green again when the store is back', async () => {
    await proxy.start();
    expect(await eventually(readiness, 200)).toBe(200);
    const login = await t.api.post('/login').send({ domain: 'no-such-domain', username: 'someone', password: 'some-password' });
    expect(login.status).toBe(400); // the store answers again: the domain is simply unknown
  });
});

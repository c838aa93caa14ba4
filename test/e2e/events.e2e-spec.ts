// The security event trail: what the admin API reads back (by user, type and time, a page at a
// time), what each record holds and never holds, its retention, and that a lost write never
// fails the request it describes.
import { DeleteTableCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { AwsClients } from '../../src/aws/aws-clients.js';
import { eventually } from '../harness/eventually.js';
import { asAdmin, createDomain } from '../harness/factories.js';
import { parseMetrics } from '../harness/metrics.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

interface Event {
  type: string;
  domain: string;
  at: string;
  [field: string]: unknown;
}

describe.each(STORES)('security events (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(store, { TRUSTED_PROXIES: '1' });
  });
  afterAll(() => t.close());

  const eventsPath = (domain: string) => `/admin/domains/${domain}/events`;
  const page = async (domain: string, query: Record<string, string | number> = {}) =>
    (await t.api.get(eventsPath(domain)).query(query).set(asAdmin).expect(200)).body as { events: Event[]; cursor?: string };
  /** Event writes run beside the request: the page once it has `count` of them (or what it has after 10 s). */
  async function events(domain: string, query: Record<string, string | number> = {}, count = 1): Promise<Event[]> {
    let found: Event[] = [];
    await eventually(async () => (found = (await page(domain, query)).events).length >= count, true);
    return found;
  }

  it('records a domain disabled and enabled, with who, from where and which request', async () => {
    const domain = await createDomain(t);
    const disabled = await t.api
      .post(`/admin/domains/${domain}/disable`)
      .set(asAdmin)
      .set('X-Forwarded-For', '198.51.100.23')
      .set('User-Agent', 'ops-console/1.0')
      .expect(200);
    await t.api.post(`/admin/domains/${domain}/enable`).set(asAdmin).expect(200);
    const [enabled, disabledEvent] = await events(domain, {}, 2);
    expect(enabled).toMatchObject({ type: 'domain_enabled', domain, actor: 'admin' });
    expect(disabledEvent).toEqual({
      id: expect.any(String),
      at: expect.any(String),
      type: 'domain_disabled',
      domain,
      actor: 'admin',
      clientAddress: '198.51.100.23',
      userAgent: 'ops-console/1.0',
      requestId: disabled.headers['x-request-id'],
    });
  });

  it('records key rotations: ok, refused while the previous key may still sign live sessions, forced', async () => {
    const domain = await createDomain(t);
    await t.api.post(`/admin/domains/${domain}/keys/rotate?force=true`).set(asAdmin).expect(200);
    await t.api.post(`/admin/domains/${domain}/keys/rotate`).set(asAdmin).expect(409);
    const rotations = await events(domain, { type: 'key_rotated' }, 2);
    expect(rotations.map((event) => [event.result, event.reason])).toEqual([
      ['refused', 'rotation_too_soon'],
      ['forced', undefined],
    ]);
  });

  it('records an admin token refused, under the domain the route names', async () => {
    const domain = await createDomain(t);
    await t.api.get(`/admin/domains/${domain}`).set('Authorization', 'Bearer wrong-token').expect(401);
    await t.api.get(`/admin/domains/${domain}`).expect(401);
    const refused = await events(domain, { type: 'admin_auth_failed' }, 2);
    expect(refused.map((event) => event.reason)).toEqual(['no_token', 'wrong_token']);
    expect(JSON.stringify(refused)).not.toContain('wrong-token');
  });

  it('pages newest first with a cursor, filters by type and time, and refuses a cursor of another query', async () => {
    const domain = await createDomain(t);
    for (let i = 0; i < 5; i++) {
      await t.api
        .post(`/admin/domains/${domain}/${i % 2 ? 'enable' : 'disable'}`)
        .set(asAdmin)
        .expect(200);
      t.clock.advance(1);
    }
    const all = await events(domain, {}, 5);
    const first = await page(domain, { limit: 2 });
    expect(first.events).toEqual(all.slice(0, 2));
    const second = await page(domain, { limit: 2, cursor: first.cursor! });
    expect(second.events).toEqual(all.slice(2, 4));
    const third = await page(domain, { limit: 2, cursor: second.cursor! });
    expect(third.events).toEqual(all.slice(4, 5));
    expect(third.cursor).toBeUndefined();
    expect((await page(domain, { type: 'domain_enabled' })).events).toHaveLength(2);
    expect((await page(domain, { since: all[1].at, until: all[0].at })).events).toEqual(all.slice(0, 2));
    expect((await page(domain, { since: all[0].at, until: all[1].at })).events).toEqual([]);
    expect((await page(domain, { since: '1970-01-01T00:00:00Z', until: '9999-12-31T23:59:59Z' })).events).toEqual(all);
    const other = await createDomain(t);
    const refused = await t.api.get(eventsPath(other)).query({ cursor: first.cursor! }).set(asAdmin).expect(400);
    expect(refused.body).toEqual({ error: 'cursor is not one this query gave', code: 'validation_failed' });
  });

  it.each([{ type: 'nonsense' }, { limit: 0 }, { limit: 201 }, { since: 'yesterday' }, { cursor: 'not-base64-json' }])(
    'refuses the query %j with 400',
    async (query) => {
      const domain = await createDomain(t);
      const response = await t.api.get(eventsPath(domain)).query(query).set(asAdmin).expect(400);
      expect(response.body.code).toBe('validation_failed');
    },
  );

  it("keeps an event for the domain's retention (its TTL)", async () => {
    const domain = await createDomain(t, { eventRetentionDays: 7 });
    await t.api.post(`/admin/domains/${domain}/disable`).set(asAdmin).expect(200);
    await t.api.post(`/admin/domains/${domain}/enable`).set(asAdmin).expect(200);
    const [event] = await events(domain, {}, 2);
    const { dynamo, tables } = t.app.get(AwsClients);
    const { Items } = await dynamo.send(
      new QueryCommand({
        TableName: tables.events,
        KeyConditionExpression: '#d = :d',
        ExpressionAttributeNames: { '#d': 'domain' },
        ExpressionAttributeValues: { ':d': { S: domain } },
      }),
    );
    for (const item of Items!) expect(Number(item.ttl.N)).toBe(Math.ceil(Date.parse(item.at.S!) / 1000) + 7 * 86_400);
    expect(Items!.map((item) => item.id.S)).toContain(event.id);
  });
});

describe('security events when the store fails to take them (aws store)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('aws');
  });
  afterAll(() => t.close());

  it('the request still succeeds, and the drop is counted and logged', async () => {
    const domain = await createDomain(t);
    const dropped = async () =>
      parseMetrics((await t.internal.get('/metrics').expect(200)).text)
        .filter((sample) => sample.name === 'auth_events_dropped_total' && sample.labels.type === 'domain_disabled')
        .reduce((sum, sample) => sum + sample.value, 0);
    const before = await dropped();
    const { dynamo, tables } = t.app.get(AwsClients);
    await dynamo.send(new DeleteTableCommand({ TableName: tables.events }));
    await t.api.post(`/admin/domains/${domain}/disable`).set(asAdmin).expect(200);
    expect(await eventually(dropped, before + 1)).toBe(before + 1);
    const { body } = await t.api.get(`/admin/domains/${domain}`).set(asAdmin).expect(200);
    expect(body.status).toBe('disabled');
  });
});

// The security event trail: what the admin API reads back (by user, type and time, a page at a
// time), what each record holds and never holds, its retention, and that a lost write never
// fails the request it describes.
import { DeleteTableCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { AwsClients } from '../../src/aws/aws-clients.js';
import { eventually } from '../harness/eventually.js';
import { decodeJwt } from 'jose';
import { asAdmin, bearer, createDomain, createUser, PASSWORD } from '../harness/factories.js';
import { registerClient } from '../harness/oauth.js';
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

  describe('the events of a user', () => {
    const user = async () => {
      const domain = await createDomain(t);
      const username = await createUser(t, domain);
      return { domain, username };
    };
    const loginFrom = (domain: string, username: string, password: string, address = '203.0.113.50') =>
      t.api.post('/login').set('X-Forwarded-For', address).set('User-Agent', 'phone/2.0').send({ domain, username, password });
    const types = (found: Event[]) => found.map((event) => event.type);

    it('records a user created, logins that succeed and fail (one type, the reason kept for operators), and a throttled one', async () => {
      const { domain, username } = await user();
      const ok = await loginFrom(domain, username, PASSWORD).expect(200);
      for (let i = 0; i < 5; i++) await loginFrom(domain, username, 'wrong-password').expect(400);
      await loginFrom(domain, username, PASSWORD).expect(429);
      await loginFrom(domain, 'nobody', 'whatever').expect(400);
      const found = await events(domain, {}, 9);
      expect(types(found)).toEqual([
        'login_failed',
        'login_throttled',
        ...Array(5).fill('login_failed'),
        'login_succeeded',
        'user_created',
      ]);
      expect(found[0]).toMatchObject({ username: 'nobody', reason: 'unknown_user' });
      expect(found[2]).toMatchObject({ username, reason: 'wrong_password', clientAddress: '203.0.113.50', userAgent: 'phone/2.0' });
      expect(found[7]).toMatchObject({ username, sessionId: decodeJwt(ok.body.token).session, requestId: ok.headers['x-request-id'] });
      expect(found[8]).toMatchObject({ username, actor: 'admin' });
      // Never a password or a token, whatever the event.
      const text = JSON.stringify(found);
      for (const secret of [PASSWORD, 'wrong-password', ok.body.token, decodeJwt(ok.body.token).refresh_token as string]) {
        expect(text).not.toContain(secret);
      }
      expect((await page(domain, { username: 'nobody' })).events).toHaveLength(1);
    });

    it('records a refused refresh, a reuse that revokes, a logout, and revocations by an admin and by the user', async () => {
      const { domain, username } = await user();
      const first = (await loginFrom(domain, username, PASSWORD).expect(200)).body.token as string;
      await t.api.get('/refresh').set(bearer(first)).expect(200);
      t.clock.advance(6);
      await t.api.get('/refresh').set(bearer(first)).expect(401); // consumed, past the grace: the session is revoked
      await t.api.get('/refresh').set(bearer(first)).expect(401); // and now simply a dead session
      const second = (await loginFrom(domain, username, PASSWORD).expect(200)).body.token as string;
      await t.api.post('/logout').set(bearer(second)).expect(204);
      const third = (await loginFrom(domain, username, PASSWORD).expect(200)).body.token as string;
      await t.api
        .post(`/admin/sessions/${decodeJwt(third).session as string}/revoke`)
        .set(asAdmin)
        .expect(204);
      const fourth = (await loginFrom(domain, username, PASSWORD).expect(200)).body.token as string;
      const fifth = (await loginFrom(domain, username, PASSWORD).expect(200)).body.token as string;
      await t.api
        .delete(`/sessions/${decodeJwt(fourth).session as string}`)
        .set(bearer(fifth))
        .expect(204);
      const found = await events(domain, { username }, 12);
      const trail = types(found).filter((type) => type !== 'login_succeeded' && type !== 'user_created');
      expect(trail.slice(0, 4)).toEqual(['session_revoked', 'session_revoked', 'logout', 'refresh_refused']);
      // A reuse and its refusal share a millisecond: their order is not asserted.
      expect(trail.slice(4).sort()).toEqual(['refresh_refused', 'refresh_reuse_detected']);
      const byType = (type: string) => found.filter((event) => event.type === type);
      expect(byType('session_revoked').map((event) => event.actor)).toEqual(['user', 'admin']);
      expect(byType('refresh_refused').map((event) => event.reason)).toEqual(['invalid_session', 'invalid_refresh_token']);
      expect(byType('logout')[0]).toMatchObject({ actor: 'user', sessionId: decodeJwt(second).session });
    });

    it('records passwords changed (by an admin, by the user), and a user disabled and enabled', async () => {
      const { domain, username } = await user();
      await t.api
        .put(`/admin/domains/${domain}/users/${username}/password`)
        .set(asAdmin)
        .send({ password: 'an admin-set passphrase' })
        .expect(200);
      const token = (await loginFrom(domain, username, 'an admin-set passphrase').expect(200)).body.token as string;
      await t.api
        .post('/password')
        .set(bearer(token))
        .send({ currentPassword: 'an admin-set passphrase', newPassword: 'the user-chosen passphrase' })
        .expect(204);
      await t.api.post(`/admin/domains/${domain}/users/${username}/disable`).set(asAdmin).expect(200);
      await t.api.post(`/admin/domains/${domain}/users/${username}/enable`).set(asAdmin).expect(200);
      const found = await events(domain, { username }, 6);
      expect(found.filter((event) => event.type !== 'login_succeeded').map((event) => [event.type, event.actor])).toEqual([
        ['user_enabled', 'admin'],
        ['user_disabled', 'admin'],
        ['password_changed', 'user'],
        ['password_changed', 'admin'],
        ['user_created', 'admin'],
      ]);
    });

    it('records the OAuth password grant with its client, a refused refresh token, and a revocation by the client', async () => {
      const { domain, username } = await user();
      const registered = await registerClient(t, domain, { grantTypes: ['password', 'refresh_token'] });
      const token = (form: Record<string, string>) =>
        t.api.post(`/domains/${domain}/oauth2/token`).auth(registered.clientId, registered.clientSecret!).type('form').send(form);
      const granted = (await token({ grant_type: 'password', username, password: PASSWORD }).expect(200)).body;
      await token({ grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' }).expect(400);
      await t.api
        .post(`/domains/${domain}/oauth2/revoke`)
        .auth(registered.clientId, registered.clientSecret!)
        .type('form')
        .send({ token: granted.refresh_token })
        .expect(200);
      const found = await events(domain, {}, 4);
      const sid = decodeJwt(granted.access_token).sid;
      expect(found.slice(0, 3).map((event) => [event.type, event.clientId, event.sessionId])).toEqual([
        ['session_revoked', registered.clientId, sid],
        ['refresh_refused', registered.clientId, undefined],
        ['login_succeeded', registered.clientId, sid],
      ]);
      expect(JSON.stringify(found)).not.toContain(granted.refresh_token.split('.')[2]);
    });
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

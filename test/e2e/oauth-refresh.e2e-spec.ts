// The refresh_token grant: single-use opaque tokens consumed by one conditional write, reuse
// detection (RFC 9700 §4.14.2), the grace period for lost responses, lifetimes and scope narrowing,
// driven through oauth4webapi as a consumer would.
import * as oauth from 'oauth4webapi';
import { decodeJwt } from 'jose';
import { asAdmin, createDomain, createUser, PASSWORD } from '../harness/factories.js';
import { issuerUrl, registerClient, RegisteredClient, startOAuthApp } from '../harness/oauth.js';
import { STORES, TestApp } from '../harness/test-app.js';

describe.each(STORES)('OAuth 2.0 refresh_token grant (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startOAuthApp(store);
  });
  afterAll(() => t.close());

  interface Party {
    domain: string;
    username: string;
    registered: RegisteredClient;
    as: oauth.AuthorizationServer;
    client: oauth.Client;
    auth: oauth.ClientAuth;
  }

  const options = { [oauth.allowInsecureRequests]: true };

  async function party(
    clientBody: Record<string, unknown> = {},
    domainBody: Record<string, unknown> = {},
    domain?: string,
  ): Promise<Party> {
    domain ??= await createDomain(t, domainBody);
    const username = await createUser(t, domain);
    const registered = await registerClient(t, domain, {
      grantTypes: ['password', 'refresh_token'],
      scopes: ['orders:read', 'orders:write'],
      ...clientBody,
    });
    const issuer = issuerUrl(t, domain);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options }));
    return {
      domain,
      username,
      registered,
      as,
      client: { client_id: registered.clientId },
      auth: oauth.ClientSecretPost(registered.clientSecret!),
    };
  }

  async function passwordGrant(p: Party, scope?: string): Promise<oauth.TokenEndpointResponse> {
    const parameters = { username: p.username, password: PASSWORD, ...(scope && { scope }) };
    const response = await oauth.genericTokenEndpointRequest(p.as, p.client, p.auth, 'password', parameters, options);
    return oauth.processGenericTokenEndpointResponse(p.as, p.client, response);
  }

  async function refresh(p: Party, refreshToken: string, scope?: string): Promise<oauth.TokenEndpointResponse> {
    const response = await oauth.refreshTokenGrantRequest(p.as, p.client, p.auth, refreshToken, {
      ...options,
      ...(scope && { additionalParameters: { scope } }),
    });
    return oauth.processRefreshTokenResponse(p.as, p.client, response);
  }

  const refused = (error = 'invalid_grant') => expect.objectContaining({ error, status: 400 });
  const sessionValid = async (sid: string) => (await t.internal.get(`/sessions/${sid}/valid`).expect(200)).body.valid as boolean;

  async function introspect(p: Party, token: string): Promise<oauth.IntrospectionResponse> {
    return oauth.processIntrospectionResponse(p.as, p.client, await oauth.introspectionRequest(p.as, p.client, p.auth, token, options));
  }

  it('rotates: each refresh returns a new pair of the same session, and consumes the token it took', async () => {
    const p = await party();
    const first = await passwordGrant(p);
    const second = await refresh(p, first.refresh_token!);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.refresh_token).toMatch(/\.1\./);
    expect(decodeJwt(second.access_token)).toMatchObject({ sid: decodeJwt(first.access_token).sid, sub: p.username });
    const third = await refresh(p, second.refresh_token!);
    expect(third.refresh_token).toMatch(/\.2\./);
  });

  it('revokes the whole session when a consumed refresh token comes again after the grace period', async () => {
    const p = await party();
    const first = await passwordGrant(p);
    const sid = decodeJwt(first.access_token).sid as string;
    const second = await refresh(p, first.refresh_token!);
    const third = await refresh(p, second.refresh_token!);
    t.clock.advance(6); // past the default 5 s grace
    // A thief replays a token two rotations old: refused, and the session is over for everyone.
    await expect(refresh(p, first.refresh_token!)).rejects.toEqual(refused());
    expect(await sessionValid(sid)).toBe(false);
    await expect(refresh(p, third.refresh_token!)).rejects.toEqual(refused());
    expect((await introspect(p, third.access_token)).active).toBe(false);
  });

  it('within the grace period, a retry of a lost refresh gets a new pair, and the pair it replaces stops working', async () => {
    const p = await party();
    const first = await passwordGrant(p);
    const lost = await refresh(p, first.refresh_token!); // the client never saw this answer
    const retried = await refresh(p, first.refresh_token!);
    expect(retried.refresh_token).not.toBe(lost.refresh_token);
    await expect(refresh(p, lost.refresh_token!)).rejects.toEqual(refused());
    // The lost token was never consumed: refusing it revoked nothing, and the retried chain goes on.
    const next = await refresh(p, retried.refresh_token!);
    expect(await sessionValid(decodeJwt(next.access_token).sid as string)).toBe(true);
  });

  it('after 20 concurrent refreshes of one refresh token, exactly one of the tokens handed out still works', async () => {
    const p = await party();
    const first = await passwordGrant(p);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => refresh(p, first.refresh_token!)));
    const handedOut = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.refresh_token!] : []));
    expect(handedOut.length).toBeGreaterThan(0);
    const working: string[] = [];
    for (const token of handedOut) {
      const outcome = await refresh(p, token).catch(() => undefined);
      if (outcome) working.push(token);
    }
    expect(working).toHaveLength(1);
  });

  it('with no grace period, a concurrent duplicate revokes the session', async () => {
    const p = await party({ refreshReuseGraceSeconds: 0 });
    const first = await passwordGrant(p);
    const second = await refresh(p, first.refresh_token!);
    t.clock.advance(1);
    await expect(refresh(p, first.refresh_token!)).rejects.toEqual(refused());
    await expect(refresh(p, second.refresh_token!)).rejects.toEqual(refused());
  });

  it('lets a refresh narrow the scope of its access token, never widen it; the grant keeps its scope', async () => {
    const p = await party();
    const first = await passwordGrant(p, 'orders:read');
    const narrowed = await refresh(p, first.refresh_token!, 'orders:read');
    expect(narrowed.scope).toBe('orders:read');
    // Wider than the grant (though the client may have it): invalid_scope, and the token is not consumed.
    await expect(refresh(p, narrowed.refresh_token!, 'orders:read orders:write')).rejects.toEqual(refused('invalid_scope'));
    const again = await refresh(p, narrowed.refresh_token!);
    expect(again.scope).toBe('orders:read');
    const full = await passwordGrant(p);
    const onlyWrite = await refresh(p, full.refresh_token!, 'orders:write');
    expect(decodeJwt(onlyWrite.access_token).scope).toBe('orders:write');
    expect((await refresh(p, onlyWrite.refresh_token!)).scope).toBe('orders:read orders:write');
  });

  it('slides the refresh token lifetime with each use, within the session lifetime', async () => {
    const p = await party({ refreshTokenTtlSeconds: 120 }, { sessionTtlSeconds: 300 });
    let current = (await passwordGrant(p)).refresh_token!;
    for (let i = 0; i < 2; i++) {
      t.clock.advance(100);
      current = (await refresh(p, current)).refresh_token!; // used within 120 s each time
    }
    t.clock.advance(100); // 300 s since login: the session's absolute end
    await expect(refresh(p, current)).rejects.toEqual(refused());
    const idle = (await passwordGrant(p)).refresh_token!;
    t.clock.advance(121);
    await expect(refresh(p, idle)).rejects.toEqual(refused());
  });

  it("refuses another client's refresh token without consuming it", async () => {
    const p = await party();
    const other = { ...p, ...(await party({}, {}, p.domain)) };
    const first = await passwordGrant(p);
    await expect(refresh(other, first.refresh_token!)).rejects.toEqual(refused());
    await refresh(p, first.refresh_token!);
  });

  it("refuses a refresh token at another domain's endpoint", async () => {
    const p = await party();
    const elsewhere = await party();
    const first = await passwordGrant(p);
    await expect(refresh(elsewhere, first.refresh_token!)).rejects.toEqual(refused());
    await refresh(p, first.refresh_token!);
  });

  it('stops after an admin revokes the session, or disables the user or the client', async () => {
    const p = await party();
    const revoked = await passwordGrant(p);
    await t.api
      .post(`/admin/sessions/${decodeJwt(revoked.access_token).sid as string}/revoke`)
      .set(asAdmin)
      .expect(204);
    await expect(refresh(p, revoked.refresh_token!)).rejects.toEqual(refused());

    const ofDisabledUser = await passwordGrant(p);
    await t.api.post(`/admin/domains/${p.domain}/users/${p.username}/disable`).set(asAdmin).expect(200);
    await expect(refresh(p, ofDisabledUser.refresh_token!)).rejects.toEqual(refused());
    await t.api.post(`/admin/domains/${p.domain}/users/${p.username}/enable`).set(asAdmin).expect(200);

    const ofDisabledClient = await passwordGrant(p);
    await t.api.post(`/admin/domains/${p.domain}/clients/${p.registered.clientId}/disable`).set(asAdmin).expect(200);
    await expect(refresh(p, ofDisabledClient.refresh_token!)).rejects.toMatchObject({ status: 401 });
  });

  it.each([
    ['garbage', 'not-a-refresh-token'],
    ['a well-formed token nobody issued', `${'A'.repeat(22)}.0.${'B'.repeat(43)}`],
  ])('refuses %s with invalid_grant', async (_name, token) => {
    const p = await party();
    await expect(refresh(p, token)).rejects.toEqual(refused());
  });

  it('does not let a forged token for a known session id revoke that session', async () => {
    const p = await party();
    const first = await passwordGrant(p);
    const sid = decodeJwt(first.access_token).sid as string;
    for (const generation of [0, 1, 5]) {
      await expect(refresh(p, `${sid}.${generation}.${'x'.repeat(43)}`)).rejects.toEqual(refused());
    }
    expect(await sessionValid(sid)).toBe(true);
    await refresh(p, first.refresh_token!);
  });
});

// A signed-in user's self-service with the token from POST /login: password change, their own
// sessions, logout everywhere. Who the caller is comes from the token alone.
import { decodeJwt } from 'jose';
import type { Test } from 'supertest';
import { randomSecret } from '../../src/common/secrets.js';
import { SessionsRepository } from '../../src/sessions/sessions.repository.js';
import { asAdmin, bearer, createDomain, createUser, PASSWORD } from '../harness/factories.js';
import { registerClient } from '../harness/oauth.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

const NEW_PASSWORD = 'a-brand-new-passphrase';
const HOME = '203.0.113.7';

describe.each(STORES)('self-service (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    // One proxy hop, as behind the ALB: tests choose the client address with X-Forwarded-For.
    t = await startTestApp(store, { TRUSTED_PROXIES: '1' });
  });
  afterAll(() => t.close());

  interface SignedIn {
    token: string;
    session: string;
  }

  async function signIn(domain: string, username: string, { from = HOME, agent = 'laptop', password = PASSWORD } = {}): Promise<SignedIn> {
    const response = await t.api
      .post('/login')
      .set('X-Forwarded-For', from)
      .set('User-Agent', agent)
      .send({ domain, username, password })
      .expect(200);
    return { token: response.body.token, session: decodeJwt(response.body.token).session as string };
  }

  async function user(domainBody: Record<string, unknown> = {}, name?: string) {
    const domain = await createDomain(t, domainBody);
    return { domain, username: await createUser(t, domain, name) };
  }

  const valid = async (session: string) => (await t.internal.get(`/sessions/${session}/valid`).expect(200)).body.valid as boolean;
  const refresh = (token: string) => t.api.get('/refresh').set(bearer(token));
  const loginStatus = async (domain: string, username: string, password: string, from = '198.51.100.1') =>
    (await t.api.post('/login').set('X-Forwarded-For', from).send({ domain, username, password })).status;
  const changePassword = (token: string, body: Record<string, unknown>, from = HOME) =>
    t.api.post('/password').set(bearer(token)).set('X-Forwarded-For', from).send(body);

  describe('POST /password', () => {
    it("changes the password, ends every other session of the user and keeps the caller's", async () => {
      const { domain, username } = await user();
      const laptop = await signIn(domain, username, { agent: 'laptop' });
      const phone = await signIn(domain, username, { agent: 'phone' });

      const response = await changePassword(laptop.token, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(204);
      expect(response.text).toBe('');

      expect(await valid(phone.session)).toBe(false);
      expect((await refresh(phone.token).expect(401)).body.code).toBe('invalid_session');
      expect(await valid(laptop.session)).toBe(true);
      await refresh(laptop.token).expect(200);
      expect(await loginStatus(domain, username, PASSWORD)).toBe(400);
      expect(await loginStatus(domain, username, NEW_PASSWORD)).toBe(200);
    });

    it('refuses a wrong current password as a failed login: 400 until throttled, then 429 with Retry-After', async () => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      const other = await signIn(domain, username, { agent: 'phone' });
      // Stopped, so the first wait (1 s) has not passed when the next attempts come, however slow the machine.
      t.clock.freezeAt(t.clock.now().getTime());
      for (let i = 0; i < 5; i++) {
        await changePassword(caller.token, { currentPassword: 'not-my-password', newPassword: NEW_PASSWORD }).expect(400, {
          error: 'Invalid username or password',
          code: 'invalid_credentials',
        });
      }
      const refused = await changePassword(caller.token, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(429);
      expect(refused.body).toEqual({ error: 'Too many attempts, try again later', code: 'too_many_attempts' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // The same counter a login from this client answers to.
      expect(await loginStatus(domain, username, PASSWORD, HOME)).toBe(429);
      t.clock.resume();

      // Nothing changed: the other session lives, the old password still logs in (from elsewhere).
      expect(await valid(other.session)).toBe(true);
      expect(await loginStatus(domain, username, PASSWORD, '198.51.100.77')).toBe(200);
    });

    it.each([
      ['password_too_short', 'short7!'],
      ['password_too_common', 'password123'],
    ])("refuses a new password the domain's policy refuses (%s), changing nothing", async (code, newPassword) => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      const other = await signIn(domain, username, { agent: 'phone' });
      expect((await changePassword(caller.token, { currentPassword: PASSWORD, newPassword }).expect(400)).body.code).toBe(code);
      expect(await valid(other.session)).toBe(true);
      expect(await loginStatus(domain, username, PASSWORD)).toBe(200);
    });

    it("follows the domain's minimum length, raised after the password was set", async () => {
      const { domain, username } = await user();
      await t.api.patch(`/admin/domains/${domain}`).set(asAdmin).send({ passwordMinLength: 30 }).expect(200);
      const caller = await signIn(domain, username);
      const refused = await changePassword(caller.token, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(400);
      expect(refused.body).toEqual({ error: 'The password must be at least 30 characters long', code: 'password_too_short' });
    });

    it('lets exactly one of two racing changes through: the other finds the checked password gone', async () => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      const candidates = ['first-new-passphrase', 'second-new-passphrase'];
      const answers = await Promise.all(
        candidates.map((newPassword) => changePassword(caller.token, { currentPassword: PASSWORD, newPassword })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([204, 400]);
      expect(answers.find((answer) => answer.status === 400)!.body.code).toBe('invalid_credentials');
      const winner = candidates[answers.findIndex((answer) => answer.status === 204)];
      const loser = candidates.find((candidate) => candidate !== winner)!;
      expect(await loginStatus(domain, username, winner)).toBe(200);
      expect(await loginStatus(domain, username, loser)).toBe(400);
      expect(await valid(caller.session)).toBe(true);
    });

    it('reads the token before the body, and refuses a body it does not know', async () => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      await t.api.post('/password').send({ currentPassword: PASSWORD }).expect(401, {
        error: 'Please provide a jwt authorization token',
        code: 'missing_token',
      });
      for (const body of [
        { currentPassword: PASSWORD },
        { currentPassword: PASSWORD, newPassword: '' },
        { currentPassword: PASSWORD, newPassword: 42 },
        { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, username: 'someone-else' },
      ]) {
        expect((await changePassword(caller.token, body).expect(400)).body.code).toBe('validation_failed');
      }
      expect(await loginStatus(domain, username, PASSWORD)).toBe(200);
    });

    it('takes the old clients’ header too', async () => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      await t.api
        .post('/password')
        .set('Authorizationjwt', caller.token)
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
        .expect(204);
    });
  });

  describe('GET /sessions', () => {
    it("lists the caller's own sessions newest first: where each started, which is current, which still lives", async () => {
      const { domain, username } = await user();
      const first = await signIn(domain, username, { from: HOME, agent: 'laptop' });
      t.clock.advance(1);
      const second = await signIn(domain, username, { from: '198.51.100.4', agent: 'phone' });
      t.clock.advance(1);
      const third = await signIn(domain, username, { agent: 'tablet' });
      await t.api.post('/logout').set(bearer(third.token)).expect(204);
      // Sessions of others: a colleague in the domain, and the same username in another domain.
      await signIn(domain, await createUser(t, domain));
      const twin = await user({}, username);
      await signIn(twin.domain, twin.username);

      const { body } = await t.api.get('/sessions').set(bearer(first.token)).expect(200);
      const times = { createdAt: expect.any(Number), expiresAt: expect.any(Number) };
      expect(body).toEqual([
        {
          id: third.session,
          ...times,
          revokedAt: expect.any(Number),
          clientAddress: HOME,
          userAgent: 'tablet',
          valid: false,
          current: false,
        },
        { id: second.session, ...times, clientAddress: '198.51.100.4', userAgent: 'phone', valid: true, current: false },
        { id: first.session, ...times, clientAddress: HOME, userAgent: 'laptop', valid: true, current: true },
      ]);
      expect(body[0].createdAt).toBeGreaterThan(body[1].createdAt);

      const refreshed = (await refresh(second.token).expect(200)).body.token as string;
      const again = await t.api.get('/sessions').set(bearer(refreshed)).expect(200);
      expect(again.body[1]).toMatchObject({ id: second.session, lastRefreshedAt: expect.any(Number), current: true });
      expect(again.body[2]).toMatchObject({ id: first.session, current: false });
    });

    it('cuts a long user agent to 256 characters, and records none when none was sent', async () => {
      const { domain, username } = await user();
      const long = await signIn(domain, username, { agent: `agent/${'x'.repeat(2000)}` });
      const response = await t.api
        .post('/login')
        .set('X-Forwarded-For', HOME)
        .unset('User-Agent')
        .send({ domain, username, password: PASSWORD })
        .expect(200);
      const anonymous = decodeJwt(response.body.token).session as string;
      const { body } = await t.api.get('/sessions').set(bearer(long.token)).expect(200);
      const byId = new Map(body.map((session: { id: string }) => [session.id, session]));
      expect(byId.get(long.session)).toMatchObject({ userAgent: `agent/${'x'.repeat(250)}` });
      expect(byId.get(anonymous)).not.toHaveProperty('userAgent');
      expect(byId.get(anonymous)).toMatchObject({ clientAddress: HOME });
    });

    it('lists a session started by the OAuth password grant with its app, address and user agent (the admin listing too)', async () => {
      const { domain, username } = await user();
      const app = await registerClient(t, domain, { grantTypes: ['password', 'refresh_token'] });
      const granted = await t.api
        .post(`/domains/${domain}/oauth2/token`)
        .auth(app.clientId, app.clientSecret!)
        .set('X-Forwarded-For', '198.51.100.23')
        .set('User-Agent', 'mobile-app/2.1')
        .type('form')
        .send({ grant_type: 'password', username, password: PASSWORD })
        .expect(200);
      const oauthSession = decodeJwt(granted.body.access_token).sid as string;
      const caller = await signIn(domain, username);

      const { body } = await t.api.get('/sessions').set(bearer(caller.token)).expect(200);
      expect(body.find((session: { id: string }) => session.id === oauthSession)).toEqual({
        id: oauthSession,
        createdAt: expect.any(Number),
        expiresAt: expect.any(Number),
        clientAddress: '198.51.100.23',
        userAgent: 'mobile-app/2.1',
        clientId: app.clientId,
        valid: true,
        current: false,
      });
      const admin = await t.api.get(`/admin/domains/${domain}/users/${username}/sessions`).set(asAdmin).expect(200);
      expect(admin.body.find((session: { id: string }) => session.id === oauthSession)).toMatchObject({
        clientAddress: '198.51.100.23',
        userAgent: 'mobile-app/2.1',
      });
    });

    it('lists sessions stored before sessions recorded where they started', async () => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      const now = t.clock.now().getTime();
      const old = {
        id: randomSecret(16),
        domain,
        username,
        refreshHash: 'x'.repeat(43),
        createdAt: now - 60_000,
        expiresAt: now + 3_600_000,
      };
      await t.app.get(SessionsRepository).create(old);
      const { body } = await t.api.get('/sessions').set(bearer(caller.token)).expect(200);
      expect(body[1]).toEqual({ id: old.id, createdAt: old.createdAt, expiresAt: old.expiresAt, valid: true, current: false });
    });
  });

  describe('DELETE /sessions/:id', () => {
    it("revokes another session of the caller's: its token can no longer refresh, the caller's still can", async () => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      const phone = await signIn(domain, username, { agent: 'phone' });
      const response = await t.api.delete(`/sessions/${phone.session}`).set(bearer(caller.token)).expect(204);
      expect(response.text).toBe('');
      expect(await valid(phone.session)).toBe(false);
      expect((await refresh(phone.token).expect(401)).body.code).toBe('invalid_session');
      expect(await valid(caller.session)).toBe(true);
      // Revoked already: still the caller's, still a 204.
      await t.api.delete(`/sessions/${phone.session}`).set(bearer(caller.token)).expect(204);
      await refresh(caller.token).expect(200);
    });

    it("answers someone else's session, another domain's, an unknown id and a malformed one alike, revoking nothing", async () => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      const colleague = await signIn(domain, await createUser(t, domain));
      const twin = await user({}, username);
      const twinSession = await signIn(twin.domain, twin.username);
      for (const id of [
        colleague.session,
        twinSession.session,
        'AAAAAAAAAAAAAAAAAAAAAA',
        'not-a-session-id',
        caller.session.toLowerCase(),
      ]) {
        if (id === caller.session) continue;
        await t.api
          .delete(`/sessions/${encodeURIComponent(id)}`)
          .set(bearer(caller.token))
          .expect(404, {
            error: 'Session not found',
            code: 'session_not_found',
          });
      }
      expect(await valid(colleague.session)).toBe(true);
      expect(await valid(twinSession.session)).toBe(true);
      // The twin cannot end the caller's session either.
      await t.api.delete(`/sessions/${caller.session}`).set(bearer(twinSession.token)).expect(404);
      expect(await valid(caller.session)).toBe(true);
    });

    it("may end the caller's own session: its token is refused from then on", async () => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      await t.api.delete(`/sessions/${caller.session}`).set(bearer(caller.token)).expect(204);
      expect((await t.api.get('/sessions').set(bearer(caller.token)).expect(401)).body.code).toBe('invalid_session');
    });
  });

  describe('POST /logout?all=true', () => {
    it("ends every session of the caller's user, the caller's included, and nobody else's", async () => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      const phone = await signIn(domain, username, { agent: 'phone' });
      const colleague = await signIn(domain, await createUser(t, domain));
      const response = await t.api.post('/logout?all=true').set(bearer(caller.token)).expect(204);
      expect(response.text).toBe('');
      for (const ended of [caller, phone]) {
        expect(await valid(ended.session)).toBe(false);
        await refresh(ended.token).expect(401);
      }
      expect(await valid(colleague.session)).toBe(true);
    });

    it.each(['/logout', '/logout?all=false'])('%s ends the presented session only, with an expired token too', async (path) => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      const phone = await signIn(domain, username, { agent: 'phone' });
      t.clock.advance(301);
      await t.api.post(path).set(bearer(caller.token)).expect(204);
      expect(await valid(caller.session)).toBe(false);
      expect(await valid(phone.session)).toBe(true);
    });

    it.each(['yes', 'TRUE', '1', ''])('takes only true or false (all=%j is a 400)', async (all) => {
      const { domain, username } = await user();
      const caller = await signIn(domain, username);
      await t.api
        .post(`/logout?all=${all}`)
        .set(bearer(caller.token))
        .expect(400, { message: 'all must be true or false', error: 'all must be true or false', code: 'validation_failed' });
      expect(await valid(caller.session)).toBe(true);
    });
  });

  describe('the caller', () => {
    const routes: [string, (token: string, session: string) => Test][] = [
      [
        'POST /password',
        (token) => t.api.post('/password').set(bearer(token)).send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
      ],
      ['GET /sessions', (token) => t.api.get('/sessions').set(bearer(token))],
      ['DELETE /sessions/:id', (token, session) => t.api.delete(`/sessions/${session}`).set(bearer(token))],
      ['POST /logout?all=true', (token) => t.api.post('/logout?all=true').set(bearer(token))],
    ];

    /** The route refused with 401 `code`, and the user's sessions and password are as they were. */
    async function expectRefused(request: Test, code: string, who: { domain: string; username: string }, other: SignedIn) {
      expect((await request.expect(401)).body.code).toBe(code);
      expect(await valid(other.session)).toBe(true);
      expect(await loginStatus(who.domain, who.username, PASSWORD)).toBe(200);
    }

    it.each(routes)('%s refuses an expired token (401 token_expired)', async (_route, send) => {
      const who = await user();
      const caller = await signIn(who.domain, who.username);
      const other = await signIn(who.domain, who.username, { agent: 'phone' });
      t.clock.advance(301);
      await expectRefused(send(caller.token, other.session), 'token_expired', who, other);
      // After a refresh, the same user is welcome again.
      const fresh = (await refresh(caller.token).expect(200)).body.token as string;
      await t.api.get('/sessions').set(bearer(fresh)).expect(200);
    });

    it.each(routes)("%s refuses a revoked session's token (401 invalid_session)", async (_route, send) => {
      const who = await user();
      const caller = await signIn(who.domain, who.username);
      const other = await signIn(who.domain, who.username, { agent: 'phone' });
      await t.api.post('/logout').set(bearer(caller.token)).expect(204);
      await expectRefused(send(caller.token, other.session), 'invalid_session', who, other);
    });

    it.each(routes)("%s refuses a disabled domain's token, a forged one and none", async (_route, send) => {
      const who = await user();
      const caller = await signIn(who.domain, who.username);
      const other = await signIn(who.domain, who.username, { agent: 'phone' });
      const [header, payload] = caller.token.split('.');
      const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
      await expectRefused(send(forged, other.session), 'invalid_token', who, other);
      await expectRefused(send('', other.session).unset('Authorization'), 'missing_token', who, other);

      await t.api.post(`/admin/domains/${who.domain}/disable`).set(asAdmin).expect(200);
      expect((await send(caller.token, other.session).expect(401)).body.code).toBe('invalid_domain');
      await t.api.post(`/admin/domains/${who.domain}/enable`).set(asAdmin).expect(200);
      expect(await valid(other.session)).toBe(true);
    });
  });
});

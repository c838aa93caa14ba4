// Online attacks on POST /login: one account guessed at, passwords sprayed across accounts, from
// one or many addresses, against two instances sharing one store.
import { jest } from '@jest/globals';
import { PasswordHasher } from '../../src/users/password-hasher.js';
import { asAdmin, createDomain, createUser, PASSWORD, uniqueName } from '../harness/factories.js';
import { STORES, startTestApp, startTwoInstances, TestApp } from '../harness/test-app.js';

describe.each(STORES)('login throttling (%s store)', (store) => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Both instances read X-Forwarded-For from one proxy hop (as behind the ALB): tests choose addresses.
    [a, b] = await startTwoInstances(store, { TRUSTED_PROXIES: '1' });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const attempt = (t: TestApp, domain: string, username: string, password: string, from = '203.0.113.7') =>
    t.api.post('/login').set('X-Forwarded-For', from).send({ domain, username, password });
  const advance = (seconds: number) => [a, b].forEach((t) => t.clock.advance(seconds));

  async function account() {
    const domain = await createDomain(a);
    return { domain, username: await createUser(a, domain) };
  }

  it('after 5 failures on one instance, the other refuses even the right password with 429 and Retry-After', async () => {
    const { domain, username } = await account();
    for (let i = 0; i < 5; i++) await attempt(i % 2 ? a : b, domain, username, 'wrong-password').expect(400);
    const refused = await attempt(b, domain, username, PASSWORD).expect(429);
    expect(refused.body).toEqual({
      message: 'Too many attempts, try again later',
      error: 'Too many attempts, try again later',
      code: 'too_many_attempts',
    });
    expect(Number(refused.headers['retry-after'])).toBe(1);
  });

  it('waits double with each further failure, and a success resets the count', async () => {
    const { domain, username } = await account();
    for (let i = 0; i < 5; i++) await attempt(a, domain, username, 'wrong-password').expect(400);
    advance(1);
    await attempt(a, domain, username, 'wrong-password').expect(400);
    expect(Number((await attempt(b, domain, username, PASSWORD).expect(429)).headers['retry-after'])).toBe(2);
    advance(2);
    await attempt(b, domain, username, PASSWORD).expect(200);
    // counted from zero again: four failures are not enough
    for (let i = 0; i < 4; i++) await attempt(a, domain, username, 'wrong-password').expect(400);
    await attempt(b, domain, username, PASSWORD).expect(200);
  });

  it('one failure away from a wait, lets attempts racing on two instances through one at a time', async () => {
    const { domain, username } = await account();
    for (let i = 0; i < 4; i++) await attempt(a, domain, username, 'wrong-password').expect(400);
    const racing = await Promise.all([a, b, a, b, a, b].map((t) => attempt(t, domain, username, 'wrong-password')));
    expect(racing.map((response) => response.status).sort()).toEqual([400, 429, 429, 429, 429, 429]);
    const state = await a.api.get(`/admin/domains/${domain}/users/${username}/throttle`).set(asAdmin).expect(200);
    expect(state.body.failures).toBe(5); // exactly one more password check was made
  });

  it('throttles an unknown username exactly as a known one', async () => {
    const { domain, username } = await account();
    const ghost = uniqueName('nobody');
    const answers = async (name: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await attempt(a, domain, name, 'wrong-password', '203.0.113.50')).status);
      return statuses;
    };
    expect(await answers(ghost)).toEqual(await answers(username));
  });

  it('spends no password work on a refused attempt', async () => {
    const { domain, username } = await account();
    for (let i = 0; i < 5; i++) await attempt(a, domain, username, 'wrong-password').expect(400);
    const verify = jest.spyOn(PasswordHasher.prototype, 'verify');
    const verifyNothing = jest.spyOn(PasswordHasher.prototype, 'verifyNothing');
    try {
      for (let i = 0; i < 5; i++) await attempt(a, domain, username, PASSWORD).expect(429);
      expect(verify).not.toHaveBeenCalled();
      expect(verifyNothing).not.toHaveBeenCalled();
    } finally {
      verify.mockRestore();
      verifyNothing.mockRestore();
    }
  });

  it('an attacker elsewhere does not lock the user out on a client that logged in before', async () => {
    const { domain, username } = await account();
    await attempt(a, domain, username, PASSWORD, '198.51.100.1').expect(200); // the user's own client
    for (let i = 0; i < 8; i++) await attempt(b, domain, username, 'guess', `192.0.2.${i % 3}`);
    await attempt(a, domain, username, 'guess', '192.0.2.99').expect(429); // any new client waits
    await attempt(b, domain, username, PASSWORD, '198.51.100.1').expect(200); // the user does not
  });

  it('the admin API shows an account’s throttle and clears it', async () => {
    const { domain, username } = await account();
    for (let i = 0; i < 12; i++) await attempt(a, domain, username, 'wrong-password', `192.0.2.${i}`).expect(i < 5 ? 400 : 429);
    advance(1);
    for (let i = 0; i < 4; i++) await attempt(a, domain, username, 'wrong-password', '192.0.2.1');
    const state = await b.api.get(`/admin/domains/${domain}/users/${username}/throttle`).set(asAdmin).expect(200);
    expect(state.body).toEqual({ failures: expect.any(Number), blockedUntil: expect.any(String) });
    expect(new Date(state.body.blockedUntil).getTime()).toBeGreaterThan(Date.now());
    await attempt(b, domain, username, PASSWORD, '192.0.2.77').expect(429);

    await a.api.post(`/admin/domains/${domain}/users/${username}/throttle/clear`).set(asAdmin).expect(204);
    await b.api.get(`/admin/domains/${domain}/users/${username}/throttle`).set(asAdmin).expect(200, { failures: 0, blockedUntil: null });
    // still inside the 2 s wait it had earned: only the clear lets this through
    await attempt(a, domain, username, PASSWORD, '192.0.2.5').expect(200);
    await a.api.get(`/admin/domains/nope-${domain}/users/${username}/throttle`).set(asAdmin).expect(404);
  });

  it('limits one address spraying passwords across usernames', async () => {
    const domain = await createDomain(a);
    const sprayer = '203.0.113.200';
    for (let i = 0; i < 30; i++) await attempt(i % 2 ? a : b, domain, uniqueName('victim'), 'Summer2026!', sprayer).expect(400);
    await attempt(a, domain, uniqueName('victim'), 'Summer2026!', sprayer).expect(429);
    // another address is not affected
    await attempt(a, domain, uniqueName('victim'), 'Summer2026!', '203.0.113.201').expect(400);
  });
});

describe('the client address without TRUSTED_PROXIES', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('embedded');
  });
  afterAll(() => t.close());

  it('is the socket’s: a spoofed X-Forwarded-For does not escape the address limit', async () => {
    const domain = await createDomain(t);
    for (let i = 0; i < 30; i++) {
      const spoofed = `10.0.${i}.${i}`;
      await t.api
        .post('/login')
        .set('X-Forwarded-For', spoofed)
        .send({ domain, username: uniqueName('v'), password: 'wrong' })
        .expect(400);
    }
    await t.api
      .post('/login')
      .set('X-Forwarded-For', '10.9.9.9')
      .send({ domain, username: uniqueName('v'), password: 'wrong' })
      .expect(429);
  });
});

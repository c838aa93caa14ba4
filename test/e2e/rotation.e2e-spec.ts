import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { KeyStore } from '../../src/keys/key-store.js';
import { runRotationStep } from '../../src/rotation/rotation-lambda.js';
import { RotationService } from '../../src/rotation/rotation.service.js';
import { createTokenVerifier } from '../../src/verify/verifier.js';
import { asAdmin, bearer, createDomain, createUser, login, loggedIn } from '../harness/factories.js';
import { parseMetrics, sampleValue } from '../harness/metrics.js';
import { STORES, startTwoInstances, TestApp } from '../harness/test-app.js';

const DAY = 86_400;

describe.each(STORES)('signing key rotation (%s store)', (store) => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    // Two instances on one store, as behind a load balancer; B caches keys for the default 30 s.
    [a, b] = await startTwoInstances(store);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const jwksOf = async (t: TestApp, domain: string) =>
    (await t.api.get(`/domains/${domain}/.well-known/jwks.json`).expect(200)).body.keys as Array<{ kid: string }>;
  const keysOf = async (domain: string) =>
    (await a.api.get(`/admin/domains/${domain}/keys`).set(asAdmin).expect(200)).body as Array<{
      kid: string;
      stages: string[];
      createdBy: string;
    }>;
  const rotate = (t: TestApp, domain: string, query = '') => t.api.post(`/admin/domains/${domain}/keys/rotate${query}`).set(asAdmin);

  it('signs with the new key and keeps the old one verifiable as AWSPREVIOUS, with an audit trail', async () => {
    const { domain, token, header } = await loggedIn(a);
    const rotated = await rotate(a, domain).expect(200);
    expect(rotated.body).toMatchObject({ domain, status: 'rotated', previousKid: header.kid, actor: 'admin-api' });
    expect(rotated.body.kid).not.toBe(header.kid);

    expect((await jwksOf(a, domain)).map((key) => key.kid).sort()).toEqual([header.kid, rotated.body.kid].sort());
    const keys = await keysOf(domain);
    expect(keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kid: rotated.body.kid, stages: ['AWSCURRENT'], createdBy: 'admin-api' }),
        expect.objectContaining({ kid: header.kid, stages: ['AWSPREVIOUS'] }),
      ]),
    );
    expect(JSON.stringify(keys)).not.toMatch(/"d"|privateJwk/);

    const username = decodeJwt(token).username as string;
    expect(decodeProtectedHeader(await login(a, domain, username)).kid).toBe(rotated.body.kid);
    await a.api.get('/status').set(bearer(token)).expect(200);
    await a.api.get('/refresh').set(bearer(token)).expect(200);
  });

  it('causes zero verification failures for tokens issued before, during and after, on both instances and in the verifier kit', async () => {
    const domain = await createDomain(a);
    const username = await createUser(a, domain);
    const kit = createTokenVerifier({ authUrl: a.publicUrl, issuerBaseUrl: a.config.publicUrl, domain });
    // Warm every cache on the old key: instance B, and the kit's JWKS.
    const first = await login(b, domain, username);
    await kit.verify(first);

    const issued: string[] = [first];
    const failures: string[] = [];
    const verifyEverywhere = async (token: string) => {
      const onA = await a.api.get('/status').set(bearer(token));
      const onB = await b.api.get('/status').set(bearer(token));
      if (onA.status !== 200 || !onA.body.valid) failures.push(`A ${onA.status} ${JSON.stringify(onA.body)}`);
      if (onB.status !== 200 || !onB.body.valid) failures.push(`B ${onB.status} ${JSON.stringify(onB.body)}`);
      await kit.verify(token).catch((error: Error) => failures.push(`kit ${error.message}`));
    };
    const load = async (rounds: number) => {
      for (let round = 0; round < rounds; round++) {
        const tokens = await Promise.all([login(a, domain, username), login(b, domain, username)]);
        issued.push(...tokens);
        await Promise.all(issued.slice(-6).map(verifyEverywhere));
      }
    };

    const during = load(6);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const rotated = await rotate(a, domain).expect(200);
    await during;
    await load(2);
    await Promise.all(issued.map(verifyEverywhere));

    expect(failures).toEqual([]);
    const kids = new Set(issued.map((token) => decodeProtectedHeader(token).kid));
    expect(kids.has(rotated.body.kid)).toBe(true);
    expect(kids.has(rotated.body.previousKid)).toBe(true);
  });

  it('refuses a second rotation while the previous key may sign live sessions, unless forced', async () => {
    const { domain } = await loggedIn(a);
    await rotate(a, domain).expect(200);
    const counted = async () => parseMetrics((await a.internal.get('/metrics').expect(200)).text);
    const before = await counted();
    const tooSoon = await rotate(a, domain).expect(409);
    expect(tooSoon.body.code).toBe('rotation_too_soon');
    await rotate(a, domain, '?force=true').expect(200);
    const after = await counted();
    const delta = (result: string) =>
      sampleValue(after, 'auth_key_rotations_total', { result })! - sampleValue(before, 'auth_key_rotations_total', { result })!;
    expect({ ok: delta('ok'), skipped: delta('skipped') }).toEqual({ ok: 1, skipped: 1 });
  });

  it('is forced by force=true only: anything but true or false is refused, never taken for false', async () => {
    const { domain } = await loggedIn(a);
    await rotate(a, domain).expect(200);
    await rotate(a, domain, '?force=false').expect(409);
    for (const query of ['?force=yes', '?force=', '?force=true&force=true']) {
      const refused = await rotate(a, domain, query).expect(400);
      expect(refused.body).toEqual({ error: 'force must be a boolean value', code: 'validation_failed' });
    }
    await rotate(a, domain, '?force=true').expect(200);
  });

  it('after the next rotation the oldest key leaves the JWKS and its tokens fail with a clear error', async () => {
    const { domain, token, header } = await loggedIn(a, { sessionTtlSeconds: 3600 });
    const kit = createTokenVerifier({ authUrl: a.publicUrl, issuerBaseUrl: a.config.publicUrl, domain });
    await rotate(a, domain).expect(200);
    a.clock.advance(3600 + 60);
    try {
      await rotate(a, domain).expect(200);
    } finally {
      a.clock.advance(-(3600 + 60)); // instances share one clock in life
    }

    expect((await jwksOf(a, domain)).map((key) => key.kid)).not.toContain(header.kid);
    await expect(kit.verify(token)).rejects.toMatchObject({ code: 'unknown_key' });
    await a.api.get('/status').set(bearer(token)).expect(401, { message: 'Invalid token', error: 'Invalid token', code: 'invalid_token' });
  });

  it('of concurrent rotations of one domain exactly one rotates; the others change nothing', async () => {
    const { domain, header } = await loggedIn(a);
    const responses = await Promise.all([rotate(a, domain), rotate(b, domain), rotate(a, domain)]);
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const keys = await keysOf(domain);
    expect(keys.filter((key) => key.stages.includes('AWSCURRENT'))).toHaveLength(1);
    expect(keys.filter((key) => key.stages.includes('AWSPREVIOUS'))).toEqual([expect.objectContaining({ kid: header.kid })]);
    expect(keys).toHaveLength(2);
  });

  it('runs the four Lambda steps idempotently, and a racing second rotation cannot promote over the winner', async () => {
    const domain = await createDomain(a);
    const secretId = `${a.config.secretPrefix}${domain}`;
    const [first, second] = [randomUUID(), randomUUID()];
    const steps = ['createSecret', 'setSecret', 'testSecret'] as const;
    for (const step of steps) {
      await runRotationStep(a.app, { SecretId: secretId, ClientRequestToken: first, Step: step });
      await runRotationStep(a.app, { SecretId: secretId, ClientRequestToken: first, Step: step }); // retried by Secrets Manager
    }
    const pendingKid = (await keysOf(domain)).find((key) => key.stages.includes('AWSPENDING'))!.kid;
    expect((await jwksOf(a, domain)).map((key) => key.kid)).toContain(pendingKid); // published before use

    await runRotationStep(a.app, { SecretId: secretId, ClientRequestToken: first, Step: 'finishSecret' });
    await runRotationStep(a.app, { SecretId: secretId, ClientRequestToken: first, Step: 'finishSecret' });
    const keys = await keysOf(domain);
    expect(keys.find((key) => key.stages.includes('AWSCURRENT'))!.kid).toBe(pendingKid);

    // a stale second run, whose pending version never became current, is refused at promotion
    const store = a.app.get(KeyStore);
    const rotation = a.app.get(RotationService);
    await rotation.runStep(domain, second, 'createSecret', 'test');
    const versions = await store.versions(domain);
    const current = versions.find((version) => version.stages.includes('AWSCURRENT'))!;
    expect(await store.promote(domain, second, 'not-the-current-version')).toBe(false);
    const after = await store.versions(domain);
    expect(after.find((version) => version.stages.includes('AWSCURRENT'))!.versionId).toBe(current.versionId);
  });

  it('rotate --due rotates only the domains past their rotation period', async () => {
    const due = await createDomain(a, { rotationPeriodDays: 1 });
    const notDue = await createDomain(a, { rotationPeriodDays: 30 });
    a.clock.advance(2 * DAY);
    const results = await a.app
      .get(RotationService)
      .rotateDue('test')
      .finally(() => a.clock.advance(-2 * DAY));
    expect(results.find((result) => result.domain === due)).toMatchObject({ status: 'rotated' });
    expect(results.find((result) => result.domain === notDue)).toMatchObject({ status: 'skipped' });
  });
});

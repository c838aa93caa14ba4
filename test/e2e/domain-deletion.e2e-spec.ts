// Deleting a domain: only a disabled one, everything of it gone (users, sessions, clients, keys),
// nothing left that verifies or refreshes, its name free again; its security events stay.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { AwsClients } from '../../src/aws/aws-clients.js';
import { DomainsService } from '../../src/domains/domains.service.js';
import { SessionsService } from '../../src/sessions/sessions.service.js';
import { asAdmin, bearer, createDomain, createUser, login, PASSWORD } from '../harness/factories.js';
import { registerClient, startOAuthApp } from '../harness/oauth.js';
import { STORES, TestApp } from '../harness/test-app.js';

describe.each(STORES)('DELETE /admin/domains/:domain (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startOAuthApp(store);
  });
  afterAll(() => t.close());

  const sessionValid = async (sid: string) => (await t.internal.get(`/sessions/${sid}/valid`).expect(200)).body.valid as boolean;
  const sessionOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).session as string;

  async function keysExist(domain: string): Promise<boolean> {
    if (store === 'embedded') return existsSync(join(t.config.dataDir, 'keys', `${domain}.json`));
    const secrets = t.app.get(AwsClients).secrets;
    const found = await secrets.send(new DescribeSecretCommand({ SecretId: `${t.config.secretPrefix}${domain}` })).then(
      () => true,
      (error: { name?: string }) => (error.name === 'ResourceNotFoundException' ? false : Promise.reject(error)),
    );
    return found;
  }

  it('refuses a domain that is not disabled (409), and an unknown one (404)', async () => {
    const domain = await createDomain(t);
    const refused = await t.api.delete(`/admin/domains/${domain}`).set(asAdmin).expect(409);
    expect(refused.body.code).toBe('domain_not_disabled');
    await t.api.get(`/admin/domains/${domain}`).set(asAdmin).expect(200);
    await t.api.delete('/admin/domains/no-such-domain').set(asAdmin).expect(404);
    await t.api.delete(`/admin/domains/${domain}`).expect(401);
  });

  it('deletes a disabled domain with its users, sessions, clients and keys; the name can be used again', async () => {
    const domain = await createDomain(t);
    const usernames = [await createUser(t, domain), await createUser(t, domain)];
    const tokens = [await login(t, domain, usernames[0]), await login(t, domain, usernames[1])];
    const registered = await registerClient(t, domain, { grantTypes: ['password', 'refresh_token'], scopes: ['a'] });
    const granted = await t.api
      .post(`/domains/${domain}/oauth2/token`)
      .auth(registered.clientId, registered.clientSecret!)
      .type('form')
      .send({ grant_type: 'password', username: usernames[0], password: PASSWORD })
      .expect(200);
    expect(await keysExist(domain)).toBe(true);

    await t.api.post(`/admin/domains/${domain}/disable`).set(asAdmin).expect(200);
    await t.api.delete(`/admin/domains/${domain}`).set(asAdmin).expect(204);

    await t.api.get(`/admin/domains/${domain}`).set(asAdmin).expect(404);
    for (const username of usernames) await t.api.get(`/admin/domains/${domain}/users/${username}`).set(asAdmin).expect(404);
    for (const token of tokens) await expect(sessionValid(sessionOf(token))).resolves.toBe(false);
    await t.api.get(`/admin/domains/${domain}/clients/${registered.clientId}`).set(asAdmin).expect(404);
    await t.api.get(`/domains/${domain}/.well-known/jwks.json`).expect(404);
    await t.api.get('/refresh').set(bearer(tokens[0])).expect(401);
    expect(await keysExist(domain)).toBe(false);
    // Deleted, not only revoked: nothing of them is left to read.
    const oauthSession = JSON.parse(Buffer.from(granted.body.access_token.split('.')[1], 'base64url').toString()).sid as string;
    for (const id of [...tokens.map(sessionOf), oauthSession]) await expect(t.app.get(SessionsService).find(id)).resolves.toBeUndefined();

    // The trail stays (until its retention ends), the deletion on it.
    const trail = await t.api.get(`/admin/domains/${domain}/events?type=domain_deleted`).set(asAdmin).expect(200);
    expect(trail.body.events).toEqual([expect.objectContaining({ type: 'domain_deleted', actor: 'admin' })]);

    // A new domain of the same name starts empty, with new keys.
    await t.api.post('/admin/domains').set(asAdmin).send({ name: domain }).expect(201);
    await t.api.get(`/admin/domains/${domain}/users/${usernames[0]}`).set(asAdmin).expect(404);
    expect(await keysExist(domain)).toBe(true);
    await t.api.get('/refresh').set(bearer(tokens[0])).expect(401);
  });

  it('cannot be undone midway: a domain whose deletion began is not enabled again, and asking again finishes it', async () => {
    const domain = await createDomain(t);
    await createUser(t, domain);
    await t.api.post(`/admin/domains/${domain}/disable`).set(asAdmin).expect(200);
    // As if a fault stopped the deletion right after it began.
    await t.app.get(DomainsService).beginDeletion(domain);
    const enable = await t.api.post(`/admin/domains/${domain}/enable`).set(asAdmin).expect(409);
    expect(enable.body.code).toBe('domain_being_deleted');
    await t.api.delete(`/admin/domains/${domain}`).set(asAdmin).expect(204);
    await t.api.get(`/admin/domains/${domain}`).set(asAdmin).expect(404);
  });
});

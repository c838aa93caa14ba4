import * as client from 'openid-client';
import { asAdmin } from './factories.js';
import { freePort } from './processes.js';
import { startTestApp, StoreKind, TestApp } from './test-app.js';

/**
 * An app whose PUBLIC_URL is where it listens, so an issuer a client discovers is the URL it
 * fetched (spec-strict clients check that).
 */
export async function startOAuthApp(store: StoreKind, env: Record<string, string> = {}): Promise<TestApp> {
  const port = await freePort();
  return startTestApp(store, { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env });
}

export interface RegisteredClient {
  clientId: string;
  clientSecret?: string;
}

export async function registerClient(t: TestApp, domain: string, body: Record<string, unknown> = {}): Promise<RegisteredClient> {
  const response = await t.api
    .post(`/admin/domains/${domain}/clients`)
    .set(asAdmin)
    .send({ name: 'test client', type: 'confidential', grantTypes: ['client_credentials'], ...body })
    .expect(201);
  return { clientId: response.body.clientId, clientSecret: response.body.clientSecret };
}

export const issuerUrl = (t: TestApp, domain: string) => new URL(`${t.config.publicUrl}/domains/${domain}`);

/** openid-client configured as a consumer would: discovery, then the client's credentials. */
export async function discover(
  t: TestApp,
  domain: string,
  registered: RegisteredClient,
  auth: 'basic' | 'post' | 'none' = 'basic',
): Promise<client.Configuration> {
  const method =
    auth === 'none'
      ? client.None()
      : auth === 'post'
        ? client.ClientSecretPost(registered.clientSecret)
        : client.ClientSecretBasic(registered.clientSecret);
  return client.discovery(issuerUrl(t, domain), registered.clientId, undefined, method, {
    execute: [client.allowInsecureRequests],
  });
}

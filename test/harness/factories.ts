import { decodeJwt, decodeProtectedHeader } from 'jose';
import { randomSecret } from '../../src/common/secrets.js';
import { ADMIN_TOKEN, TestApp } from './test-app.js';

export const PASSWORD = 'correct-horse-battery-staple';

export function uniqueName(prefix = 'd'): string {
  return `${prefix}-${randomSecret(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')}`;
}

export const asAdmin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

export async function createDomain(t: TestApp, body: Record<string, unknown> = {}): Promise<string> {
  const name = (body.name as string | undefined) ?? uniqueName();
  await t.api
    .post('/admin/domains')
    .set(asAdmin)
    .send({ name, ...body })
    .expect(201);
  return name;
}

export async function createUser(t: TestApp, domain: string, username = uniqueName('user'), password = PASSWORD): Promise<string> {
  await t.api.post(`/admin/domains/${domain}/users`).set(asAdmin).send({ username, password }).expect(201);
  return username;
}

export async function login(t: TestApp, domain: string, username: string, password = PASSWORD): Promise<string> {
  const response = await t.api.post('/login').send({ domain, username, password }).expect(200);
  return response.body.token as string;
}

/** A domain with one user, logged in: the starting point of most flows. */
export async function loggedIn(t: TestApp, domainBody: Record<string, unknown> = {}) {
  const domain = await createDomain(t, domainBody);
  const username = await createUser(t, domain);
  const token = await login(t, domain, username);
  return { domain, username, token, claims: decodeJwt(token), header: decodeProtectedHeader(token) };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

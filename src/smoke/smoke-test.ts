import { randomBytes } from 'node:crypto';

/** What one step of the smoke test does and checks; it throws a one-line reason when the deployment fails it. */
interface Step {
  name: string;
  run(): Promise<void>;
}

export interface SmokeOptions {
  /** The deployment's public URL, e.g. https://auth.example.com or http://localhost:3000. */
  url: string;
  adminToken: string;
  /** Where each passed step is reported. */
  report(line: string): void;
  timeoutMs?: number;
}

/** A step failed: the message says which and why, in one line. */
export class SmokeFailure extends Error {}

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/**
 * A deployment's smoke test: health, then a login and a refresh with a domain it creates for the
 * purpose and deletes again, whatever happened in between. Stops at the first failed step.
 */
export async function smokeTest({ url, adminToken, report, timeoutMs = 10_000 }: SmokeOptions): Promise<void> {
  const base = url.replace(/\/+$/, '');
  const domain = `smoke-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const username = 'smoke-user';
  const password = randomBytes(24).toString('base64url');
  const admin = { authorization: `Bearer ${adminToken}` };
  let token = '';
  let created = false;

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new SmokeFailure(`${method} ${path}: ${(error as Error).cause ?? (error as Error).message}`);
    }
    const text = await response.text();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed };
  }

  function expectStatus(answer: Answer, status: number, what: string): void {
    if (answer.status !== status) {
      const code = typeof answer.body?.code === 'string' ? ` (${answer.body.code})` : '';
      throw new SmokeFailure(`${what}: expected ${status}, got ${answer.status}${code}`);
    }
  }

  const steps: Step[] = [
    { name: 'ready', run: async () => expectStatus(await call('GET', '/health/ready'), 200, 'GET /health/ready') },
    {
      name: `create domain ${domain}`,
      run: async () => {
        expectStatus(await call('POST', '/admin/domains', { name: domain }, admin), 201, 'POST /admin/domains');
        created = true;
      },
    },
    {
      name: 'create user',
      run: async () =>
        expectStatus(
          await call('POST', `/admin/domains/${domain}/users`, { username, password }, admin),
          201,
          'POST /admin/domains/:d/users',
        ),
    },
    {
      name: 'login',
      run: async () => {
        const answer = await call('POST', '/login', { domain, username, password });
        expectStatus(answer, 200, 'POST /login');
        if (typeof answer.body?.token !== 'string') throw new SmokeFailure('POST /login: no token in the answer');
        token = answer.body.token;
      },
    },
    {
      name: 'refresh',
      run: async () => {
        const answer = await call('GET', '/refresh', undefined, { authorization: `Bearer ${token}` });
        expectStatus(answer, 200, 'GET /refresh');
        if (typeof answer.body?.token !== 'string' || answer.body.token === token) throw new SmokeFailure('GET /refresh: no new token');
        token = answer.body.token;
      },
    },
    {
      name: 'status',
      run: async () => {
        const answer = await call('GET', '/status', undefined, { authorization: `Bearer ${token}` });
        expectStatus(answer, 200, 'GET /status');
        if (answer.body?.valid !== true) throw new SmokeFailure('GET /status: the refreshed token is not valid');
      },
    },
  ];

  try {
    for (const step of steps) await timed(step, report);
  } finally {
    // Whatever happened: the domain goes, or the failure to remove it is the result.
    if (created) {
      await timed(
        {
          name: `delete domain ${domain}`,
          run: async () => {
            expectStatus(await call('POST', `/admin/domains/${domain}/disable`, undefined, admin), 200, 'POST /admin/domains/:d/disable');
            expectStatus(await call('DELETE', `/admin/domains/${domain}`, undefined, admin), 204, 'DELETE /admin/domains/:d');
          },
        },
        report,
      );
    }
  }
}

async function timed(step: Step, report: (line: string) => void): Promise<void> {
  const started = performance.now();
  try {
    await step.run();
  } catch (error) {
    if (error instanceof SmokeFailure) throw new SmokeFailure(`${step.name} failed: ${error.message}`);
    throw error;
  }
  report(`ok ${step.name} (${Math.round(performance.now() - started)} ms)`);
}

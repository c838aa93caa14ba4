import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDomain, createUser, loggedIn, PASSWORD } from '../harness/factories.js';
import { registerClient } from '../harness/oauth.js';
import { ROOT } from '../harness/processes.js';
import { ADMIN_TOKEN, STORES, startTestApp, TestApp } from '../harness/test-app.js';

/**
 * Schemathesis (installed into .venv by `npm test`) reads /docs-json, sends valid and invalid
 * requests to every operation, and holds each answer to the document (every check, `[checks]
 * enabled = true`; on the command line, `--checks all` would also override the per-operation
 * settings below): status
 * codes, content types, headers and bodies, 2xx for valid data and 4xx for invalid, auth enforced,
 * 405 with `Allow` for an undeclared method. A disagreement is fixed in the document or the
 * service, never by excluding a check here.
 */
const SCHEMATHESIS = join(ROOT, '.venv', 'bin', 'schemathesis');
const INTERNAL_TAG = 'internal';
/**
 * Sized for a 2-core machine (about a minute per store when idle; the timeout leaves room for a
 * busy one); the fixed seed makes a failure come back
 * the same on every run and on a developer's machine.
 */
const BUDGET = ['--max-examples', '100', '--seed', '1066', '--request-timeout', '10', '--generation-database', 'none'];
const RUN_TIMEOUT_MS = 240_000;

interface Run {
  code: number | null;
  output: string;
}

type Operation = { tags?: string[]; servers?: { url: string }[] };

/**
 * The identities the fuzzer works with: the admin token; `auth`, whose login gives the token
 * routes a real token (its names are in no dictionary, so generated requests do not disable it or
 * change its password under the run); and `target`, a domain, user and session the generated
 * requests name half the time, so they reach real data rather than only 404s.
 */
function configuration(
  auth: { domain: string; username: string },
  target: { domain: string; username: string; session: string },
  oauthClient: { clientId: string; clientSecret: string },
): string {
  const toml = (value: string) => JSON.stringify(value);
  const dictionary = (name: string, value: string) => `[dictionaries.${name}]\nvalues = [${toml(value)}]`;
  const sometimes = (name: string) => `{ dictionary = ${toml(name)}, probability = 0.5 }`;
  return [
    '[checks]',
    'enabled = true',
    '[auth.openapi.admin]',
    `bearer = ${toml(ADMIN_TOKEN)}`,
    // Also tells schemathesis that POST /login grants credentials: its 400 for a well-formed body
    // naming a wrong user or password is the contract's answer, not a rejection of valid data.
    '[auth.dynamic.openapi.token]',
    'path = "/login"',
    `payload = { domain = ${toml(auth.domain)}, username = ${toml(auth.username)}, password = ${toml(PASSWORD)} }`,
    'extract_selector = "/token"',
    // A client of the target domain for the OAuth endpoints' Basic authentication.
    '[auth.openapi.client]',
    `username = ${toml(oauthClient.clientId)}`,
    `password = ${toml(oauthClient.clientSecret)}`,
    dictionary('domain', target.domain),
    dictionary('username', target.username),
    dictionary('password', PASSWORD),
    dictionary('session', target.session),
    '[parameters]',
    `"path.domain" = ${sometimes('domain')}`,
    `"path.username" = ${sometimes('username')}`,
    `"path.id" = ${sometimes('session')}`,
    `"body.domain" = ${sometimes('domain')}`,
    `"body.username" = ${sometimes('username')}`,
    `"body.password" = ${sometimes('password')}`,
    // A password also answers to its domain's minimum length, a setting the fuzzer would raise on
    // the very domain whose passwords it then sets; no schema can tie the two, so domains keep the
    // default minimum here (other values: the domain-settings suite).
    '"body.passwordMinLength" = 8',
    // And to a list of common passwords, which no schema can state either: for the two operations
    // that set one, only "valid data is accepted" is not asked (the password-policy suite covers it).
    // The same holds for a client registration's rules across fields (a public client cannot use
    // client_credentials; a redirect URI must be https, loopback http or a private-use scheme: the
    // oauth-clients suite covers them); for the token endpoint, where a well-formed password or
    // refresh_token grant names credentials no schema can make right (RFC 6749's invalid_grant);
    // for all three OAuth endpoints, where a body's client_id must be the one the Basic
    // credentials name (the oauth-token-endpoint suite covers it); and for the events query, whose
    // cursor only a previous page can give (the events suite covers it). A user's own password change
    // names their current password, which no schema can make right either, and a new one the
    // domain's policy judges (the self-service suite covers both).
    ...[
      'POST /admin/domains/{domain}/users',
      'PUT /admin/domains/{domain}/users/{username}/password',
      'POST /admin/domains/{domain}/clients',
      'POST /domains/{domain}/oauth2/token',
      'POST /domains/{domain}/oauth2/introspect',
      'POST /domains/{domain}/oauth2/revoke',
      'GET /admin/domains/{domain}/events',
      'POST /password',
    ].flatMap((name) => ['[[operations]]', `include-name = ${toml(name)}`, 'checks.positive_data_acceptance.enabled = false']),
    '',
  ].join('\n');
}

/** Runs in a scratch directory: schemathesis keeps its caches in the working directory. */
function schemathesis(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(SCHEMATHESIS, args, { cwd, timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // Not started (`npm test` installs it), or killed at the timeout: say so beside what it printed.
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, output: `${stdout}${stderr}${code === null ? error?.message : ''}` });
    });
  });
}

/** Fails with schemathesis's own report (each failure with a curl command that reproduces it). */
function expectNoFailures(run: Run, operations: number): void {
  if (run.code !== 0) throw new Error(`schemathesis exited with ${run.code}:\n${run.output}`);
  expect(run.output).toContain(`Tested: ${operations}\n`);
}

describe.each(STORES)('the OpenAPI document against the service, fuzzed (%s store)', (store) => {
  let t: TestApp;
  let scratch: string;
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp(store);
    scratch = await mkdtemp(join(tmpdir(), 'auth-service-fuzz-'));
    const target = await loggedIn(t);
    // POST /password with made-up current passwords is a stream of failed logins of `auth`: a loose
    // throttle keeps the fuzzer's re-logins from being locked out by its own requests.
    const loose = { failures: 1000, windowSeconds: 60, maxWaitSeconds: 1 };
    const authDomain = await createDomain(t, { loginThrottle: { account: loose, address: loose } });
    const auth = { domain: authDomain, username: await createUser(t, authDomain) };
    const oauthClient = await registerClient(t, target.domain, { grantTypes: ['client_credentials', 'password', 'refresh_token'] });
    await writeFile(
      join(scratch, 'schemathesis.toml'),
      configuration(
        auth,
        { domain: target.domain, username: target.username, session: target.claims.session as string },
        { clientId: oauthClient.clientId, clientSecret: oauthClient.clientSecret! },
      ),
    );
    const document = (await t.api.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
    operations = Object.values(document.paths).flatMap((path) => Object.values(path));
  });
  afterAll(async () => {
    await t.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const run = (url: string, filter: string[]) =>
    schemathesis(scratch, [
      '--config-file',
      'schemathesis.toml',
      'run',
      `${t.publicUrl}/docs-json`,
      '--url',
      url,
      ...filter,
      ...BUDGET,
      '--no-color',
    ]);
  const internal = (operation: Operation) => operation.tags?.includes(INTERNAL_TAG) === true;

  it('sends the internal operations, and only those, to the internal port', () => {
    // So the runs below, split by tag, split the operations as the document's servers do.
    for (const operation of operations) expect(operation.servers !== undefined).toBe(internal(operation));
    expect(operations.filter(internal).length).toBeGreaterThan(0);
  });

  it(
    'agrees with the public and admin operations',
    async () => {
      expectNoFailures(
        await run(t.publicUrl, ['--exclude-tag', INTERNAL_TAG]),
        operations.filter((operation) => !internal(operation)).length,
      );
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  it(
    'agrees with the internal port’s operations',
    async () => {
      expectNoFailures(await run(t.internalUrl, ['--include-tag', INTERNAL_TAG]), operations.filter(internal).length);
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, runCli, startService, type ServiceProcess } from '../harness/processes.js';

const CLI = join(ROOT, 'dist', 'cli', 'main.js');
// Runs the rest of argv in a fresh pseudo-terminal, copies our stdin into it and its screen to our stdout.
const PTY_SPAWN = 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))';

interface Terminal {
  /** Everything the terminal showed so far (the CLI's stdout and stderr, and any echo). */
  screen(): string;
  /** Resolves once the screen shows `text`; typing earlier could race the prompt switching echo off. */
  waitFor(text: string): Promise<void>;
  /** Keys typed by a person: the line, then Enter. */
  typeLine(line: string): void;
  exitCode: Promise<number | null>;
}

/** The built CLI in a real terminal, as an operator runs it interactively. */
function runCliInTerminal(args: string[], env: Record<string, string>): Terminal {
  const child = spawn('python3', ['-c', PTY_SPAWN, process.execPath, CLI, ...args], { env: { ...process.env, ...env }, cwd: ROOT });
  let screen = '';
  child.stdout.on('data', (chunk) => (screen += chunk));
  child.stderr.on('data', (chunk) => (screen += chunk));
  const exitCode = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  return {
    screen: () => screen,
    exitCode,
    typeLine: (line) => child.stdin.write(`${line}\r`),
    waitFor: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!screen.includes(text)) return;
          stop();
          resolve();
        };
        const exited = () => {
          stop();
          reject(new Error(`the CLI exited before showing "${text}":\n${screen}`));
        };
        const stop = () => {
          child.stdout.off('data', check);
          child.off('exit', exited);
        };
        child.stdout.on('data', check);
        child.once('exit', exited);
        check();
      }),
  };
}

describe('operator CLI (built, embedded store)', () => {
  let service: ServiceProcess;
  let env: Record<string, string>;
  let dataDir: string;
  // An environment loadConfig refuses: whatever only needs the command line must not read it.
  const badEnv = { STORE: 'bogus' };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-service-cli-'));
    // The service serves the embedded store on this port; every CLI run below connects to it. The
    // CLI changes clients from another process, and the tests look at once: no client cache.
    env = {
      STORE: 'embedded',
      DATA_DIR: dataDir,
      EMBEDDED_STORE_PORT: String(await freePort()),
      AUTH_USER_PASSWORD: '',
      CLIENT_CACHE_SECONDS: '0',
    };
    service = await startService(env);
  });
  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const login = (domain: string, username: string, password: string) =>
    fetch(`${service.publicUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domain, username, password }),
    }).then((response) => response.status);

  describe('--help', () => {
    const exitCodes = ['Exit codes:', '0  success', '1  the operation failed', '2  usage error'];

    it('of the program lists the command groups and the exit codes, without reading the environment', async () => {
      const help = await runCli(['--help'], badEnv);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      for (const text of ['tables', 'domain', 'user', 'session', 'rotate', 'keys', 'client', ...exitCodes])
        expect(help.stdout).toContain(text);
    });

    it('of a group lists its commands', async () => {
      const help = await runCli(['user', '--help'], badEnv);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      for (const text of ['create <domain> <username>', 'set-password', 'disable', 'enable', ...exitCodes])
        expect(help.stdout).toContain(text);
    });

    it('of the client group lists its commands', async () => {
      const help = await runCli(['client', '--help'], badEnv);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      for (const text of [
        'create [options] <domain>',
        'list <domain>',
        'get <domain> <client-id>',
        'disable <domain> <client-id>',
        'enable <domain> <client-id>',
        'rotate-secret [options] <domain> <client-id>',
        'delete <domain> <client-id>',
        ...exitCodes,
      ])
        expect(help.stdout).toContain(text);
    });

    it('of a command lists its arguments and options', async () => {
      const help = await runCli(['domain', 'create', '--help'], badEnv);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      for (const text of ['<name>', '--algorithm', '--audience', '--cors-origin', '--access-ttl', '--session-ttl', ...exitCodes])
        expect(help.stdout).toContain(text);
    });
  });

  describe('usage errors exit 2 with the message on stderr', () => {
    it.each([
      [['frobnicate'], "error: unknown command 'frobnicate'"],
      [['domain', 'create'], "error: missing required argument 'name'"],
      [['domain', 'list', '--force'], "error: unknown option '--force'"],
      [['rotate'], 'error: rotate needs --domain <name> or --due'],
      [
        ['client', 'create', 'cli-clients', '--type', 'public', '--grant', 'password'],
        "error: required option '--name <name>' not specified",
      ],
      [['client', 'get', 'cli-clients'], "error: missing required argument 'client-id'"],
    ])('%j', async (args, message) => {
      const result = await runCli(args, env);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toContain(message);
    });

    it('an invalid configuration is one too, reported as loadConfig words it', async () => {
      const result = await runCli(['domain', 'list'], badEnv);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toContain('error: Invalid configuration:\n  - STORE must be auto, embedded or aws (got "bogus")');
    });
  });

  describe('operations', () => {
    it('creates a domain and a user (password on stdin), and lists the domain', async () => {
      expect(
        await runCli(['domain', 'create', 'cli-demo', '--cors-origin', 'https://a.example', '--cors-origin', 'https://b.example'], env),
      ).toMatchObject({
        code: 0,
      });
      const user = await runCli(['user', 'create', 'cli-demo', 'alice'], env, 'correct-horse-battery-staple\n');
      expect(user).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(user.stdout)).toMatchObject({ domain: 'cli-demo', username: 'alice', status: 'active' });
      expect(user.stdout + user.stderr).not.toContain('correct-horse');

      const list = await runCli(['domain', 'list'], env);
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout)).toContainEqual(
        expect.objectContaining({ name: 'cli-demo', status: 'active', corsOrigins: ['https://a.example', 'https://b.example'] }),
      );
      expect(await login('cli-demo', 'alice', 'correct-horse-battery-staple')).toBe(200);
    });

    it("prints a domain's security events as a table, or as JSON, filtered by user, type and age", async () => {
      expect((await runCli(['domain', 'create', 'cli-events'], env)).code).toBe(0);
      expect((await runCli(['user', 'create', 'cli-events', 'frank'], env, 'correct-horse-battery-staple\n')).code).toBe(0);
      expect(await login('cli-events', 'frank', 'correct-horse-battery-staple')).toBe(200);
      expect(await login('cli-events', 'frank', 'wrong-password')).toBe(400);
      // Event writes run beside the request: give them a moment.
      const json = async () =>
        JSON.parse((await runCli(['events', 'cli-events', '--user', 'frank', '--since', '1h', '--json'], env)).stdout);
      let page = await json();
      for (let i = 0; i < 20 && page.events.length < 3; i++) page = await json();
      expect(page.events.map((event: { type: string }) => event.type)).toEqual(['login_failed', 'login_succeeded', 'user_created']);
      const table = await runCli(['events', 'cli-events', '--type', 'login_failed'], env);
      expect(table.code).toBe(0);
      const [header, row, ...rest] = table.stdout.trim().split('\n');
      expect(header).toMatch(/^TIME\s+TYPE\s+USER\s+DETAIL/);
      expect(row).toMatch(/login_failed\s+frank\s+wrong_password/);
      expect(rest).toEqual([]);
      expect(await runCli(['events', 'cli-events', '--since', 'last tuesday'], env)).toMatchObject({
        code: 1,
        stderr: 'error: --since must be an ISO 8601 time or an age like 30m, 1h, 7d\n',
      });
    });

    it("shows and clears an account's login throttle, and lists a user's sessions", async () => {
      expect((await runCli(['domain', 'create', 'cli-locks'], env)).code).toBe(0);
      expect((await runCli(['user', 'create', 'cli-locks', 'erin'], env, 'correct-horse-battery-staple\n')).code).toBe(0);
      for (let i = 0; i < 5; i++) expect(await login('cli-locks', 'erin', 'wrong-password')).toBe(400);
      expect(await login('cli-locks', 'erin', 'correct-horse-battery-staple')).toBe(429);

      const shown = await runCli(['user', 'throttle', 'cli-locks', 'erin'], env);
      expect(shown.code).toBe(0);
      // The first wait is 1 s, about what a CLI run takes to start: it may be over by the time it looks.
      expect(JSON.parse(shown.stdout)).toMatchObject({ failures: 5 });
      const cleared = await runCli(['user', 'throttle', 'cli-locks', 'erin', '--clear'], env);
      expect(JSON.parse(cleared.stdout)).toEqual({ failures: 0, blockedUntil: null });

      // (the first wait is 1 s, over by now: the admin API's suite shows a clear lifting a long block)
      expect(await login('cli-locks', 'erin', 'correct-horse-battery-staple')).toBe(200);
      const sessions = await runCli(['session', 'list', 'cli-locks', 'erin'], env);
      expect(sessions.code).toBe(0);
      expect(JSON.parse(sessions.stdout)).toHaveLength(1);
      expect(sessions.stdout).not.toContain('refreshHash');
    });

    it('a duplicate domain fails with exit 1 and one line on stderr', async () => {
      expect((await runCli(['domain', 'create', 'cli-twice'], env)).code).toBe(0);
      const again = await runCli(['domain', 'create', 'cli-twice'], env);
      expect(again).toMatchObject({ code: 1, stdout: '', stderr: 'error: Domain already exists\n' });
    });
  });

  describe('OAuth clients', () => {
    const DOMAIN = 'cli-clients';
    const CONFIDENTIAL = ['--name', 'orders-service', '--type', 'confidential', '--grant', 'client_credentials', '--scope', 'orders:read'];
    const SECRET = /^[A-Za-z0-9_-]{43}$/;
    // One line, after the JSON; never the secret itself.
    const SHOWN_ONLY_NOW = /^note: clientSecret is shown only now and cannot be shown again[^\n]*\n$/;

    const createConfidential = async (): Promise<{ clientId: string; clientSecret: string }> => {
      const created = await runCli(['client', 'create', DOMAIN, ...CONFIDENTIAL], env);
      expect(created).toMatchObject({ code: 0 });
      return JSON.parse(created.stdout);
    };
    /** A client_credentials token request to the running service: 200 when the secret is the client's, 401 otherwise. */
    const tokenStatus = (clientId: string, secret: string) =>
      fetch(`${service.publicUrl}/domains/${DOMAIN}/oauth2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      }).then((response) => response.status);

    beforeAll(async () => {
      expect((await runCli(['domain', 'create', DOMAIN], env)).code).toBe(0);
    });

    it("create prints a confidential client's secret once, with a note; list and get never show it", async () => {
      const created = await runCli(['client', 'create', DOMAIN, ...CONFIDENTIAL], env);
      expect(created).toMatchObject({ code: 0 });
      const client = JSON.parse(created.stdout);
      expect(client).toMatchObject({
        domain: DOMAIN,
        clientId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        name: 'orders-service',
        type: 'confidential',
        grantTypes: ['client_credentials'],
        scopes: ['orders:read'],
        status: 'active',
        clientSecret: expect.stringMatching(SECRET),
      });
      expect(created.stdout.split(client.clientSecret)).toHaveLength(2);
      expect(created.stderr).toMatch(SHOWN_ONLY_NOW);
      expect(created.stderr).not.toContain(client.clientSecret);
      expect(await tokenStatus(client.clientId, client.clientSecret)).toBe(200);

      for (const args of [
        ['client', 'list', DOMAIN],
        ['client', 'get', DOMAIN, client.clientId],
      ]) {
        const shown = await runCli(args, env);
        expect(shown).toMatchObject({ code: 0, stderr: '' });
        expect(shown.stdout).toContain(`"clientId": "${client.clientId}"`);
        expect(shown.stdout).not.toMatch(/clientSecret|secretHash/);
        expect(shown.stdout).not.toContain(client.clientSecret);
      }
    });

    it('create registers a public client without a secret, from space-separated and repeated values', async () => {
      const created = await runCli(
        ['client', 'create', DOMAIN, '--name', 'web-app', '--type', 'public', '--grant', 'password', 'refresh_token']
          .concat([
            '--scope',
            'profile',
            '--scope',
            'orders:read',
            '--redirect-uri',
            'https://app.example/callback',
            'com.example.app:/callback',
            '--post-logout-redirect-uri',
            'https://app.example/signed-out',
          ])
          .concat(['--audience', 'orders-api', '--access-token-ttl', '300', '--refresh-token-ttl', '3600', '--refresh-reuse-grace', '0']),
        env,
      );
      expect(created).toMatchObject({ code: 0, stderr: '' });
      const client = JSON.parse(created.stdout);
      expect(client).toMatchObject({
        type: 'public',
        grantTypes: ['password', 'refresh_token'],
        scopes: ['profile', 'orders:read'],
        redirectUris: ['https://app.example/callback', 'com.example.app:/callback'],
        postLogoutRedirectUris: ['https://app.example/signed-out'],
        audience: 'orders-api',
        accessTokenTtlSeconds: 300,
        refreshTokenTtlSeconds: 3600,
        refreshReuseGraceSeconds: 0,
      });
      expect(client).not.toHaveProperty('clientSecret');
      const got = await runCli(['client', 'get', DOMAIN, client.clientId], env);
      expect(got).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(got.stdout)).toEqual(client);
    });

    it.each([
      [
        ['--type', 'public', '--grant', 'client_credentials'],
        'A public client cannot use client_credentials: it has no secret to prove who it is',
      ],
      [
        ['--type', 'public', '--grant', 'password', '--redirect-uri', 'http://app.example/callback'],
        'redirectUris[0] may use http only on a loopback address (127.0.0.1, [::1], localhost)',
      ],
      [['--type', 'public', '--grant', 'authorization_code'], 'The authorization_code grant needs at least one redirect URI'],
      [
        ['--type', 'public', '--grant', 'implicit'],
        'each value in grantTypes must be one of the following values: authorization_code, client_credentials, password, refresh_token',
      ],
      [['--type', 'server', '--grant', 'password'], 'type must be one of the following values: confidential, public'],
      [
        ['--type', 'confidential', '--grant', 'client_credentials', '--access-token-ttl', '10'],
        'accessTokenTtlSeconds must not be less than 60',
      ],
    ])('create refuses %j with exit 1 and one line on stderr, registering nothing', async (args, message) => {
      const refused = await runCli(['client', 'create', DOMAIN, '--name', 'refused-client', ...args], env);
      expect(refused).toMatchObject({ code: 1, stdout: '', stderr: `error: ${message}\n` });
      expect((await runCli(['client', 'list', DOMAIN], env)).stdout).not.toContain('refused-client');
    });

    it("disable refuses the client's credentials until enable", async () => {
      const { clientId, clientSecret } = await createConfidential();
      const disabled = await runCli(['client', 'disable', DOMAIN, clientId], env);
      expect(disabled).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(disabled.stdout)).toMatchObject({ clientId, status: 'disabled' });
      expect(JSON.parse((await runCli(['client', 'get', DOMAIN, clientId], env)).stdout)).toMatchObject({ status: 'disabled' });
      expect(await tokenStatus(clientId, clientSecret)).toBe(401);

      const enabled = await runCli(['client', 'enable', DOMAIN, clientId], env);
      expect(enabled).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(enabled.stdout)).toMatchObject({ clientId, status: 'active' });
      expect(await tokenStatus(clientId, clientSecret)).toBe(200);
    });

    it('rotate-secret prints a new secret once; the old one works for the grace period (--grace 0: not at all)', async () => {
      const { clientId, clientSecret: first } = await createConfidential();
      const rotated = await runCli(['client', 'rotate-secret', DOMAIN, clientId], env);
      expect(rotated).toMatchObject({ code: 0 });
      const { clientSecret: second, previousSecretValidUntil } = JSON.parse(rotated.stdout);
      expect(second).toMatch(SECRET);
      expect(second).not.toBe(first);
      expect(rotated.stdout.split(second)).toHaveLength(2);
      expect(rotated.stderr).toMatch(SHOWN_ONLY_NOW);
      expect(rotated.stderr).toContain(`The previous secret keeps working until ${previousSecretValidUntil}.`);
      expect(Date.parse(previousSecretValidUntil) - Date.now()).toBeGreaterThan(86_300_000);
      expect(await tokenStatus(clientId, second)).toBe(200);
      expect(await tokenStatus(clientId, first)).toBe(200);

      const again = await runCli(['client', 'rotate-secret', DOMAIN, clientId, '--grace', '0'], env);
      expect(again).toMatchObject({ code: 0 });
      const third = JSON.parse(again.stdout);
      expect(third).not.toHaveProperty('previousSecretValidUntil');
      expect(again.stderr).toMatch(SHOWN_ONLY_NOW);
      expect(again.stderr).toContain('The previous secret no longer works.');
      expect(await tokenStatus(clientId, third.clientSecret)).toBe(200);
      expect(await tokenStatus(clientId, second)).toBe(401);
      expect(await tokenStatus(clientId, first)).toBe(401);
      expect((await runCli(['client', 'get', DOMAIN, clientId], env)).stdout).not.toContain(third.clientSecret);
    });

    it('rotate-secret refuses a public client and an invalid grace with exit 1', async () => {
      const created = await runCli(['client', 'create', DOMAIN, '--name', 'mobile-app', '--type', 'public', '--grant', 'password'], env);
      const { clientId } = JSON.parse(created.stdout);
      expect(await runCli(['client', 'rotate-secret', DOMAIN, clientId], env)).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'error: A public client has no secret\n',
      });
      const confidential = await createConfidential();
      expect(await runCli(['client', 'rotate-secret', DOMAIN, confidential.clientId, '--grace', '-1'], env)).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'error: graceSeconds must not be less than 0\n',
      });
      expect(await tokenStatus(confidential.clientId, confidential.clientSecret)).toBe(200);
    });

    it('delete removes the client; its credentials stop working and a second delete fails with exit 1', async () => {
      const { clientId, clientSecret } = await createConfidential();
      const deleted = await runCli(['client', 'delete', DOMAIN, clientId], env);
      expect(deleted).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(deleted.stdout)).toEqual({ deleted: clientId });
      expect(JSON.parse((await runCli(['client', 'list', DOMAIN], env)).stdout)).not.toContainEqual(expect.objectContaining({ clientId }));
      expect(await tokenStatus(clientId, clientSecret)).toBe(401);
      expect(await runCli(['client', 'delete', DOMAIN, clientId], env)).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'error: Client not found\n',
      });
    });

    it.each([
      [['client', 'list', 'cli-nowhere'], 'Domain not found'],
      [['client', 'create', 'cli-nowhere', '--name', 'x', '--type', 'public', '--grant', 'password'], 'Domain not found'],
      [['client', 'get', DOMAIN, 'AAAAAAAAAAAAAAAAAAAAAA'], 'Client not found'],
      [['client', 'enable', DOMAIN, 'AAAAAAAAAAAAAAAAAAAAAA'], 'Client not found'],
      [['client', 'disable', DOMAIN, 'not-a-client-id'], 'Client not found'],
      [['client', 'rotate-secret', DOMAIN, 'AAAAAAAAAAAAAAAAAAAAAA'], 'Client not found'],
    ])('%j fails with exit 1: an unknown domain or client', async (args, message) => {
      expect(await runCli(args, env)).toMatchObject({ code: 1, stdout: '', stderr: `error: ${message}\n` });
    });
  });

  describe('the password prompt in a terminal', () => {
    beforeAll(async () => {
      expect((await runCli(['domain', 'create', 'cli-tty'], env)).code).toBe(0);
    });

    it('hides what is typed and creates the user when both entries match', async () => {
      const terminal = runCliInTerminal(['user', 'create', 'cli-tty', 'carol'], env);
      await terminal.waitFor('Password:');
      terminal.typeLine('typed-secret-4711');
      await terminal.waitFor('Repeat password:');
      terminal.typeLine('typed-secret-4711');

      expect(await terminal.exitCode).toBe(0);
      expect(terminal.screen()).toContain('"username": "carol"');
      expect(terminal.screen()).not.toContain('typed-secret');
      expect(await login('cli-tty', 'carol', 'typed-secret-4711')).toBe(200);
    });

    it('refuses two different entries with exit 1, creating nobody', async () => {
      const terminal = runCliInTerminal(['user', 'create', 'cli-tty', 'dave'], env);
      await terminal.waitFor('Password:');
      terminal.typeLine('first-secret-1234');
      await terminal.waitFor('Repeat password:');
      terminal.typeLine('other-secret-5678');

      expect(await terminal.exitCode).toBe(1);
      expect(terminal.screen()).toContain('error: passwords do not match');
      expect(terminal.screen()).not.toMatch(/first-secret|other-secret/);
      expect(await runCli(['user', 'disable', 'cli-tty', 'dave'], env)).toMatchObject({ code: 1, stderr: 'error: User not found\n' });
    });
  });
});

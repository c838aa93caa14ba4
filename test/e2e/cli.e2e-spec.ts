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
    // The service serves the embedded store on this port; every CLI run below connects to it.
    env = { STORE: 'embedded', DATA_DIR: dataDir, EMBEDDED_STORE_PORT: String(await freePort()), AUTH_USER_PASSWORD: '' };
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
      for (const text of ['tables', 'domain', 'user', 'session', 'rotate', 'keys', ...exitCodes]) expect(help.stdout).toContain(text);
    });

    it('of a group lists its commands', async () => {
      const help = await runCli(['user', '--help'], badEnv);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      for (const text of ['create <domain> <username>', 'set-password', 'disable', 'enable', ...exitCodes])
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

    it("shows and clears an account's login throttle, and lists a user's sessions", async () => {
      expect((await runCli(['domain', 'create', 'cli-locks'], env)).code).toBe(0);
      expect((await runCli(['user', 'create', 'cli-locks', 'erin'], env, 'correct-horse-battery-staple\n')).code).toBe(0);
      for (let i = 0; i < 5; i++) expect(await login('cli-locks', 'erin', 'wrong-password')).toBe(400);
      expect(await login('cli-locks', 'erin', 'correct-horse-battery-staple')).toBe(429);

      const shown = await runCli(['user', 'throttle', 'cli-locks', 'erin'], env);
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({ failures: 5, blockedUntil: expect.any(String) });
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

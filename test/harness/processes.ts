import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitUntilLive } from './wait-until-live.mjs';

export const ROOT = join(import.meta.dirname ?? process.cwd(), '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built operator CLI the way an operator (or the container's init step) does. */
export function runCli(args: string[], env: Record<string, string>, stdin = ''): Promise<CommandResult> {
  return runBuilt('cli/main.js', args, env, stdin);
}

/** Runs a built script of dist/ to its end (after `nodeArgs`); its environment is the test's plus `env`, or `env` alone. */
export function runBuilt(
  script: string,
  args: string[],
  env: Record<string, string>,
  stdin = '',
  { inherit = true, nodeArgs = [] as string[] } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', script), ...args], {
      env: inherit ? { ...process.env, ...env } : env,
      cwd: ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  publicUrl: string;
  internalUrl: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The Dockerfile's CMD and `npm start`: tracing's module first (it does nothing unless OTEL_* asks), then the service. */
export const SERVICE_ARGS = ['--import', './dist/tracing/register-tracing.js', 'dist/main.js'];

/** Starts the service exactly as the Dockerfile's CMD does, and waits for /health/live. */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const internalPort = await freePort();
  const child = spawn(process.execPath, SERVICE_ARGS, {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), INTERNAL_PORT: String(internalPort), ...env },
    cwd: ROOT,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const publicUrl = `http://127.0.0.1:${port}`;
  await waitUntilLive(child, publicUrl, () => output, 20_000);
  return {
    child,
    publicUrl,
    internalUrl: `http://127.0.0.1:${internalPort}`,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

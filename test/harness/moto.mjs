// Installs (once) and starts moto's server: a real AWS-protocol endpoint for DynamoDB and Secrets Manager.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const MOTO_REQUIREMENT = 'moto[server]==5.2.5';

/** The project's Python virtualenv (.venv), created on first use. */
function ensureVenv(root) {
  const venv = join(root, '.venv');
  if (!existsSync(join(venv, 'bin', 'pip'))) {
    const python = process.env.PYTHON ?? 'python3';
    execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  }
  return venv;
}

function pipInstall(venv, requirement) {
  execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', requirement], { stdio: 'inherit' });
}

export function ensureMoto(root) {
  const venv = join(root, '.venv');
  const server = join(venv, 'bin', 'moto_server');
  if (existsSync(server)) return server;
  console.log(`[harness] installing ${MOTO_REQUIREMENT} into .venv (first run only)`);
  pipInstall(ensureVenv(root), MOTO_REQUIREMENT);
  return server;
}

/**
 * Installs a Python package (`name` or `name==version`) into .venv unless that version is already
 * there, e.g. the linters the infra suite runs. Returns the venv's bin directory.
 */
export function ensurePythonTool(root, requirement) {
  const venv = ensureVenv(root);
  const [name, version] = requirement.split('==');
  let installed;
  try {
    const script = `import importlib.metadata as m; print(m.version(${JSON.stringify(name)}))`;
    installed = execFileSync(join(venv, 'bin', 'python'), ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    installed = undefined; // not installed
  }
  if (installed === undefined || (version !== undefined && installed !== version)) {
    console.log(`[harness] installing ${requirement} into .venv`);
    pipInstall(venv, requirement);
  }
  return join(venv, 'bin');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function waitUntilServing(endpoint, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('moto_server did not start in time');
}

/**
 * Starts moto on `port` (default: a free loopback port); resolves to { endpoint, port, pid, stop }.
 * Its state lives in the process: a restarted moto starts empty.
 */
export async function startMoto(root, { port: wanted } = {}) {
  ensureMoto(root);
  const port = wanted ?? (await freePort());
  const python = join(root, '.venv', 'bin', 'python');
  const launcher = join(root, 'test', 'harness', 'serial_moto_server.py');
  // No AWS_* of ours: inside the test run they name clients' settings (an empty AWS_PROFILE makes moto's boto3 fail).
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  const child = spawn(python, [launcher, '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(endpoint, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${stderr}`, { cause: error });
  }
  return {
    endpoint,
    port,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

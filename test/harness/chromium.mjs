// Installs (once per machine) the browser that browser e2e suites drive: Debian's `chromium`.
// playwright-core brings no browser, and CI reaches package registries but no browser download site:
// so the harness installs it with apt-get, as it installs moto with pip.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's package puts it; CHROMIUM_PATH overrides (e.g. a developer's own Chrome). */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

function canSudo() {
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false; // no sudo, or it wants a password
  }
}

/** Returns the Chromium executable's path, installing Debian's package first if it is missing. */
export function ensureChromium() {
  const wanted = process.env.CHROMIUM_PATH;
  if (wanted) {
    if (!existsSync(wanted)) throw new Error(`[harness] CHROMIUM_PATH=${wanted} does not exist`);
    return wanted;
  }
  if (existsSync(DEFAULT_CHROMIUM_PATH)) return DEFAULT_CHROMIUM_PATH;

  // CI runs as root; elsewhere only a password-less sudo can install without a prompt.
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && !canSudo())
    throw new Error(
      `[harness] the browser e2e suites need Chromium at ${DEFAULT_CHROMIUM_PATH}: install Debian's package ` +
        '(`sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium/Chrome executable',
    );
  // `env` carries DEBIAN_FRONTEND through sudo, which resets the environment: no debconf prompt.
  const [command, ...head] = [...(asRoot ? [] : ['sudo', '-n']), 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  const aptGet = (...args) => execFileSync(command, [...head, ...args], { stdio: 'inherit' });
  console.log(`[harness] ${DEFAULT_CHROMIUM_PATH} is missing: installing Debian's chromium (apt-get update && apt-get install chromium)`);
  aptGet('update', '-qq');
  aptGet('install', '-y', '-qq', '--no-install-recommends', 'chromium');
  if (!existsSync(DEFAULT_CHROMIUM_PATH))
    throw new Error(`[harness] apt-get installed chromium but ${DEFAULT_CHROMIUM_PATH} is still missing`);
  return DEFAULT_CHROMIUM_PATH;
}

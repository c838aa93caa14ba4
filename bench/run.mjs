// `npm run bench -- [--store embedded|aws] [--duration s] [--connections n] [--scenarios a,b] [--cpu-prof]`
// Starts the built service in production mode on loopback, drives each scenario with autocannon,
// measures its in-process ceiling in the same run, prints a markdown table and writes
// bench/results/<date>.json. Exits non-zero when anything answered wrong, not on missed targets.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { parseBenchArgs } from './lib/args.mjs';
import { documentClient } from './lib/dynamo.mjs';
import { assess, markdownTable, writeResults } from './lib/report.mjs';
import { startService } from './lib/service.mjs';
import { prepareStore } from './lib/store.mjs';
import { tokenChecker } from './lib/tokens.mjs';
import { clientCredentials } from './scenarios/client-credentials.mjs';
import { codeExchange } from './scenarios/code-exchange.mjs';
import { floor } from './scenarios/floor.mjs';
import { forwardAuth } from './scenarios/forward-auth.mjs';
import { introspection } from './scenarios/introspection.mjs';
import { jwks } from './scenarios/jwks.mjs';
import { login } from './scenarios/login.mjs';
import { oauthRefresh } from './scenarios/oauth-refresh.mjs';
import { peer } from './scenarios/peer.mjs';
import { refresh } from './scenarios/refresh.mjs';
import { sessionValid } from './scenarios/session-valid.mjs';
import { ssoCode } from './scenarios/sso-code.mjs';
import { tracing } from './scenarios/tracing.mjs';
import { verifier } from './scenarios/verifier.mjs';

const ROOT = join(import.meta.dirname, '..');
const RUNNERS = {
  login,
  refresh,
  'session-valid': sessionValid,
  'forward-auth': forwardAuth,
  introspection,
  jwks,
  verifier,
  peer,
  'oauth-refresh': oauthRefresh,
  'client-credentials': clientCredentials,
  'sso-code': ssoCode,
  'code-exchange': codeExchange,
  floor,
  tracing,
};
/** Seconds of unmeasured setup per second of load, beyond the usual (see the budget in main). */
const SETUP_PER_SECOND = { 'sso-code': 2, 'code-exchange': 10, tracing: 3 };
const print = (text) => process.stdout.write(`${text}\n`);

function gitCommit() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    // dist is built from the working tree: say so when src has uncommitted changes.
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? '+dirty' : ''}`;
  } catch {
    return undefined;
  }
}

/**
 * Where each measurement sits in the service's profile, for `profile-summary.mjs --window a-b`. A
 * row measured on other instances (tracing) says which: their own profiles, by pid.
 */
function profileWindows(rows, { spawnedAt, pid }, dir) {
  const seconds = (windows, from) => windows.map((window) => window.map((at) => ((at - from) / 1000).toFixed(1)).join('-')).join(' ');
  const where = (windows, profile) =>
    profile ? `${seconds(windows, profile.spawnedAt)} (profile of pid ${profile.pid})` : seconds(windows, spawnedAt);
  const lines = rows
    .filter((row) => row.service?.windows)
    .map(
      (row) =>
        `  ${row.scenario}: load ${where(row.service.windows, row.profiles?.load)}` +
        (row.ceiling ? `; ceiling ${where(row.ceiling.windows, row.profiles?.ceiling)}` : ''),
    );
  return [`CPU profile of the service (pid ${pid}) in ${dir}; windows in seconds since its start:`, ...lines].join('\n');
}

async function main() {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) return print(args.help);
  const outDir = args.out ?? join(ROOT, 'bench/results');
  // A hang must not outlive its budget: setup, then per scenario warm-ups, load and ceilings, and
  // for the hosted-login rows the browsers they sign in and the codes they make between slices.
  const budgetSeconds = 120 + args.scenarios.reduce((total, name) => total + (4 + (SETUP_PER_SECOND[name] ?? 0)) * args.duration + 20, 0);
  const cleanups = [];
  const watchdog = setTimeout(async () => {
    print(`[bench] FAILED: still running after ${budgetSeconds}s; stopping`);
    await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
    process.exit(2);
  }, budgetSeconds * 1000);
  watchdog.unref();

  print(
    `[bench] store=${args.store}${args.storeProcess ? ' (dynalite in its own process)' : ''} duration=${args.duration}s connections=${args.connections} scenarios=${args.scenarios.join(',')}`,
  );
  const store = await prepareStore(args.store, ROOT, { storeProcess: args.storeProcess });
  cleanups.unshift(store.stop);
  const profileDir = args.cpuProf ? join(outDir, 'profiles') : undefined;
  const serviceDir = args.serviceDir ?? ROOT;
  const service = await startService(serviceDir, store.env, { profileDir });
  cleanups.unshift(service.stop);
  const ddb = documentClient(store.dynamo);
  const rows = [];
  try {
    const user = { domain: 'bench', username: 'bench-user', password: randomBytes(18).toString('base64url') };
    await service.createDomain(user.domain);
    await service.createUser(user.domain, user.username, user.password);
    const ctx = {
      root: ROOT,
      serviceDir,
      scenarios: args.scenarios,
      store,
      service,
      ddb,
      tables: store.tables,
      user,
      checker: await tokenChecker(service.publicUrl, user.domain),
      connections: args.connections,
      measureOptions: { duration: args.duration, rounds: args.rounds, servicePid: service.pid },
      refreshPool: [],
      profileDir,
      /** What the watchdog stops; a scenario that starts processes puts their stops first. */
      cleanups,
    };
    // Fresh single-use tokens, by logging in (a few at a time: each login is an argon2 verify).
    ctx.topUpPool = async (size) => {
      while (ctx.refreshPool.length < size) {
        const batch = Math.min(8, size - ctx.refreshPool.length);
        ctx.refreshPool.push(
          ...(await Promise.all(Array.from({ length: batch }, () => service.login(user.domain, user.username, user.password)))),
        );
      }
    };
    for (const name of args.scenarios) {
      // With refresh selected, the peer is measured by it, interleaved with the service.
      if (name === 'peer' && args.scenarios.includes('refresh')) continue;
      print(`[bench] ${name}${name === 'refresh' && args.scenarios.includes('peer') ? ' and peer' : ''}...`);
      const result = await RUNNERS[name](ctx).catch((error) => ({ scenario: name, problems: [`crashed: ${error.stack ?? error}`] }));
      for (const row of [result].flat()) {
        rows.push(row);
        if (row.problems.length > 0) print(`[bench] ${row.scenario}: ${row.problems.join('\n  ')}`);
      }
    }
  } finally {
    ddb.destroy();
    await service.stop();
    await store.stop();
    clearTimeout(watchdog);
  }

  assess(rows);
  const report = {
    date: new Date().toISOString(),
    store: args.store,
    storeProcess: args.storeProcess,
    serviceDir,
    options: { duration: args.duration, connections: args.connections, rounds: args.rounds, scenarios: args.scenarios },
    machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model },
    commit: gitCommit(),
    serviceSpawnedAt: service.spawnedAt,
    rows,
  };
  const file = await writeResults(outDir, report);
  print(
    `\n## auth-service bench: store=${args.store}${args.storeProcess ? ' (dynalite in its own process)' : ''}, ${args.connections} connections, ${args.duration}s per measurement\n`,
  );
  print(markdownTable(rows));
  print(`\nresults: ${file}`);
  if (profileDir) print(profileWindows(rows, service, profileDir));
  for (const row of rows.filter((r) => r.missed.length > 0)) print(`[bench] target missed: ${row.scenario}: ${row.missed.join('; ')}`);
  const failed = rows.filter((row) => row.problems.length > 0);
  if (failed.length > 0) {
    print(`[bench] FAILED (correctness): ${failed.map((row) => row.scenario).join(', ')}`);
    for (const row of failed) print(`  ${row.scenario}:\n    ${row.problems.join('\n    ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`[bench] FAILED: ${error.stack ?? error}\n`);
  process.exit(1);
});

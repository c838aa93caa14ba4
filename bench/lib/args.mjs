// Command-line flags of `npm run bench -- [flags]`.
import { parseArgs } from 'node:util';

export const SCENARIOS = [
  'login',
  'refresh',
  'session-valid',
  'forward-auth',
  'jwks',
  'verifier',
  'peer',
  'oauth-refresh',
  'client-credentials',
  'introspection',
  'sso-code',
  'code-exchange',
  'floor',
  'tracing',
];

const USAGE = `usage: npm run bench -- [--store embedded|aws] [--duration s] [--connections n] [--scenarios a,b]
  --store        embedded (dynalite + key files, default) or aws (moto, the tests' emulator)
  --duration     seconds of load per measurement (default 10); warm-up is extra
  --connections  concurrent HTTP connections = in-process workers of the ceilings (default 16)
  --scenarios    comma-separated subset of ${SCENARIOS.join(',')}
  --rounds       alternating slices per comparison (default 4): service and ceiling take turns
  --service-dir  a checkout whose built dist/ to benchmark instead of this one (before/after)
  --store-process  embedded only: serve dynalite from its own process (the service connects to it),
                 to measure the service with the store off its event loop
  --cpu-prof     run the service under node --cpu-prof (profiles land in bench/results/profiles)
  --out          results directory (default bench/results)`;

export function parseBenchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      store: { type: 'string', default: 'embedded' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '16' },
      rounds: { type: 'string', default: '4' },
      'service-dir': { type: 'string' },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      'cpu-prof': { type: 'boolean', default: false },
      'store-process': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: USAGE };
  const problems = [];
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const rounds = Number(values.rounds);
  const scenarios = values.scenarios
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!['embedded', 'aws'].includes(values.store)) problems.push(`--store must be embedded or aws (got ${values.store})`);
  if (!(duration >= 1 && duration <= 600)) problems.push(`--duration must be 1..600 seconds (got ${values.duration})`);
  if (!(Number.isInteger(connections) && connections >= 1 && connections <= 256)) problems.push('--connections must be 1..256');
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20)) problems.push('--rounds must be 1..20');
  for (const name of scenarios) if (!SCENARIOS.includes(name)) problems.push(`unknown scenario ${name}`);
  if (values['store-process'] && values.store !== 'embedded') problems.push('--store-process needs --store embedded');
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${USAGE}`);
  return {
    store: values.store,
    duration,
    connections,
    rounds,
    scenarios,
    serviceDir: values['service-dir'],
    cpuProf: values['cpu-prof'],
    storeProcess: values['store-process'],
    out: values.out,
  };
}

// Command-line flags of `npm run bench -- [flags]`.
import { parseArgs } from 'node:util';

export const SCENARIOS = ['login', 'refresh', 'session-valid', 'jwks', 'verifier', 'peer'];

const USAGE = `usage: npm run bench -- [--store embedded|aws] [--duration s] [--connections n] [--scenarios a,b]
  --store        embedded (dynalite + key files, default) or aws (moto, the tests' emulator)
  --duration     seconds of load per measurement (default 10); warm-up is extra
  --connections  concurrent HTTP connections = in-process workers of the ceilings (default 16)
  --scenarios    comma-separated subset of ${SCENARIOS.join(',')}
  --cpu-prof     run the service under node --cpu-prof (profiles land in bench/results/profiles)
  --out          results directory (default bench/results)`;

export function parseBenchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      store: { type: 'string', default: 'embedded' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '16' },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      'cpu-prof': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: USAGE };
  const problems = [];
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const scenarios = values.scenarios
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!['embedded', 'aws'].includes(values.store)) problems.push(`--store must be embedded or aws (got ${values.store})`);
  if (!(duration >= 1 && duration <= 600)) problems.push(`--duration must be 1..600 seconds (got ${values.duration})`);
  if (!(Number.isInteger(connections) && connections >= 1 && connections <= 256)) problems.push('--connections must be 1..256');
  for (const name of scenarios) if (!SCENARIOS.includes(name)) problems.push(`unknown scenario ${name}`);
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${USAGE}`);
  return { store: values.store, duration, connections, scenarios, cpuProf: values['cpu-prof'], out: values.out };
}

// How numbers are taken. A "side" is one thing under load: the service over HTTP (autocannon), an
// in-process ceiling loop (N async workers), or the peer. The sides a ratio compares are measured
// in alternating slices (A B, B A, A B, ...) so that whatever else the machine does at the time
// lands on both, instead of on whichever happened to run during a busy spell.
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { coresUsed, sampleCpu } from './cpu.mjs';

const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * HTTP load with autocannon's request list (hooks included); `before(seconds)` runs unmeasured
 * before each slice. `ok(status)` says which answers are right (2xx unless told: a redirect for the
 * authorization endpoint); the others count as errors and their latencies are left out.
 * `servicePid`: the process whose CPU is this side's "service" (default: measure's), when two
 * services take turns.
 */
export function httpSide({ url, connections, requests, before, ok = (status) => status >= 200 && status < 300, servicePid }) {
  return {
    kind: 'http',
    servicePid,
    async run(seconds, record) {
      await before?.(seconds);
      const latencies = [];
      const tracker = autocannon({ url, connections, pipelining: 1, timeout: 10, requests, duration: seconds });
      if (record) tracker.on('response', (_client, status, _bytes, ms) => ok(status) && latencies.push(ms));
      const result = await tracker;
      const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
      const wrong = Object.entries(statusCodes).reduce((total, [code, count]) => total + (ok(Number(code)) ? 0 : count), 0);
      // errors = socket errors (timeouts included) + answers that are not right
      return { latencies, count: result.requests.total, seconds: result.duration, errors: result.errors + wrong, statusCodes };
    },
  };
}

/** `side` with `before(seconds)` run unmeasured before each of its slices (an in-process loop's supplies). */
export function withBefore(side, before) {
  return { ...side, run: async (seconds, record) => (await before(seconds), side.run(seconds, record)) };
}

/** `iteration(worker)` in `concurrency` parallel async loops: the in-process ceilings. */
export function loopSide({ concurrency, iteration }) {
  return {
    kind: 'loop',
    async run(seconds, record) {
      const end = performance.now() + seconds * 1000;
      const latencies = [];
      let count = 0;
      let errors = 0;
      let firstError;
      const worker = async (index) => {
        while (performance.now() < end) {
          const start = performance.now();
          try {
            await iteration(index);
            count += 1;
            if (record) latencies.push(performance.now() - start);
          } catch (error) {
            errors += 1;
            firstError ??= String(error?.message ?? error);
          }
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
      return { latencies, count, seconds: (performance.now() - started) / 1000, errors, firstError };
    },
  };
}

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarize(kind, slices) {
  const sum = (key) => slices.reduce((total, slice) => total + slice[key], 0);
  const rps = sum('count') / sum('seconds');
  const sorted = Float64Array.from(slices.flatMap((slice) => slice.latencies)).sort();
  const cpu = coresUsed(slices.map((slice) => slice.cpu));
  // CPU ms one request cost, whatever else the machine did. Autocannon's CPU is the client's, not the request's.
  const parts = kind === 'http' ? ['service', 'children'] : ['service', 'bench', 'children'];
  const costMs = cpu && rps > 0 ? round((parts.reduce((total, part) => total + cpu[part], 0) / rps) * 1000, 3) : undefined;
  // The same per process: the service alone, this process (autocannon or loop), emulator and peer.
  const costByPart =
    cpu && rps > 0 ? Object.fromEntries(Object.entries(cpu).map(([part, cores]) => [part, round((cores / rps) * 1000, 3)])) : undefined;
  const statusCodes = {};
  for (const slice of slices)
    for (const [code, n] of Object.entries(slice.statusCodes ?? {})) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    rps: round(rps, 1),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    errors: sum('errors'),
    firstError: slices.find((slice) => slice.firstError)?.firstError,
    total: sum('count'),
    ...(kind === 'http' ? { statusCodes } : {}),
    cpu,
    costMs,
    costByPart,
    windows: slices.map((slice) => slice.window),
  };
}

/**
 * Measures every side for `duration` seconds in total, after one warm-up each, in `rounds`
 * alternating slices. Resolves to a summary per side name: req/s, p50/p99 ms, errors, CPU.
 */
export async function measure(sides, { duration, rounds = 4, warmup = 2, servicePid }) {
  const names = Object.keys(sides);
  for (const name of names) if (warmup > 0) await sides[name].run(warmup, false);
  const slices = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const cpu = sampleCpu(sides[name].servicePid ?? servicePid);
      const start = Date.now();
      const result = await sides[name].run(duration / rounds, true);
      slices[name].push({ ...result, cpu: cpu(), window: [start, Date.now()] });
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarize(sides[name].kind, slices[name])]));
}

// The two ways a number is measured: autocannon against HTTP, and N async workers in-process.
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { sampleCpu } from './cpu.mjs';

const WARMUP_SECONDS = 2;

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * CPU milliseconds one request (or iteration) cost, whatever the machine was doing otherwise:
 * `parts` names what counts (autocannon's own CPU is the client's, not the request's cost).
 */
function costMs(cpu, rps, parts) {
  if (!cpu || !(rps > 0)) return undefined;
  return round((parts.reduce((sum, part) => sum + cpu[part], 0) / rps) * 1000, 3);
}

/**
 * Drives `url` with autocannon: a warm-up run, then the measured one. `requests` is autocannon's
 * request list (hooks included); errors = socket errors (timeouts included) + non-2xx.
 */
export async function drive({ url, connections, duration, requests, warmup = WARMUP_SECONDS, servicePid }) {
  const options = { url, connections, pipelining: 1, timeout: 10, requests };
  if (warmup > 0) await autocannon({ ...options, duration: warmup });
  const cpu = sampleCpu(servicePid);
  const start = Date.now();
  const result = await autocannon({ ...options, duration });
  const usage = cpu();
  const rps = round(result.requests.total / result.duration, 1);
  return {
    window: [start, Date.now()],
    cpu: usage,
    costMs: costMs(usage, rps, ['service', 'children']),
    rps,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    total: result.requests.total,
    ok: result['2xx'],
  };
}

/**
 * Runs `iteration(worker)` in `concurrency` parallel async loops for `duration` seconds (after a
 * warm-up) and reports iterations/s with latency percentiles: the in-process ceilings.
 */
export async function loop({ concurrency, duration, iteration, warmup = WARMUP_SECONDS, servicePid }) {
  const run = async (seconds, record) => {
    const end = performance.now() + seconds * 1000;
    const latencies = [];
    let errors = 0;
    let firstError;
    const worker = async (index) => {
      while (performance.now() < end) {
        const start = performance.now();
        try {
          await iteration(index);
          if (record) latencies.push(performance.now() - start);
        } catch (error) {
          errors += 1;
          firstError ??= error;
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
    return { latencies, errors, firstError, elapsed: (performance.now() - started) / 1000 };
  };
  if (warmup > 0) await run(warmup, false);
  const cpu = sampleCpu(servicePid);
  const start = Date.now();
  const { latencies, errors, firstError, elapsed } = await run(duration, true);
  const window = [start, Date.now()];
  const usage = cpu();
  const sorted = Float64Array.from(latencies).sort();
  const rps = round(latencies.length / elapsed, 1);
  return {
    rps,
    costMs: costMs(usage, rps, ['service', 'bench', 'children']),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    errors,
    firstError: firstError && String(firstError.message ?? firstError),
    total: latencies.length,
    window,
    cpu: usage,
  };
}

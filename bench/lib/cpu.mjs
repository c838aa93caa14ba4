// Where the CPU went during a measurement, from /proc (Linux): the service process, this bench
// process (autocannon or the in-process loops), its other children (moto, the peer, a dynalite
// process), and everything else on the machine, which on a shared box is the noise.
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';

const CORES = cpus().length;
export const CPU_PARTS = ['service', 'bench', 'children', 'others'];
/** The service's main thread (event loop), a share of `service`; the rest is libuv (argon2), GC and worker threads. */
const SERVICE_MAIN = 'serviceMainThread';

function machineJiffies() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { total, busy: total - idle };
}

/** pid -> { ppid, jiffies } of every live process (fields after the command name, see proc(5)). */
function processes() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(rest[1]), jiffies: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // exited meanwhile
    }
  }
  return table;
}

function threadJiffies(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return 0;
  }
}

function snapshot(servicePid) {
  const table = processes();
  const ours = (pid) => {
    for (let at = pid, hops = 0; at > 1 && hops < 64; hops += 1) {
      if (at === process.pid) return true;
      at = table.get(at)?.ppid ?? 0;
    }
    return false;
  };
  const parts = { service: 0, bench: 0, children: 0 };
  for (const [pid, { jiffies }] of table) {
    if (pid === servicePid) parts.service += jiffies;
    else if (pid === process.pid) parts.bench += jiffies;
    else if (ours(pid)) parts.children += jiffies;
  }
  return { machine: machineJiffies(), ...parts, [SERVICE_MAIN]: servicePid ? threadJiffies(servicePid) : 0 };
}

/**
 * Starts a sample; the returned function ends it with jiffies per part and `span` (jiffies of one
 * core over the sample), which add up across samples. Undefined off Linux.
 */
export function sampleCpu(servicePid) {
  if (process.platform !== 'linux') return () => undefined;
  const before = snapshot(servicePid);
  return () => {
    const after = snapshot(servicePid);
    const used = Object.fromEntries(['service', 'bench', 'children', SERVICE_MAIN].map((part) => [part, after[part] - before[part]]));
    const busy = after.machine.busy - before.machine.busy;
    used.others = Math.max(0, busy - used.service - used.bench - used.children);
    return { ...used, span: (after.machine.total - before.machine.total) / CORES };
  };
}

/** Sums samples and turns them into cores used per part. */
export function coresUsed(samples) {
  const valid = samples.filter(Boolean);
  const span = valid.reduce((sum, sample) => sum + sample.span, 0);
  if (span <= 0) return undefined;
  const cores = (part) => Math.round((valid.reduce((sum, sample) => sum + sample[part], 0) / span) * 100) / 100;
  return Object.fromEntries([...CPU_PARTS, SERVICE_MAIN].map((part) => [part, cores(part)]));
}

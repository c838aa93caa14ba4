// Where the CPU went during a measurement, from /proc (Linux): the service process, this bench
// process (autocannon or the in-process loops), its other children (moto, the peer), and everything
// else on the machine. On a shared 2-core box the last one is noise: such measurements are flagged.
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';

const CORES = cpus().length;

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

function snapshot(servicePid) {
  const table = processes();
  const ours = (pid) => {
    for (let at = pid, hops = 0; at > 1 && hops < 64; hops += 1) {
      if (at === process.pid) return true;
      at = table.get(at)?.ppid ?? 0;
    }
    return false;
  };
  let service = 0;
  let bench = 0;
  let children = 0;
  for (const [pid, { jiffies }] of table) {
    if (pid === servicePid) service += jiffies;
    else if (pid === process.pid) bench += jiffies;
    else if (ours(pid)) children += jiffies;
  }
  return { machine: machineJiffies(), service, bench, children };
}

/** Starts a sample; the returned function ends it with the cores each part used meanwhile. */
export function sampleCpu(servicePid) {
  if (process.platform !== 'linux') return () => undefined;
  const before = snapshot(servicePid);
  return () => {
    const after = snapshot(servicePid);
    const elapsed = (after.machine.total - before.machine.total) / CORES; // jiffies of one core
    if (elapsed <= 0) return undefined;
    const cores = (jiffies) => Math.round((jiffies / elapsed) * 100) / 100;
    const [service, bench, children] = ['service', 'bench', 'children'].map((part) => after[part] - before[part]);
    const others = after.machine.busy - before.machine.busy - service - bench - children;
    return { service: cores(service), bench: cores(bench), children: cores(children), others: cores(Math.max(0, others)) };
  };
}

// Ratios, verdicts, the markdown table and the JSON file.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** Cores used by processes outside the bench above which a measurement is flagged as noisy. */
const NOISE_CORES = 0.25;
const CORES = cpus().length;

const fixed = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** Adds ratio, peer ratio and a verdict to each row; a row's `peerScenario` names the peer row that feeds it. */
export function assess(rows) {
  for (const row of rows) {
    const peer = row.peerScenario && rows.find((other) => other.scenario === row.peerScenario);
    const rps = row.service?.rps;
    row.ratio = row.ceiling ? rps / row.ceiling.rps : undefined;
    // The same comparison in CPU cost per request: immune to what else the machine runs.
    row.cpuRatio = row.ceiling?.costMs && row.service?.costMs ? row.ceiling.costMs / row.service.costMs : undefined;
    row.peerRatio = peer?.service ? rps / peer.service.rps : undefined;
    row.peerCpuRatio = row.peerRatio && peer.service.costMs && row.service.costMs ? peer.service.costMs / row.service.costMs : undefined;
    if (row.perVcpu && row.service?.cpu && rps > 0) row.perVcpu = { ...row.perVcpu, ...perVcpu(row.service) };
    if (row.service && row.service.errors > 0) row.problems.push(`${row.service.errors} errors (non-2xx, socket errors or timeouts)`);
    if (row.ceiling?.errors > 0) row.problems.push(`ceiling loop failed ${row.ceiling.errors} times: ${row.ceiling.firstError}`);
    const missed = [];
    if (row.target !== undefined && !(row.ratio >= row.target)) missed.push(`ratio ${fixed(row.ratio, 2)} < ${row.target}`);
    if (row.peerTarget !== undefined && !(row.peerRatio >= row.peerTarget))
      missed.push(`peer ratio ${fixed(row.peerRatio, 2)} < ${row.peerTarget}`);
    row.missed = missed;
    if (row.problems.length > 0) row.verdict = 'FAIL (correctness)';
    else if (row.target === undefined && row.peerTarget === undefined) row.verdict = 'info';
    else row.verdict = missed.length > 0 ? 'MISS' : 'pass';
  }
  return rows;
}

/**
 * Requests per second per core, three ways: per core the service process used (all its threads:
 * event loop, libuv, GC, and the embedded store's worker when the store is embedded); per core of
 * server + store (the service or peer process and the emulator/peer children: 1000 / cpu ms/req);
 * per vCPU of the machine (autocannon and everything else included).
 */
function perVcpu(summary) {
  const { cpu, costMs, rps } = summary;
  const per = (cores) => (cores > 0 ? Math.round(rps / cores) : undefined);
  return {
    serviceCores: cpu.service,
    perServiceCore: per(cpu.service),
    perServerAndStoreCore: costMs ? Math.round(1000 / costMs) : undefined,
    perMachineVcpu: per(CORES),
  };
}

export function markdownTable(rows) {
  const lines = [
    '| scenario | req/s | p50 ms | p99 ms | errors | ceiling/s | ratio | peer ratio | target | result | cpu ms/req | ceiling cpu ms | cpu ratio |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|--:|--:|',
  ];
  for (const row of rows) {
    const s = row.service;
    const targets = [row.target && `≥ ${row.target} ceiling`, row.peerTarget && `≥ ${row.peerTarget}× peer`].filter(Boolean).join(', ');
    lines.push(
      `| ${row.scenario} | ${fixed(s?.rps)} | ${fixed(s?.p50, 1)} | ${fixed(s?.p99, 1)} | ${s ? s.errors : '–'} | ` +
        `${fixed(row.ceiling?.rps)} | ${fixed(row.ratio, 2)} | ${fixed(row.peerRatio, 2)} | ${targets || '–'} | ${row.verdict} | ` +
        `${fixed(s?.costMs, 2)} | ${fixed(row.ceiling?.costMs, 2)} | ${fixed(row.cpuRatio, 2)} |`,
    );
  }
  const notes = rows.filter((row) => row.ceiling?.what).map((row) => `- ${row.scenario} ceiling: ${row.ceiling.what}`);
  for (const row of rows.filter((r) => r.ceiling?.parts)) {
    const { storeOnly, joseOnly, harmonic, jose = 'jose verify+sign' } = row.ceiling.parts;
    const cost = (part) => (part.costMs ? ` (${fixed(part.costMs, 2)} cpu ms)` : '');
    notes.push(
      `- ${row.scenario} ceiling parts: store calls only ${fixed(storeOnly.rps)}/s${cost(storeOnly)}, ` +
        `${jose} only ${fixed(joseOnly.rps)}/s${cost(joseOnly)} (harmonic ${harmonic}/s)`,
    );
  }
  for (const row of rows.filter((r) => r.peerCpuRatio)) {
    notes.push(
      `- ${row.scenario} vs peer in CPU per request: ${fixed(row.peerCpuRatio, 2)}× (service ${row.service.costMs} ms, peer ${fixed(row.peerRatio && row.service.costMs * row.peerCpuRatio, 3)} ms)`,
    );
  }
  for (const row of rows.filter((r) => r.perVcpu?.perServerAndStoreCore)) {
    const v = row.perVcpu;
    const against = v.reference
      ? `; ${v.referenceName}: ${v.reference}/s per vCPU (${fixed(v.perServiceCore / v.reference, 1)}× per service core)`
      : '';
    const own = row.peerScenario ? `${fixed(v.perServiceCore)}/s per core of the service process (${v.serviceCores} cores used), ` : '';
    notes.push(
      `- ${row.scenario} per vCPU: ${own}${fixed(v.perServerAndStoreCore)}/s per core of server + store, ` +
        `${fixed(v.perMachineVcpu)}/s per vCPU of the machine (${fixed(row.service.rps)}/s over ${CORES}, autocannon included)${against}`,
    );
  }
  for (const row of rows.filter((r) => r.tracingCost)) {
    const { eventLoopMsPerRequest, processMsPerRequest, cpuMsPerRequest, sinkMsPerRequest } = row.tracingCost;
    const spans = row.spans?.spansPerRequest ? `; ${row.spans.spansPerRequest} spans a request, ${row.spans.exports} exports` : '';
    notes.push(
      `- ${row.scenario} cost of tracing, cpu ms/req: ${fixed(eventLoopMsPerRequest, 3)} on the service's event loop, ` +
        `${fixed(processMsPerRequest, 3)} in its process, ${fixed(cpuMsPerRequest, 3)} in all (services, store, sink; ` +
        `the OTLP sink ${fixed(sinkMsPerRequest, 3)})${spans}`,
    );
  }
  const usage = (cpu) => (cpu ? `${cpu.service} / ${cpu.bench} / ${cpu.children} / ${cpu.others}` : '–');
  notes.push(
    '',
    'cpu ms/req: CPU of the service process and the emulator/peer per request (autocannon excluded); for in-process',
    "loops, all of it. cpu ratio = ceiling cpu ms / service cpu ms: the ratio with the machine's other load taken out.",
    '',
    'CPU in cores (service process / bench process / emulator and peer / other processes on the machine):',
  );
  for (const row of rows.filter((r) => r.service)) {
    const cost = row.service.costByPart;
    const own = cost ? ` (service process alone ${cost.service} ms/req, its main thread ${cost.serviceMainThread})` : '';
    notes.push(`- ${row.scenario}: load ${usage(row.service.cpu)}${own}${row.ceiling ? `; ceiling ${usage(row.ceiling.cpu)}` : ''}`);
  }
  const noisy = rows.filter((row) => [row.service?.cpu, row.ceiling?.cpu].some((cpu) => cpu?.others > NOISE_CORES));
  if (noisy.length > 0) {
    notes.push(
      `- WARNING: other processes used > ${NOISE_CORES} cores during ${noisy.map((row) => row.scenario).join(', ')}: those numbers are noisy`,
    );
  }
  return [...lines, '', ...notes].join('\n');
}

export async function writeResults(dir, report) {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${report.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

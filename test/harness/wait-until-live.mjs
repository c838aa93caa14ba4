// Shared by the e2e harness and the bench: wait for a spawned service's /health/live.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolves once `publicUrl`/health/live answers 2xx; throws with the process's output if it
 * exits first or is not live within `timeoutMs` (then it is killed).
 */
export async function waitUntilLive(child, publicUrl, output, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service did not become live:\n${output()}`);
    }
    const live = await fetch(`${publicUrl}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (live) return;
    await sleep(100);
  }
}

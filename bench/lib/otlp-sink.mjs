// Forks the OTLP/HTTP sink of the tracing scenario (otlp-sink-server.mjs) and asks it what it got.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/**
 * Resolves to { url (for OTEL_EXPORTER_OTLP_ENDPOINT), pid, summary(), stop() }. `summary()`:
 * exports received, their bytes, spans by "kind name", leaks found in their attributes, the
 * sink's own CPU ms so far.
 */
export async function startOtlpSink() {
  const child = fork(join(import.meta.dirname, 'otlp-sink-server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reply = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message.type !== type) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(message);
      };
      const onExit = (code) => reject(new Error(`OTLP sink exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { port } = await reply('ready');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async summary() {
      const answer = reply('summary');
      child.send({ type: 'summary' });
      return answer;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

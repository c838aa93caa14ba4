// Preloaded into a spawned service by the tracing suite (NODE_OPTIONS=--import=<this file>): notes
// every module the process resolves, by require or import, and writes their URLs, one a line, to
// $LOADED_MODULES_FILE when the process exits.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const resolved = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    resolved.add(result.url);
    return result;
  },
});
if (isMainThread) process.on('exit', () => writeFileSync(process.env.LOADED_MODULES_FILE, [...resolved].join('\n')));

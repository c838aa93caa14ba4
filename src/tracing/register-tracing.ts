// The service starts as `node --import ./dist/tracing/register-tracing.js dist/main.js` (npm start,
// the image's CMD): this module runs before the app is loaded, which is the only time tracing can
// be set up. The instrumentations patch modules as they are loaded, and an ES module is patched
// through a loader hook that must be registered before the modules it wraps are imported.
//
// Tracing off (no OTEL_* variable asks for it, see tracing-settings.ts): nothing else is loaded,
// no hook is registered, and the service runs exactly as without this module.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { tracingSettings } from './tracing-settings.js';

// Read before config exists (config/ reads process.env for the app; this runs before the app).
// Worker threads inherit --import: the embedded store's thread would trace its own HTTP server.
const settings = isMainThread ? tracingSettings(process.env) : undefined;

if (settings) {
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  // The hook then wraps only the modules an instrumentation asks for, not every module of the app.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, registerOptions);
  const { startTracing } = await import('./start-tracing.js');
  startTracing(settings);
  await waitForAllMessagesAcknowledged();
}

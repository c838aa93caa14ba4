// `--store-process`: serves the embedded store from a process of its own, on the port the service
// would use. The service finds the port taken and connects to it (as its CLI does), so its event
// loop no longer runs dynalite: the measured "after" of moving dynalite off the service's thread.
// usage (forked by store.mjs): node bench/lib/dynalite-server.mjs <dataDir> <port>
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import dynalite from 'dynalite';

const [dataDir, port] = process.argv.slice(2);
const path = join(dataDir, 'dynamodb');
await mkdir(path, { recursive: true, mode: 0o700 });
// The options of src/aws/embedded-dynamo.ts.
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

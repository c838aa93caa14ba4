// The floor rows: login and the session check served by bench/floor/server.mjs (bare node:http, the
// same store calls, no framework), against the same ceilings as the service's rows. They show how
// much of a ceiling any implementation of these routes can reach on this machine and store, and so
// how much of the gap is the service's own.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../lib/store.mjs';
import { httpSide, measure } from '../lib/measure.mjs';
import { ARGON2_CEILING, argon2Ceiling, loginRequests } from './login.mjs';
import { GET_ITEM_CEILING, getItemCeiling, liveSessionIds, validRequests } from './session-valid.mjs';

async function startFloor(ctx) {
  const port = await freePort();
  const child = fork(join(ctx.root, 'bench/floor/server.mjs'), [], {
    cwd: ctx.root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      FLOOR_PORT: String(port),
      FLOOR_DYNAMO: JSON.stringify(ctx.store.dynamo),
      FLOOR_TABLES: JSON.stringify(ctx.tables),
      FLOOR_SERVICE_DIR: ctx.serviceDir,
    },
  });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`floor server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill() };
}

export async function floor(ctx) {
  const server = await startFloor(ctx);
  const options = { ...ctx.measureOptions, servicePid: server.pid };
  const side = (requests) => httpSide({ url: server.url, connections: ctx.connections, requests });
  try {
    const tokens = [];
    const loginProblems = [];
    const argon2 = await argon2Ceiling(ctx);
    const login = await measure(
      {
        service: side(loginRequests(ctx, tokens, loginProblems)),
        withoutStore: side(loginRequests(ctx, tokens, loginProblems, '/login-without-store')),
        ceiling: argon2,
      },
      options,
    );
    if (tokens.length === 0) loginProblems.push('the floor server issued no token');
    const ids = await liveSessionIds(ctx);
    const validProblems = [];
    const valid = await measure({ service: side(validRequests(ids, validProblems)), ceiling: getItemCeiling(ctx, ids) }, options);
    return [
      {
        scenario: 'floor: login, bare node:http',
        service: login.service,
        ceiling: { ...login.ceiling, what: ARGON2_CEILING },
        problems: loginProblems,
      },
      {
        scenario: 'floor: login without its 2 store calls',
        service: login.withoutStore,
        ceiling: { ...login.ceiling, what: ARGON2_CEILING },
        problems: [],
      },
      {
        scenario: 'floor: session valid, bare node:http',
        service: valid.service,
        ceiling: { ...valid.ceiling, what: GET_ITEM_CEILING },
        problems: validProblems,
      },
    ];
  } finally {
    server.stop();
  }
}

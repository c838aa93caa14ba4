// Forks the peer (server.mjs) in production mode and talks to it over IPC.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../lib/store.mjs';

export async function startPeer(root, store) {
  const port = await freePort();
  const clientSecret = randomBytes(24).toString('base64url');
  const child = fork(join(root, 'bench/peer/server.mjs'), [], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PEER_PORT: String(port),
      PEER_TABLE: `bench-${store.run}-oidc`,
      PEER_DYNAMO: JSON.stringify(store.dynamo),
      PEER_CLIENT_SECRET: clientSecret,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const next = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message.type === type) done(resolve, message);
        else if (message.type === 'error') done(reject, new Error(`peer: ${message.message}`));
      };
      const onExit = (code) => done(reject, new Error(`peer exited with ${code}:\n${output}`));
      const done = (settle, value) => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        settle(value);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });

  const { issuer } = await next('ready');
  return {
    url: issuer,
    clientId: 'bench-client',
    /** The stored client of the OAuth grants (the same secret). */
    oauthClientId: 'bench-oauth',
    clientSecret,
    output: () => output,
    /** Refresh tokens of fresh grants: OpenID ones of `bench-client`, or with `oauth` ones of `bench-oauth`. */
    async mint(count, { oauth = false } = {}) {
      const reply = next('minted');
      child.send({ type: 'mint', count, oauth });
      return (await reply).tokens;
    },
    /** The public app of the hosted-login rows, and where its browsers are sent. */
    spaClientId: 'bench-spa',
    /** Authorization codes of `bench-spa`, one per { challenge, nonce }. One call at a time, like `mint`. */
    async mintCodes(attempts) {
      const reply = next('minted');
      child.send({ type: 'mint-codes', attempts });
      return (await reply).tokens;
    },
    /** `Cookie` headers of `count` browsers signed in to `bench-spa`. */
    async mintBrowsers(count) {
      const reply = next('minted');
      child.send({ type: 'mint-browsers', count });
      return (await reply).tokens;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

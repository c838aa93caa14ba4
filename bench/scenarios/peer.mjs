// 5. The peer: node-oidc-provider's refresh_token grant (rotating, single use) on the same store.
// Measured by the refresh scenario, interleaved with it; alone when refresh is not selected.
import { URL } from 'node:url';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { chainedRequests } from '../lib/chain.mjs';
import { httpSide, measure } from '../lib/measure.mjs';
import { startPeer } from '../peer/peer-process.mjs';

/** Starts the peer; resolves to { side, row(summary), stop() }: its load and its row of the table. */
export async function peerSide(ctx) {
  const { connections } = ctx;
  const server = await startPeer(ctx.root, ctx.store);
  const pool = [];
  const topUp = async () => {
    if (pool.length < 2 * connections) pool.push(...(await server.mint(2 * connections - pool.length)));
  };
  const basic = `Basic ${Buffer.from(`${server.clientId}:${server.clientSecret}`).toString('base64')}`;
  const problems = [];
  const idTokens = [];
  const requests = chainedRequests(pool, {
    path: { method: 'POST', url: '/token' },
    build: (request, token) => ({
      ...request,
      headers: { ...request.headers, authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`,
    }),
    tokenOf: (body) => body.refresh_token,
    onToken: (body) => idTokens.push(body.id_token),
    problems,
  });

  async function row(summary) {
    // The peer must have done the real work too: every id_token verifies against its JWKS.
    const keys = createRemoteJWKSet(new URL(`${server.url}/jwks`));
    let failures = 0;
    for (const idToken of idTokens) {
      await jwtVerify(idToken, keys, { issuer: server.url, audience: server.clientId }).catch(() => (failures += 1));
    }
    if (failures > 0) problems.push(`${failures}/${idTokens.length} peer id_tokens fail to verify`);
    if (summary.errors > 0) problems.push(`peer output:\n${server.output().slice(-2000)}`);
    return {
      scenario: 'peer: oidc-provider refresh_token',
      service: summary,
      checks: { tokensVerified: idTokens.length },
      problems,
    };
  }

  return { side: httpSide({ url: server.url, connections, requests, before: topUp }), row, stop: server.stop };
}

export async function peer(ctx) {
  const { side, row, stop } = await peerSide(ctx);
  try {
    return await row((await measure({ peer: side }, ctx.measureOptions)).peer);
  } finally {
    await stop();
  }
}

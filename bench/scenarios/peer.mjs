// 5. The peer: node-oidc-provider's refresh_token grant (rotating, single use) on the same store.
import { URL } from 'node:url';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { chainedRequests } from '../lib/chain.mjs';
import { drive } from '../lib/measure.mjs';
import { startPeer } from '../peer/peer-process.mjs';

export async function peer(ctx) {
  const { options } = ctx;
  const server = await startPeer(ctx.root, ctx.store);
  try {
    const pool = await server.mint(options.connections * 3);
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
    const result = await drive({ url: server.url, ...options, requests });

    // The peer must have done the real work too: every id_token verifies against its JWKS.
    const keys = createRemoteJWKSet(new URL(`${server.url}/jwks`));
    let failures = 0;
    for (const idToken of idTokens) {
      await jwtVerify(idToken, keys, { issuer: server.url, audience: server.clientId }).catch(() => (failures += 1));
    }
    if (failures > 0) problems.push(`${failures}/${idTokens.length} peer id_tokens fail to verify`);
    if (result.errors > 0) problems.push(`peer output:\n${server.output().slice(-2000)}`);
    return {
      scenario: 'peer: oidc-provider refresh_token',
      service: result,
      ceiling: undefined,
      target: undefined,
      checks: { tokensVerified: idTokens.length },
      problems,
    };
  } finally {
    await server.stop();
  }
}

// 2. GET /refresh vs its raw store calls + jose verify/sign, in-process, same concurrency; and vs
// the peer's refresh_token grant when the peer scenario is selected too (all three interleaved).
import { chainedRequests } from '../lib/chain.mjs';
import { httpSide, loopSide, measure } from '../lib/measure.mjs';
import { claimsOf } from '../lib/tokens.mjs';
import { peerSide } from './peer.mjs';
import { refreshWork } from './refresh-ceiling.mjs';

/**
 * What every refresh row checks of `issued` ([token returned, token presented] pairs): every new
 * token verifies, keeps its session and carries a new refresh credential; a consumed token,
 * presented again at `url`, is refused. Adds to `problems`; resolves to { verified, reused }.
 */
export async function checkRefreshes(checker, issued, url, problems) {
  const verified = await checker.verifyAll(issued.map(([next]) => next));
  if (verified.failures > 0)
    problems.push(`${verified.failures}/${verified.checked} refreshed tokens fail to verify: ${verified.firstFailure}`);
  const broken = issued.filter(([next, presented]) => {
    const [a, b] = [claimsOf(next), claimsOf(presented)];
    return a.session !== b.session || a.refresh_token === b.refresh_token;
  });
  if (broken.length > 0) problems.push(`${broken.length} refreshes changed session or kept the refresh credential`);
  // Single use: a token that was refreshed once must not refresh again.
  const reused = issued.length > 0 && (await fetch(`${url}/refresh`, { headers: { authorization: `Bearer ${issued[0][1]}` } }));
  if (reused && reused.status !== 401) problems.push(`a consumed token refreshed again (${reused.status})`);
  return { verified, reused };
}

export async function refresh(ctx) {
  const { service, checker, connections } = ctx;
  const problems = [];
  const issued = [];
  const requests = chainedRequests(ctx.refreshPool, {
    path: { method: 'GET', url: '/refresh' },
    build: (request, token) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }),
    tokenOf: (body) => body.token,
    onToken: (body, presented) => issued.push([body.token, presented]),
    problems,
  });
  await ctx.topUpPool(2 * connections);
  const tokens = ctx.refreshPool.slice(0, 64);
  const sides = {
    service: httpSide({ url: service.publicUrl, connections, requests, before: () => ctx.topUpPool(2 * connections) }),
    ceiling: loopSide({ concurrency: connections, iteration: await refreshWork(ctx, tokens) }),
  };
  const peer = ctx.scenarios.includes('peer') ? await peerSide(ctx) : undefined;
  if (peer) sides.peer = peer.side;
  let measured;
  let peerRow;
  try {
    measured = await measure(sides, ctx.measureOptions);
    peerRow = await peer?.row(measured.peer);
  } finally {
    await peer?.stop();
  }

  const { verified, reused } = await checkRefreshes(checker, issued, service.publicUrl, problems);

  // What the ceiling is made of, measured apart (informational, not interleaved).
  const parts = {};
  for (const [name, only] of [
    ['storeOnly', { store: true, jose: false }],
    ['joseOnly', { store: false, jose: true }],
  ]) {
    const side = loopSide({ concurrency: connections, iteration: await refreshWork(ctx, tokens, only) });
    const options = { ...ctx.measureOptions, duration: Math.max(2, ctx.measureOptions.duration / 2), rounds: 1, warmup: 1 };
    parts[name] = (await measure({ [name]: side }, options))[name];
  }
  parts.harmonic = Math.round(1 / (1 / parts.storeOnly.rps + 1 / parts.joseOnly.rps));
  const row = {
    scenario: 'refresh',
    service: measured.service,
    ceiling: { ...measured.ceiling, what: 'conditional UpdateItem + jose verify + sign, in-process', parts },
    target: 0.8,
    peerTarget: peer ? 2 : undefined,
    peerScenario: peerRow?.scenario,
    checks: { tokensVerified: verified.checked, singleUse: reused ? reused.status : 'not run' },
    problems,
  };
  return peerRow ? [row, peerRow] : row;
}

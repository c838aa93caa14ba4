// 2. GET /refresh vs its raw store calls + jose verify/sign, in-process, same concurrency.
import { chainedRequests } from '../lib/chain.mjs';
import { drive, loop } from '../lib/measure.mjs';
import { claimsOf } from '../lib/tokens.mjs';
import { refreshWork } from './refresh-ceiling.mjs';

export async function refresh(ctx) {
  const { service, checker, options } = ctx;
  await ctx.topUpPool(options.connections * 3);
  const problems = [];
  const issued = [];
  const requests = chainedRequests(ctx.refreshPool, {
    path: { method: 'GET', url: '/refresh' },
    build: (request, token) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }),
    tokenOf: (body) => body.token,
    onToken: (body, presented) => issued.push([body.token, presented]),
    problems,
  });
  const result = await drive({ url: service.publicUrl, ...options, requests });

  const verified = await checker.verifyAll(issued.map(([next]) => next));
  if (verified.failures > 0)
    problems.push(`${verified.failures}/${verified.checked} refreshed tokens fail to verify: ${verified.firstFailure}`);
  const broken = issued.filter(([next, presented]) => {
    const [a, b] = [claimsOf(next), claimsOf(presented)];
    return a.session !== b.session || a.refresh_token === b.refresh_token;
  });
  if (broken.length > 0) problems.push(`${broken.length} refreshes changed session or kept the refresh credential`);
  // Single use: a token that was refreshed once must not refresh again.
  const reused =
    issued.length > 0 && (await fetch(`${service.publicUrl}/refresh`, { headers: { authorization: `Bearer ${issued[0][1]}` } }));
  if (reused && reused.status !== 401) problems.push(`a consumed token refreshed again (${reused.status})`);

  const tokens = ctx.refreshPool.slice(0, 64);
  const ceiling = await loop({ ...ctx.loopOptions, iteration: await refreshWork(ctx, tokens) });
  const partOptions = { ...ctx.loopOptions, duration: Math.max(2, ctx.loopOptions.duration / 2), warmup: 1 };
  const storeOnly = await loop({ ...partOptions, iteration: await refreshWork(ctx, tokens, { store: true, jose: false }) });
  const joseOnly = await loop({ ...partOptions, iteration: await refreshWork(ctx, tokens, { store: false, jose: true }) });
  return {
    scenario: 'refresh',
    service: result,
    ceiling: {
      ...ceiling,
      what: '3×GetItem + conditional UpdateItem + jose verify + sign, in-process',
      parts: { storeOnly, joseOnly, harmonic: Math.round(1 / (1 / storeOnly.rps + 1 / joseOnly.rps)) },
    },
    target: 0.8,
    peerTarget: 2,
    checks: { tokensVerified: verified.checked, singleUse: reused ? reused.status : 'not run' },
    problems,
  };
}

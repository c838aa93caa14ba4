// 12. The app redeems its code: POST /domains/:d/oauth2/token grant_type=authorization_code
// (public client, PKCE S256) for an access, an ID and a refresh token, vs its calls in-process,
// and vs oidc-provider's same grant (public client, PKCE, JWT access token, ID token, refresh
// token) on the same store: all three interleaved. The codes are single use and live 60 s: each
// side's are made fresh before each of its slices (ours by signed-in browsers' authorization
// requests, the ceiling's by writing what those store, the peer's from its models). No target yet (info).
import { randomBytes } from 'node:crypto';
import { codeExchangeLoad, peerApp, serviceSso, supply } from '../lib/hosted-login.mjs';
import { loopSide, measure, withBefore } from '../lib/measure.mjs';
import { startPeer } from '../peer/peer-process.mjs';
import { CODE_EXCHANGE_CEILING, codeExchangeWork, pendingCodes } from './hosted-login-ceiling.mjs';

export const PEER_CODE_EXCHANGE = 'peer: oidc-provider code exchange';

const load = (url, connections, app, codes) =>
  codeExchangeLoad({
    url,
    path: app.tokenPath,
    connections,
    codes,
    form: app.form,
    verifyAccessToken: app.verifyAccessToken,
    verifyIdToken: app.verifyIdToken,
    expectedScope: app.expectedScope,
  });

export async function codeExchange(ctx) {
  const { connections } = ctx;
  const sso = await serviceSso(ctx);
  const ours = load(sso.url, connections, sso, supply(sso.produceCodes));
  const now = Date.now();
  const browser = { id: randomBytes(16).toString('base64url'), createdAt: now, expiresAt: now + 86_400_000 };
  const ceilingCodes = supply(pendingCodes(ctx, sso, browser));
  const ceiling = withBefore(loopSide({ concurrency: connections, iteration: await codeExchangeWork(ctx, sso, ceilingCodes) }), (seconds) =>
    ceilingCodes.fill(seconds),
  );

  const peer = await startPeer(ctx.root, ctx.store);
  let theirs;
  let measured;
  let checks;
  let peerChecks;
  try {
    const app = await peerApp(peer);
    theirs = load(peer.url, connections, app, supply(app.produceCodes));
    measured = await measure({ service: ours.side, ceiling, peer: theirs.side }, ctx.measureOptions);
    checks = await ours.check();
    peerChecks = await theirs.check();
  } finally {
    await peer.stop();
  }
  // What the ceiling is made of, measured apart (informational, not interleaved).
  const parts = { jose: '2 ES256 signs' };
  for (const [name, only] of [
    ['storeOnly', { store: true, jose: false }],
    ['joseOnly', { store: false, jose: true }],
  ]) {
    const codes = supply(pendingCodes(ctx, sso, browser));
    const loop = loopSide({ concurrency: connections, iteration: await codeExchangeWork(ctx, sso, codes, only) });
    const side = only.store ? withBefore(loop, (seconds) => codes.fill(seconds)) : loop;
    const options = { ...ctx.measureOptions, duration: Math.max(2, ctx.measureOptions.duration / 2), rounds: 1, warmup: 1 };
    parts[name] = (await measure({ [name]: side }, options))[name];
  }
  parts.harmonic = Math.round(1 / (1 / parts.storeOnly.rps + 1 / parts.joseOnly.rps));
  if (measured.peer.errors > 0) theirs.problems.push(`peer output:\n${peer.output().slice(-2000)}`);
  return [
    {
      scenario: 'code exchange',
      service: measured.service,
      ceiling: { ...measured.ceiling, what: CODE_EXCHANGE_CEILING, parts },
      peerScenario: PEER_CODE_EXCHANGE,
      perVcpu: {},
      checks,
      problems: ours.problems,
    },
    { scenario: PEER_CODE_EXCHANGE, service: measured.peer, perVcpu: {}, checks: peerChecks, problems: theirs.problems },
  ];
}

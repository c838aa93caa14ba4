// 11. Single sign-on: GET /domains/:d/oauth2/authorize from a browser that is signed in (its
// `__Host-sso-<domain>` cookie), answered at once with a 303 to the app and a code (no password),
// vs its calls in-process, and vs oidc-provider's authorization endpoint with a signed-in session
// (its `_session` cookie) on the same store: all three interleaved. No target yet (info).
import { browsers, peerApp, serviceSso, ssoLoad } from '../lib/hosted-login.mjs';
import { loopSide, measure, withBefore } from '../lib/measure.mjs';
import { postToken } from '../lib/oauth.mjs';
import { startPeer } from '../peer/peer-process.mjs';
import { SSO_CODE_CEILING, ssoCodeWork } from './hosted-login-ceiling.mjs';

export const PEER_SSO_CODE = 'peer: oidc-provider authorize, signed in';

export async function ssoCode(ctx) {
  const { connections } = ctx;
  const sso = await serviceSso(ctx);
  const redeem = async (code) => {
    const { status, body } = await postToken(sso.url, sso.formRequest(code));
    if (status !== 200) return `${status} ${JSON.stringify(body)}`;
    await sso.verifyIdToken(body.id_token, code.nonce);
    return undefined;
  };
  const ours = ssoLoad({ url: sso.url, connections, request: sso.request, signedIn: browsers(sso.signIn), redirect: sso.redirect, redeem });
  const ceilingBrowsers = browsers(sso.signIn);
  const ceiling = loopSide({ concurrency: connections, iteration: ssoCodeWork(ctx, sso, ceilingBrowsers) });

  const peer = await startPeer(ctx.root, ctx.store);
  let theirs;
  let measured;
  let checks;
  let peerChecks;
  try {
    const app = await peerApp(peer);
    theirs = ssoLoad({
      url: peer.url,
      connections,
      request: app.request,
      signedIn: browsers(async (count) => (await peer.mintBrowsers(count)).map((cookie) => ({ cookie }))),
      redirect: app.redirect,
      // Its codes lack offline_access (dropped without prompt=consent): an access and an ID token, no refresh token.
      redeem: async (code) => {
        const { status, body } = await postToken(peer.url, app.formRequest(code));
        if (status !== 200) return `${status} ${JSON.stringify(body)}`;
        await app.verifyIdToken(body.id_token, code.nonce);
        return undefined;
      },
    });
    measured = await measure(
      {
        service: ours.side,
        ceiling: withBefore(ceiling, (seconds) => ceilingBrowsers.fill(seconds)),
        peer: theirs.side,
      },
      ctx.measureOptions,
    );
    checks = await ours.check();
    peerChecks = await theirs.check();
  } finally {
    await peer.stop();
  }
  if (measured.peer.errors > 0) theirs.problems.push(`peer output:\n${peer.output().slice(-2000)}`);
  return [
    {
      scenario: 'sso authorize → code',
      service: measured.service,
      ceiling: { ...measured.ceiling, what: SSO_CODE_CEILING },
      peerScenario: PEER_SSO_CODE,
      perVcpu: {},
      checks,
      problems: ours.problems,
    },
    { scenario: PEER_SSO_CODE, service: measured.peer, perVcpu: {}, checks: peerChecks, problems: theirs.problems },
  ];
}

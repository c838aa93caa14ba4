// 7. POST /domains/:d/oauth2/token grant_type=refresh_token (opaque single-use tokens, rotated by one
// conditional write) vs its calls in-process, and vs oidc-provider's refresh_token grant (rotating,
// JWT access tokens) on the same store: all three interleaved. Target: ≥ 2× the peer.
import { loopSide, measure } from '../lib/measure.mjs';
import { OAUTH_SCOPE, basicAuthorization, grantRows, refreshLoad, serviceOAuth } from '../lib/oauth.mjs';
import { accessTokenChecker } from '../lib/tokens.mjs';
import { startPeer } from '../peer/peer-process.mjs';
import { OAUTH_REFRESH_CEILING, ceilingParts, oauthRefreshWork } from './oauth-ceiling.mjs';

export const PEER_OAUTH_REFRESH = 'peer: oidc-provider refresh_token (JWT AT)';

/** Keycloak's published sizing: 1 vCPU per 120 refresh token requests per second (see README). */
const KEYCLOAK_REFRESH_PER_VCPU = 120;

/** The checks of the peer's RFC 9068 access tokens (its resource server's audience, see peer/server.mjs). */
export async function peerAccessTokenChecker(peer) {
  const response = await fetch(`${peer.url}/jwks`);
  if (!response.ok) throw new Error(`peer JWKS -> ${response.status}`);
  return accessTokenChecker(await response.json(), {
    issuer: peer.url,
    audience: 'bench',
    clientId: peer.oauthClientId,
    scope: OAUTH_SCOPE,
  });
}

export async function oauthRefresh(ctx) {
  const { service, connections } = ctx;
  const oauth = await serviceOAuth(ctx);
  // Two tokens per connection: a slice's last requests may take theirs along (answers autocannon drops).
  const size = 2 * connections;
  await oauth.topUp(size);
  const ours = refreshLoad({
    url: service.publicUrl,
    path: oauth.path,
    authorization: oauth.authorization,
    connections,
    pool: oauth.pool,
    before: () => oauth.topUp(size),
    verify: oauth.verifyUserToken,
    chains: oauth.chains,
  });

  const peer = await startPeer(ctx.root, ctx.store);
  const pool = [];
  let theirs;
  let measured;
  let checks;
  let peerChecks;
  try {
    theirs = refreshLoad({
      url: peer.url,
      path: '/token',
      authorization: basicAuthorization(peer.oauthClientId, peer.clientSecret),
      connections,
      pool,
      before: async () => {
        if (pool.length < size) pool.push(...(await peer.mint(size - pool.length, { oauth: true })));
      },
      verify: await peerAccessTokenChecker(peer),
    });
    measured = await measure(
      {
        service: ours.side,
        ceiling: loopSide({ concurrency: connections, iteration: await oauthRefreshWork(ctx, oauth) }),
        peer: theirs.side,
      },
      ctx.measureOptions,
    );
    // One chain per session: ours by the access token's sid, the peer's by its sub (an account per grant).
    checks = await ours.check((claims) => claims.sid);
    peerChecks = await theirs.check((claims) => claims.sub);
  } finally {
    await peer.stop();
  }
  const parts = await ceilingParts(ctx, oauth, oauthRefreshWork);
  if (measured.peer.errors > 0) theirs.problems.push(`peer output:\n${peer.output().slice(-2000)}`);
  return grantRows({
    scenario: 'oauth refresh_token',
    peerScenario: PEER_OAUTH_REFRESH,
    measured,
    ceilingWhat: OAUTH_REFRESH_CEILING,
    parts,
    reference: KEYCLOAK_REFRESH_PER_VCPU,
    referenceName: "Keycloak's sizing for refresh token requests",
    ours: { checks, problems: ours.problems },
    theirs: { checks: peerChecks, problems: theirs.problems },
  });
}

// 8. POST /domains/:d/oauth2/token grant_type=client_credentials vs its calls in-process, and vs
// oidc-provider's client_credentials grant (JWT access tokens, its client read from the same store):
// all three interleaved. Target: ≥ 2× the peer; reported per vCPU beside Keycloak's sizing.
import { loopSide, measure } from '../lib/measure.mjs';
import { clientCredentialsLoad, grantRows, serviceOAuth } from '../lib/oauth.mjs';
import { startPeer } from '../peer/peer-process.mjs';
import { CLIENT_CREDENTIALS_CEILING, ceilingParts, clientCredentialsWork } from './oauth-ceiling.mjs';
import { peerAccessTokenChecker } from './oauth-refresh.mjs';

export const PEER_CLIENT_CREDENTIALS = 'peer: oidc-provider client_credentials';

/** Keycloak's published sizing: 1 vCPU per 120 client credential grants per second (see README). */
export const KEYCLOAK_CLIENT_CREDENTIALS_PER_VCPU = 120;

/** A client's own token: `sub` is the client, and no session. */
const ownToken = (verify) => async (token) => {
  const payload = await verify(token);
  if (payload.sid !== undefined) throw new Error('client_credentials access token names a session');
  return payload;
};

export async function clientCredentials(ctx) {
  const { service, connections } = ctx;
  const oauth = await serviceOAuth(ctx);
  const ours = clientCredentialsLoad({
    url: service.publicUrl,
    path: oauth.path,
    clientId: oauth.clientId,
    secret: oauth.clientSecret,
    connections,
    verify: ownToken(oauth.verifyClientToken),
  });

  const peer = await startPeer(ctx.root, ctx.store);
  let theirs;
  let measured;
  let checks;
  let peerChecks;
  try {
    const verify = await peerAccessTokenChecker(peer);
    theirs = clientCredentialsLoad({
      url: peer.url,
      path: '/token',
      clientId: peer.oauthClientId,
      secret: peer.clientSecret,
      connections,
      verify: ownToken(async (token) => {
        const payload = await verify(token);
        if (payload.sub !== peer.oauthClientId) throw new Error(`peer token sub ${payload.sub}`);
        return payload;
      }),
    });
    measured = await measure(
      {
        service: ours.side,
        ceiling: loopSide({ concurrency: connections, iteration: await clientCredentialsWork(ctx, oauth) }),
        peer: theirs.side,
      },
      ctx.measureOptions,
    );
    checks = await ours.check();
    peerChecks = await theirs.check();
  } finally {
    await peer.stop();
  }
  const parts = await ceilingParts(ctx, oauth, clientCredentialsWork);
  if (measured.peer.errors > 0) theirs.problems.push(`peer output:\n${peer.output().slice(-2000)}`);
  return grantRows({
    scenario: 'oauth client_credentials',
    peerScenario: PEER_CLIENT_CREDENTIALS,
    measured,
    ceilingWhat: CLIENT_CREDENTIALS_CEILING,
    parts,
    reference: KEYCLOAK_CLIENT_CREDENTIALS_PER_VCPU,
    referenceName: "Keycloak's sizing",
    ours: { checks, problems: ours.problems },
    theirs: { checks: peerChecks, problems: theirs.problems },
  });
}

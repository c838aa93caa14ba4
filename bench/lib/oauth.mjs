// The OAuth 2.0 token endpoint under load, the same way on both sides (the service and the peer):
// form requests with client_secret_basic, refresh chains of single-use tokens, and the checks of
// what comes back (RFC 6749 §5.1 answers, RFC 9068 access tokens, rotation, single use).
import { URLSearchParams } from 'node:url';
import { chainedRequests } from './chain.mjs';
import { httpSide } from './measure.mjs';
import { accessTokenChecker, claimsOf, verifyEach } from './tokens.mjs';

/** What both sides' bench clients may ask for; every request names all of it. */
export const OAUTH_SCOPE = 'api:read api:write';

/** `Authorization: Basic` as RFC 6749 §2.3.1 has it: id and secret form-urlencoded, then base64. */
export function basicAuthorization(clientId, secret) {
  const encode = (value) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** A token request: autocannon's request shape, also what `postToken` sends. */
export function tokenRequest(path, authorization, params) {
  return {
    method: 'POST',
    path,
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  };
}

/** Sends one token request outside the load; resolves to { status, body }. */
export async function postToken(baseUrl, request) {
  const response = await fetch(`${baseUrl}${request.path}`, { method: 'POST', headers: request.headers, body: request.body });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

/** Why a 200 token response is not the one expected (RFC 6749 §5.1, our scope), or undefined. */
export function tokenResponseProblem(body, { refresh }) {
  const shaped = typeof body?.access_token === 'string' && body.token_type === 'Bearer' && Number.isInteger(body.expires_in);
  if (!shaped || body.scope !== OAUTH_SCOPE) return `unexpected token response ${JSON.stringify(body).slice(0, 300)}`;
  if (refresh && typeof body.refresh_token !== 'string') return 'a refresh answered without a refresh_token';
  if (!refresh && body.refresh_token !== undefined) return 'client_credentials answered with a refresh_token (RFC 6749 §4.4.3)';
  return undefined;
}

/**
 * The service's bench client, registered once per run: confidential, with client_credentials,
 * refresh_token, and the password grant to start the sessions whose refresh tokens are chained.
 * Resolves to its credentials, token path, Basic header, access-token verifiers, and a pool of
 * refresh tokens with `chains` (refresh token -> session id) for the continuity check.
 */
export function serviceOAuth(ctx) {
  ctx.oauth ??= (async () => {
    const { service, user, checker } = ctx;
    const registered = await service.createClient(user.domain, {
      name: 'bench-oauth',
      type: 'confidential',
      grantTypes: ['client_credentials', 'password', 'refresh_token'],
      scopes: OAUTH_SCOPE.split(' '),
    });
    const { clientId, clientSecret } = registered;
    const path = `/domains/${user.domain}/oauth2/token`;
    const authorization = basicAuthorization(clientId, clientSecret);
    const expected = { issuer: checker.options.issuer, audience: checker.options.audience, clientId, scope: OAUTH_SCOPE };
    const verifyUserToken = accessTokenChecker(checker.jwks, { ...expected, subject: user.username });
    const pool = [];
    const chains = new Map();

    /** A session of the client's, by the password grant (an argon2 verify each): its first refresh token. */
    async function start() {
      const params = { grant_type: 'password', username: user.username, password: user.password, scope: OAUTH_SCOPE };
      const { status, body } = await postToken(service.publicUrl, tokenRequest(path, authorization, params));
      const problem =
        status === 200 ? tokenResponseProblem(body, { refresh: true }) : `password grant -> ${status} ${JSON.stringify(body)}`;
      if (problem) throw new Error(problem);
      const { sid } = await verifyUserToken(body.access_token);
      if (typeof sid !== 'string') throw new Error('password grant access token without sid');
      chains.set(body.refresh_token, sid);
      return body.refresh_token;
    }

    return {
      clientId,
      clientSecret,
      path,
      authorization,
      pool,
      chains,
      verifyUserToken,
      verifyClientToken: accessTokenChecker(checker.jwks, { ...expected, subject: clientId }),
      /** Fresh chains until the pool holds `size` tokens, a few at a time. */
      async topUp(size) {
        while (pool.length < size) pool.push(...(await Promise.all(Array.from({ length: Math.min(8, size - pool.length) }, start))));
      },
    };
  })();
  return ctx.oauth;
}

/**
 * The load of one side's refresh_token grant: `connections` chains at a time out of `pool` (each
 * answer's refresh token is that connection's next request, see chain.mjs), topped up by `before`
 * between slices. `check(chainOf)` then checks every answer: the RFC 6749 shape, a new refresh
 * token each time (never seen before), one chain per session (`chainOf(access token claims)`, and
 * `chains` for the minted tokens), every access token verified; that the chains' latest tokens
 * refresh once more; and that a consumed token is refused with invalid_grant.
 */
export function refreshLoad({ url, path, authorization, connections, pool, before, verify, chains = new Map() }) {
  const problems = [];
  const issued = [];
  const request = (token) => tokenRequest(path, authorization, { grant_type: 'refresh_token', refresh_token: token });
  const requests = chainedRequests(pool, {
    path: { method: 'POST', url: path },
    build: (base, token) => ({ ...base, ...request(token) }),
    tokenOf: (body) => body.refresh_token,
    onToken: (body, presented) => issued.push([body, presented]),
    problems,
  });

  async function check(chainOf) {
    const seen = new Set();
    let malformed = 0;
    let reused = 0;
    let crossed = 0;
    for (const [body, presented] of issued) {
      const problem = tokenResponseProblem(body, { refresh: true });
      if (problem) {
        if ((malformed += 1) === 1) problems.push(problem);
        continue;
      }
      if (body.refresh_token === presented || seen.has(body.refresh_token)) reused += 1;
      seen.add(body.refresh_token);
      const chain = chainOf(claimsOf(body.access_token));
      if (chains.has(presented) && chains.get(presented) !== chain) crossed += 1;
      chains.set(body.refresh_token, chain);
    }
    if (malformed > 0) problems.push(`${malformed}/${issued.length} refresh answers malformed`);
    if (reused > 0) problems.push(`${reused} refreshes answered a refresh token that is not new`);
    if (crossed > 0) problems.push(`${crossed} refreshes answered an access token of another session/grant`);
    const verified = await verifyEach(
      issued.map(([body]) => body.access_token),
      verify,
    );
    if (verified.failures > 0)
      problems.push(`${verified.failures}/${verified.checked} access tokens fail to verify: ${verified.firstFailure}`);

    // The newest token of each chain works: one more refresh each (what comes back goes to the pool).
    const latest = pool.splice(0);
    let latestFailed = 0;
    for (const token of latest) {
      const { status, body } = await postToken(url, request(token));
      if (status === 200 && !tokenResponseProblem(body, { refresh: true })) {
        chains.set(body.refresh_token, chains.get(token));
        pool.push(body.refresh_token);
      } else if ((latestFailed += 1) === 1) problems.push(`the latest token of a chain -> ${status} ${JSON.stringify(body)}`);
    }
    // Single use: the first token this run consumed, presented again (long after its rotation).
    const again = issued.length > 0 ? await postToken(url, request(issued[0][1])) : undefined;
    if (again && (again.status !== 400 || again.body?.error !== 'invalid_grant')) {
      problems.push(`a consumed refresh token presented again -> ${again.status} ${JSON.stringify(again.body)}`);
    }
    // Its reuse may have ended that chain (reuse detection): leave it out of the pool.
    const ended = again && chains.get(issued[0][0].refresh_token);
    if (ended !== undefined) pool.splice(0, pool.length, ...pool.filter((token) => chains.get(token) !== ended));
    return {
      refreshes: issued.length,
      tokensVerified: verified.checked,
      latestRefreshed: latest.length - latestFailed,
      singleUse: again?.status,
    };
  }

  return { side: httpSide({ url, connections, requests, before }), check, problems };
}

/**
 * The load of one side's client_credentials grant: the same request every time. `check()` then
 * verifies every access token, and that a wrong secret is refused with 401 invalid_client.
 */
export function clientCredentialsLoad({ url, path, clientId, secret, connections, verify }) {
  const problems = [];
  const tokens = [];
  let malformed = 0;
  const params = { grant_type: 'client_credentials', scope: OAUTH_SCOPE };
  const requests = [
    {
      ...tokenRequest(path, basicAuthorization(clientId, secret), params),
      onResponse(status, body) {
        if (status !== 200) {
          if (problems.length < 5) problems.push(`client_credentials -> ${status} ${body}`);
          return;
        }
        const parsed = JSON.parse(body);
        const problem = tokenResponseProblem(parsed, { refresh: false });
        if (problem && (malformed += 1) === 1) problems.push(problem);
        tokens.push(parsed.access_token);
      },
    },
  ];

  async function check() {
    if (malformed > 0) problems.push(`${malformed} client_credentials answers malformed`);
    const verified = await verifyEach(tokens, verify);
    if (verified.failures > 0)
      problems.push(`${verified.failures}/${verified.checked} access tokens fail to verify: ${verified.firstFailure}`);
    const wrong = await postToken(url, tokenRequest(path, basicAuthorization(clientId, `${secret}x`), params));
    if (wrong.status !== 401 || wrong.body?.error !== 'invalid_client') {
      problems.push(`a wrong client secret -> ${wrong.status} ${JSON.stringify(wrong.body)}`);
    }
    return { tokensVerified: verified.checked, wrongSecret: wrong.status };
  }

  return { side: httpSide({ url, connections, requests }), check, problems };
}

/**
 * The two report rows of an OAuth grant measured against the peer's same grant: ours (with its
 * ceiling, the 2× target and the per-vCPU reference) and the peer's.
 */
export function grantRows({ scenario, peerScenario, measured, ceilingWhat, parts, reference, referenceName, ours, theirs }) {
  return [
    {
      scenario,
      service: measured.service,
      ceiling: { ...measured.ceiling, what: ceilingWhat, parts },
      peerTarget: 2,
      peerScenario,
      perVcpu: { reference, referenceName },
      checks: ours.checks,
      problems: ours.problems,
    },
    { scenario: peerScenario, service: measured.peer, perVcpu: {}, checks: theirs.checks, problems: theirs.problems },
  ];
}

// The hosted login page's hot path under load, the same way on both sides (the service and the
// peer): an app's authorization requests (a fresh PKCE S256 pair, state and nonce each), a browser
// that is already signed in answering them with a code at once (single sign-on), and the app
// redeeming its codes at the token endpoint (public client, PKCE). Codes are single use and live
// 60 s, so each side's supply of them is made unmeasured before each slice, sized from its rate.
import autocannon from 'autocannon';
import { createHash, randomBytes } from 'node:crypto';
import { URL, URLSearchParams } from 'node:url';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { httpSide } from './measure.mjs';
import { postToken } from './oauth.mjs';
import { accessTokenChecker, claimsOf, verifyEach } from './tokens.mjs';

/** The app's redirect URI on both sides (registered exactly; nothing listens there). */
export const APP_REDIRECT_URI = 'https://app.bench.invalid/callback';
/** What the app asks for: an ID token, a refresh token, and its API's scopes. */
export const SSO_SCOPE = 'openid offline_access api:read api:write';

/**
 * Codes one signed-in browser gets before the bench signs in another browser. The service links
 * every code's app session to the browser session (an `appSessions` set on its item, at most 1000,
 * the sign-in's own code included, then it shows the login form again), so the item a code reads
 * and rewrites grows with it: 100 keeps the bench's browsers at 1-100 app sessions.
 * `BENCH_SSO_CODES_PER_BROWSER` overrides it (999 at most).
 */
export const CODES_PER_BROWSER = Number(process.env.BENCH_SSO_CODES_PER_BROWSER ?? 100);
/** A code is handed out only while this much younger than its 60 s lifetime allows. */
const CODE_MAX_AGE_MS = 45_000;
/** A side's rate before it was seen (codes to make before its warm-up), per second. */
const FIRST_GUESS_RATE = 1000;

const random = (bytes = 32) => randomBytes(bytes).toString('base64url');
/** RFC 7636 §4.2: BASE64URL(SHA256(verifier)). */
export const s256 = (verifier) => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** An authorization request's own parts, fresh each time: PKCE verifier and its S256 challenge, state, nonce. */
export function newAttempt() {
  const verifier = random();
  return { verifier, challenge: s256(verifier), state: random(16), nonce: random(16) };
}

/** The authorization request an app sends its user's browser to. */
export function authorizePath(path, clientId, attempt) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: APP_REDIRECT_URI,
    scope: SSO_SCOPE,
    state: attempt.state,
    nonce: attempt.nonce,
    code_challenge: attempt.challenge,
    code_challenge_method: 'S256',
  });
  return `${path}?${query}`;
}

/** The Location of autocannon's response headers (as sent: Fastify's are lower case, Koa's not). */
const locationOf = (headers) => headers.location ?? headers.Location;

/** The code a redirect to the app carries, or why the redirect is not the answer expected. */
export function codeFromRedirect(location, attempt, { issuer, codePattern }) {
  if (typeof location !== 'string' || !location.startsWith(`${APP_REDIRECT_URI}?`)) return { problem: `redirect to ${location}` };
  const params = new URL(location).searchParams;
  const code = params.get('code');
  if (code === null || !codePattern.test(code)) return { problem: `redirect without a code: ${location}` };
  if (params.get('state') !== attempt.state) return { problem: `redirect with another state: ${location}` };
  if (issuer !== undefined && params.get('iss') !== issuer) return { problem: `redirect with iss ${params.get('iss')} (RFC 9207)` };
  return { code };
}

/**
 * How many a side will use in its next slice: its fastest rate so far (a first guess before any)
 * times the slice's seconds, twice over (a quieter spell on the shared machine must not run the
 * supply dry; 1.5× did once). `used()` counts each request as it is made.
 */
function demand() {
  let rate;
  let count = 0;
  let last;
  return {
    used() {
      count += 1;
    },
    next(seconds) {
      if (last) rate = Math.max(rate ?? 0, count / last);
      count = 0;
      last = seconds;
      return Math.ceil((rate ?? FIRST_GUESS_RATE) * seconds * 2) + 64;
    },
  };
}

/**
 * Single-use items that age (codes), made by `produce(n)` (resolves to items with `madeAt`) before
 * each slice: enough for the slice at the side's rate, none that would be too old by its end, and
 * no more than the producer can make while a code stays young (a slow store: moto). A slice that
 * wants more runs the supply dry, which its row reports.
 */
export function supply(produce) {
  const items = [];
  const rate = demand();
  let madeRate = 0;
  const counts = { made: 0, dropped: 0, starved: 0, fills: [] };
  return {
    counts,
    async fill(seconds) {
      const started = Date.now();
      const youngFor = CODE_MAX_AGE_MS / 1000 - seconds;
      const dropStale = () => {
        const young = items.findIndex((item) => item.madeAt >= Date.now() - youngFor * 1000);
        const stale = young < 0 ? items.length : young;
        items.splice(0, stale);
        counts.dropped += stale;
        return stale;
      };
      let wanted = rate.next(seconds);
      let dropped = dropStale();
      const kept = items.length;
      while (items.length < wanted) {
        if (Date.now() - started > 180_000) throw new Error(`making ${wanted} codes took over 3 minutes (${items.length} made)`);
        const chunkStarted = Date.now();
        const made = await produce(Math.min(wanted - items.length, 1000));
        madeRate = Math.max(madeRate, made.length / Math.max(0.001, (Date.now() - chunkStarted) / 1000));
        wanted = Math.min(wanted, Math.floor(madeRate * youngFor * 0.8));
        counts.made += made.length;
        items.push(...made);
        dropped += dropStale();
      }
      // For the results file: wanted, kept from before, dropped as too old, starved so far, seconds it took.
      counts.fills.push([wanted, kept, dropped, counts.starved, (Date.now() - started) / 1000]);
    },
    /** The oldest item, or undefined when the supply ran dry (the request then fails, and says so). */
    take() {
      rate.used();
      const item = items.shift();
      if (!item) counts.starved += 1;
      return item;
    },
  };
}

/**
 * Signed-in browsers, each used for `perBrowser` codes in turn; `fill(seconds)` signs in enough
 * new ones for the slice (`signIn(n)` resolves to n browsers: the `Cookie` header's value, and
 * for the service's the cookie and its session id).
 */
export function browsers(signIn, perBrowser = CODES_PER_BROWSER) {
  const fresh = [];
  const rate = demand();
  let current;
  let used = 0;
  const counts = { signedIn: 0, pastBudget: 0 };
  /** Enough signed-in browsers for `codes` more codes (four sign-ins at a time: each is an argon2 verify). */
  async function ensure(codes) {
    const wanted = Math.ceil(codes / perBrowser) + 1;
    while (fresh.length < wanted) {
      const batch = await signIn(Math.min(4, wanted - fresh.length));
      counts.signedIn += batch.length;
      fresh.push(...batch);
    }
  }
  return {
    counts,
    ensure,
    fill: (seconds) => ensure(rate.next(seconds)),
    /** The browser for the next authorization request. */
    next() {
      rate.used();
      if (!current || (used >= perBrowser && fresh.length > 0)) [current, used] = [fresh.shift(), 0];
      if (used >= perBrowser) counts.pastBudget += 1;
      used += 1;
      return current;
    },
  };
}

/** The hidden fields of a served login form (its authorization parameters and CSRF token). */
function formFields(html) {
  const entities = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`' };
  const unescape = (value) => value.replace(/&(amp|lt|gt|quot|#39|#96);/g, (_, entity) => entities[entity]);
  return Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(([, name, value]) => [name, unescape(value)]),
  );
}

/** The service's codes and browser cookies: `<session id (22)>.<256 bits>`. */
const SERVICE_CREDENTIAL = /^([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;

/**
 * The service's app for the hosted login page, registered once per run: a public client (an SPA)
 * with the authorization code grant and refresh tokens. Resolves to its paths, a sign-in through
 * the login form (one argon2 verify: a browser's `__Host-sso-<domain>` cookie), the authorization
 * requests a signed-in browser makes, a producer of fresh codes, and the checks of what comes back.
 */
export function serviceSso(ctx) {
  ctx.sso ??= (async () => {
    const { service, user, checker } = ctx;
    const { clientId } = await service.createClient(user.domain, {
      name: 'bench-spa',
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [APP_REDIRECT_URI],
      scopes: SSO_SCOPE.split(' '),
    });
    const url = service.publicUrl;
    const authorize = `/domains/${user.domain}/oauth2/authorize`;
    const tokenPath = `/domains/${user.domain}/oauth2/token`;
    const cookieName = `__Host-sso-${user.domain}`;
    const issuer = checker.options.issuer;
    const redirect = { issuer, codePattern: SERVICE_CREDENTIAL };

    /** A browser signs in as a user does: the form the authorization request shows, filled in and posted. */
    async function signIn() {
      const attempt = newAttempt();
      const page = await fetch(`${url}${authorizePath(authorize, clientId, attempt)}`, { redirect: 'manual' });
      const html = await page.text();
      if (page.status !== 200) throw new Error(`login page -> ${page.status} ${html.slice(0, 300)}`);
      const csrf = page.headers
        .getSetCookie()
        .map((cookie) => cookie.split(';')[0])
        .join('; ');
      const form = new URLSearchParams({ ...formFields(html), username: user.username, password: user.password });
      const post = await fetch(`${url}${authorize}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: csrf, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      const body = await post.text();
      if (post.status !== 303) throw new Error(`login form -> ${post.status} ${body.slice(0, 300)}`);
      const set = post.headers.getSetCookie().find((cookie) => cookie.startsWith(`${cookieName}=`));
      const value = set?.split(';')[0].slice(cookieName.length + 1);
      const sessionId = value && SERVICE_CREDENTIAL.exec(value)?.[1];
      if (!sessionId) throw new Error(`the login form set no ${cookieName} cookie: ${post.headers.getSetCookie().join(' | ')}`);
      return { cookie: `${cookieName}=${value}`, value, sessionId };
    }

    const request = (attempt, browser) => ({
      method: 'GET',
      path: authorizePath(authorize, clientId, attempt),
      headers: { cookie: browser.cookie },
    });

    const signInMany = (count) => Promise.all(Array.from({ length: count }, signIn));
    const producer = browsers(signInMany);
    /** `count` fresh codes, by signed-in browsers' authorization requests (autocannon, 16 connections). */
    async function produceCodes(count) {
      await producer.ensure(count);
      return collectCodes({ url, count, request: (attempt) => request(attempt, producer.next()), redirect });
    }

    return {
      clientId,
      url,
      tokenPath,
      issuer,
      redirect,
      signIn: signInMany,
      request,
      produceCodes,
      form: (code) => exchangeForm(clientId, code),
      formRequest: (code) => formRequest(tokenPath, exchangeForm(clientId, code)),
      expectedScope: SSO_SCOPE,
      verifyAccessToken: (token) => verifyServiceAccessToken(checker, clientId, user.username, token),
      verifyIdToken: idTokenChecker(checker.jwks, { issuer, clientId, subject: user.username, authTime: true }),
    };
  })();
  return ctx.sso;
}

/** The code exchange's form (RFC 6749 §4.1.3, RFC 7636 §4.5): a public client names itself. */
const exchangeForm = (clientId, code) => ({
  grant_type: 'authorization_code',
  code: code.code,
  redirect_uri: APP_REDIRECT_URI,
  code_verifier: code.verifier,
  client_id: clientId,
});

/**
 * The peer's counterpart of `serviceSso`: its public app `bench-spa` (see peer/server.mjs), its
 * authorization endpoint, codes minted from its models, and the checks of what it hands out (its
 * access tokens are RFC 9068 JWTs for its resource server, scope the resource's).
 */
export async function peerApp(peer) {
  const response = await fetch(`${peer.url}/jwks`);
  if (!response.ok) throw new Error(`peer JWKS -> ${response.status}`);
  const jwks = await response.json();
  const clientId = peer.spaClientId;
  const resourceScope = SSO_SCOPE.split(' ')
    .filter((scope) => scope.startsWith('api:'))
    .join(' ');
  return {
    clientId,
    url: peer.url,
    tokenPath: '/token',
    redirect: { issuer: peer.url, codePattern: /^[A-Za-z0-9_-]{20,128}$/ },
    request: (attempt, browser) => ({
      method: 'GET',
      path: authorizePath('/auth', clientId, attempt),
      headers: { cookie: browser.cookie },
    }),
    produceCodes: async (count) => {
      const attempts = Array.from({ length: count }, newAttempt);
      const codes = await peer.mintCodes(attempts.map(({ challenge, nonce }) => ({ challenge, nonce })));
      const madeAt = Date.now();
      return codes.map((code, i) => ({ code, verifier: attempts[i].verifier, nonce: attempts[i].nonce, madeAt }));
    },
    form: (code) => exchangeForm(clientId, code),
    formRequest: (code) => formRequest('/token', exchangeForm(clientId, code)),
    expectedScope: resourceScope,
    verifyAccessToken: accessTokenChecker(jwks, { issuer: peer.url, audience: 'bench', clientId, scope: resourceScope }),
    verifyIdToken: idTokenChecker(jwks, { issuer: peer.url, clientId }),
  };
}

/** Autocannon, `count` authorization requests that should each be answered by a redirect with a code. */
export async function collectCodes({ url, count, request, redirect, connections = 16 }) {
  const codes = [];
  const problems = [];
  const requests = [
    {
      setupRequest(base, context) {
        context.attempt = newAttempt();
        return { ...base, ...request(context.attempt) };
      },
      onResponse(status, _body, context, headers) {
        const { code, problem } =
          status === 302 || status === 303 ? codeFromRedirect(locationOf(headers), context.attempt, redirect) : { problem: `-> ${status}` };
        if (code) codes.push({ code, verifier: context.attempt.verifier, nonce: context.attempt.nonce, madeAt: Date.now() });
        else if (problems.length < 3) problems.push(problem);
      },
    },
  ];
  const result = await autocannon({ url, connections: Math.min(connections, count), amount: count, timeout: 10, requests });
  if (codes.length < count * 0.99) {
    throw new Error(`${count} authorization requests made ${codes.length} codes (${result.errors} errors): ${problems.join('; ')}`);
  }
  return codes;
}

/** The service's RFC 9068 access token of a code exchange: its user, its client, the scope asked for, a session. */
async function verifyServiceAccessToken(checker, clientId, username, token) {
  const { payload, protectedHeader } = await jwtVerify(token, checker.keySet, {
    issuer: checker.options.issuer,
    audience: checker.options.audience,
    typ: 'at+jwt',
    algorithms: checker.options.algorithms,
    requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id', 'sid'],
  });
  if (payload.client_id !== clientId || payload.sub !== username || payload.scope !== SSO_SCOPE || protectedHeader.typ !== 'at+jwt') {
    throw new Error(`access token with unexpected claims: ${JSON.stringify(payload)}`);
  }
  return payload;
}

/**
 * An ID token (OIDC Core §3.1.3.7) for the app: issuer, audience = the app, the user, the
 * request's nonce; `auth_time` where the side always sends it (the service; the peer only when asked).
 */
export function idTokenChecker(jwks, { issuer, clientId, subject, authTime = false }) {
  const keySet = createLocalJWKSet(jwks);
  return async function verify(idToken, nonce) {
    const { payload } = await jwtVerify(idToken, keySet, {
      issuer,
      audience: clientId,
      algorithms: [...new Set(jwks.keys.map((key) => key.alg))],
      requiredClaims: ['exp', 'iat', 'sub', ...(authTime ? ['auth_time'] : [])],
    });
    if (payload.nonce !== nonce || (subject !== undefined && payload.sub !== subject)) {
      throw new Error(`ID token with unexpected claims: ${JSON.stringify(payload)}`);
    }
    return payload;
  };
}

/**
 * The load of one side's single sign-on: every request a real authorization request (fresh PKCE,
 * state and nonce) carrying a signed-in browser's cookie, `browsers` topped up before each slice.
 * `check()` then checks every answer (a redirect to the app with a code and the request's state)
 * and redeems the newest codes with their verifiers (`redeem(code)` resolves to a problem or undefined).
 */
export function ssoLoad({ url, connections, request, signedIn, redirect, redeem }) {
  const problems = [];
  const answers = [];
  let wrong = 0;
  const requests = [
    {
      setupRequest(base, context) {
        context.attempt = newAttempt();
        return { ...base, ...request(context.attempt, signedIn.next()) };
      },
      onResponse(status, body, context, headers) {
        if (status !== 302 && status !== 303) {
          if ((wrong += 1) <= 3) problems.push(`authorize with a signed-in browser -> ${status} ${body.slice(0, 200)}`);
          return;
        }
        answers.push([locationOf(headers), context.attempt]);
      },
    },
  ];

  async function check() {
    const codes = [];
    let malformed = 0;
    for (const [location, attempt] of answers) {
      const { code, problem } = codeFromRedirect(location, attempt, redirect);
      if (code) codes.push({ code, verifier: attempt.verifier, nonce: attempt.nonce });
      else if ((malformed += 1) === 1) problems.push(problem);
    }
    if (malformed > 0) problems.push(`${malformed}/${answers.length} redirects without a code of the request's`);
    if (new Set(codes.map((code) => code.code)).size !== codes.length) problems.push('a code was issued twice');
    // The newest codes (a few seconds old at most) redeem, each with its own verifier.
    const newest = codes.slice(-8);
    let refused = 0;
    for (const code of newest) {
      const problem = await redeem(code).catch((error) => error.message);
      if (problem && (refused += 1) === 1) problems.push(`a code of the load did not redeem: ${problem}`);
    }
    return {
      redirects: answers.length,
      redeemed: newest.length - refused,
      browsersSignedIn: signedIn.counts.signedIn,
      codesPastBrowserBudget: signedIn.counts.pastBudget,
    };
  }

  const side = httpSide({ url, connections, requests, before: (seconds) => signedIn.fill(seconds), ok: (s) => s === 302 || s === 303 });
  return { side, check, problems };
}

/**
 * The load of one side's code exchange: each request redeems a fresh code from `codes` (a supply,
 * filled before each slice) with its verifier. `check()` then checks every answer (RFC 6749 §5.1
 * with an ID token and a refresh token), verifies every access token and ID token (nonce
 * included), refreshes the newest refresh token once, and presents the first code again (400
 * invalid_grant: single use).
 */
export function codeExchangeLoad({ url, path, connections, codes, form, verifyAccessToken, verifyIdToken, expectedScope }) {
  const problems = [];
  const issued = [];
  let wrong = 0;
  const requests = [
    {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      setupRequest(base, context) {
        // An empty supply (reported by check) sends a code that cannot exist: the request fails.
        context.code = codes.take() ?? { code: 'supply-ran-dry', verifier: 'x'.repeat(43) };
        return { ...base, body: new URLSearchParams(form(context.code)).toString() };
      },
      onResponse(status, body, context) {
        if (status !== 200) {
          if ((wrong += 1) <= 3) problems.push(`code exchange -> ${status} ${body.slice(0, 300)}`);
          return;
        }
        issued.push([JSON.parse(body), context.code]);
      },
    },
  ];

  async function check() {
    if (codes.counts.starved > 0) problems.push(`the supply of codes ran dry ${codes.counts.starved} times`);
    let malformed = 0;
    for (const [body] of issued) {
      const shaped =
        typeof body.access_token === 'string' &&
        typeof body.id_token === 'string' &&
        typeof body.refresh_token === 'string' &&
        /^bearer$/i.test(body.token_type) &&
        Number.isInteger(body.expires_in) &&
        body.scope === expectedScope;
      if (!shaped && (malformed += 1) === 1) problems.push(`unexpected token response ${JSON.stringify(body).slice(0, 300)}`);
    }
    if (malformed > 0) problems.push(`${malformed}/${issued.length} code exchange answers malformed`);
    const accessTokens = await verifyEach(
      issued.map(([body]) => body.access_token),
      verifyAccessToken,
    );
    if (accessTokens.failures > 0)
      problems.push(`${accessTokens.failures}/${accessTokens.checked} access tokens fail to verify: ${accessTokens.firstFailure}`);
    const idTokens = await verifyEach(issued, ([body, code]) => verifyIdToken(body.id_token, code.nonce));
    if (idTokens.failures > 0) problems.push(`${idTokens.failures}/${idTokens.checked} ID tokens fail to verify: ${idTokens.firstFailure}`);
    // Every exchange started its own refresh chain: the newest refresh token works once.
    const newest = issued.at(-1);
    const refreshed =
      newest &&
      (await postToken(
        url,
        formRequest(path, { grant_type: 'refresh_token', refresh_token: newest[0].refresh_token, client_id: form(newest[1]).client_id }),
      ));
    if (refreshed && (refreshed.status !== 200 || typeof refreshed.body?.access_token !== 'string')) {
      problems.push(`the refresh token of a code exchange -> ${refreshed.status} ${JSON.stringify(refreshed.body)}`);
    }
    // Single use: the first code the load redeemed, presented again.
    const again = issued.length > 0 ? await postToken(url, formRequest(path, form(issued[0][1]))) : undefined;
    if (again && (again.status !== 400 || again.body?.error !== 'invalid_grant')) {
      problems.push(`a redeemed code presented again -> ${again.status} ${JSON.stringify(again.body)}`);
    }
    const sessions = new Set(issued.map(([body]) => claimsOf(body.access_token).sid ?? body.refresh_token));
    if (sessions.size !== issued.length) problems.push(`${issued.length - sessions.size} code exchanges share a session`);
    return {
      exchanges: issued.length,
      accessTokensVerified: accessTokens.checked,
      idTokensVerified: idTokens.checked,
      refreshed: refreshed?.status,
      singleUse: again?.status,
      codesMade: codes.counts.made,
      codesDroppedStale: codes.counts.dropped,
      codeFills: codes.counts.fills,
    };
  }

  return { side: httpSide({ url, connections, requests, before: (seconds) => codes.fill(seconds) }), check, problems };
}

/** A form POST outside the load, as `postToken` sends it (no client authentication header: a public client). */
export function formRequest(path, params) {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  };
}

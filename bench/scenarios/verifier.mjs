// 4b. The verifier kit (dist/verify/verifier.js) verifying tokens in-process vs raw jose jwtVerify
// with the same key, issuer and audience, at the same concurrency.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { loopSide, measure } from '../lib/measure.mjs';

const KIT = 'dist/verify/verifier.js';

export async function verifier(ctx) {
  const { service, user, checker } = ctx;
  const row = { scenario: 'verifier kit verify', target: 0.9, problems: [] };
  const file = join(ctx.serviceDir, KIT);
  if (!existsSync(file)) {
    row.problems.push(`verifier kit missing: ${KIT} was not built (src/verify/verifier.ts does not exist yet); no number is faked`);
    return row;
  }
  const { createTokenVerifier } = await import(pathToFileURL(file).href);
  // The domain goes both ways: to the factory (the kit's current signature) and to verify() (the
  // one first announced); whichever the kit reads, the other is ignored.
  const kit = createTokenVerifier({
    authUrl: service.publicUrl,
    internalUrl: service.internalUrl,
    domain: user.domain,
    audience: user.domain,
  });
  await ctx.topUpPool(ctx.connections);
  const tokens = ctx.refreshPool.slice(0, 64);

  // Correctness first: the kit accepts every real token with its claims, and rejects a forged one.
  for (const token of tokens) {
    const claims = await kit.verify(token, { domain: user.domain });
    if (claims?.session !== (await checker.verify(token)).session) row.problems.push('verifier kit returned other claims than jose');
  }
  const [head, body, signature] = tokens[0].split('.');
  const forged = `${head}.${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
  const accepted = await kit.verify(forged, { domain: user.domain }).then(
    () => true,
    () => false,
  );
  if (accepted) row.problems.push('verifier kit accepted a token with a forged signature');

  const jwk = checker.jwks.keys.find((key) => key.kid === decodeProtectedHeader(tokens[0]).kid);
  const key = await importJWK(jwk, jwk.alg);
  const options = { ...checker.options, algorithms: [jwk.alg] };
  let i = 0;
  let j = 0;
  const measured = await measure(
    {
      service: loopSide({
        concurrency: ctx.connections,
        iteration: () => kit.verify(tokens[i++ % tokens.length], { domain: user.domain }),
      }),
      ceiling: loopSide({ concurrency: ctx.connections, iteration: () => jwtVerify(tokens[j++ % tokens.length], key, options) }),
    },
    ctx.measureOptions,
  );
  row.service = measured.service;
  row.ceiling = { ...measured.ceiling, what: 'jose jwtVerify, imported key, same issuer/audience, in-process' };
  return row;
}

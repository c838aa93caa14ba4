// 1. POST /login (argon2id dominated) vs raw argon2id verifies with the service's own hasher.
import 'reflect-metadata'; // the built hasher is a Nest @Injectable
import { httpSide, loopSide, measure } from '../lib/measure.mjs';
import { serviceHasher } from '../lib/service-hasher.mjs';

/** Autocannon's request list for logins as `ctx.user`; tokens of 200s land in `tokens`. */
export function loginRequests({ user }, tokens, problems, path = '/login') {
  return [
    {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domain: user.domain, username: user.username, password: user.password }),
      onResponse(status, body) {
        if (status === 200) tokens.push(JSON.parse(body).token);
        else if (problems.length < 5) problems.push(`login -> ${status} ${body}`);
      },
    },
  ];
}

/** The ceiling: the service's PasswordHasher class itself (same parameters, same binding), in-process. */
export async function argon2Ceiling(ctx) {
  const hasher = await serviceHasher(ctx.serviceDir);
  const hash = await hasher.hash(ctx.user.password);
  const iteration = async () => {
    if (!(await hasher.verify(hash, ctx.user.password))) throw new Error('argon2id verify returned false');
  };
  return loopSide({ concurrency: ctx.connections, iteration });
}
export const ARGON2_CEILING = 'argon2id verify (dist PasswordHasher), in-process';

export async function login(ctx) {
  const { service, checker, connections } = ctx;
  const tokens = [];
  const problems = [];
  const requests = loginRequests(ctx, tokens, problems);
  const measured = await measure(
    { service: httpSide({ url: service.publicUrl, connections, requests }), ceiling: await argon2Ceiling(ctx) },
    ctx.measureOptions,
  );
  const verified = await checker.verifyAll(tokens);
  if (verified.failures > 0)
    problems.push(`${verified.failures}/${verified.checked} login tokens fail to verify: ${verified.firstFailure}`);
  return {
    scenario: 'login',
    service: measured.service,
    ceiling: { ...measured.ceiling, what: ARGON2_CEILING },
    target: 0.8,
    checks: { tokensVerified: verified.checked },
    problems,
  };
}

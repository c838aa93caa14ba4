// 1. POST /login (argon2id dominated) vs raw argon2id verifies with the service's own hasher.
import 'reflect-metadata'; // the built hasher is a Nest @Injectable
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { drive, loop } from '../lib/measure.mjs';

export async function login(ctx) {
  const { service, checker, user, options } = ctx;
  const tokens = [];
  const problems = [];
  const body = JSON.stringify({ domain: user.domain, username: user.username, password: user.password });
  const result = await drive({
    url: `${service.publicUrl}/login`,
    ...options,
    requests: [
      {
        method: 'POST',
        path: '/login',
        headers: { 'content-type': 'application/json' },
        body,
        onResponse(status, responseBody) {
          if (status === 200) tokens.push(JSON.parse(responseBody).token);
          else if (problems.length < 5) problems.push(`login -> ${status} ${responseBody}`);
        },
      },
    ],
  });
  const verified = await checker.verifyAll(tokens);
  if (verified.failures > 0)
    problems.push(`${verified.failures}/${verified.checked} login tokens fail to verify: ${verified.firstFailure}`);

  // The ceiling: the service's PasswordHasher class itself (same parameters, same binding), in-process.
  const { PasswordHasher } = await import(pathToFileURL(join(ctx.root, 'dist/users/password-hasher.js')).href);
  const hasher = new PasswordHasher();
  const hash = await hasher.hash(user.password);
  const ceiling = await loop({
    ...ctx.loopOptions,
    iteration: async () => {
      if (!(await hasher.verify(hash, user.password))) throw new Error('argon2id verify returned false');
    },
  });
  ctx.loginTokens = tokens;
  return {
    scenario: 'login',
    service: result,
    ceiling: { ...ceiling, what: 'argon2id verify (dist PasswordHasher), in-process' },
    target: 0.8,
    checks: { tokensVerified: verified.checked },
    problems,
  };
}

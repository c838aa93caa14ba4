import { bearerChallenge, checkedAdapterOptions, expressAuth, fastifyAuth, refusalStatus, unauthorizedBody } from './middleware.js';
import { TokenGuard } from './nest-guard.js';
import { TokenVerificationError, type TokenVerifier, type VerificationFailure } from './verifier.js';

const refused = (code: VerificationFailure, scope?: string) => new TokenVerificationError(code, 'refused', scope);

describe('refusals of the adapters', () => {
  it.each<[VerificationFailure | 'missing', number, string | undefined]>([
    ['missing', 401, 'Bearer'],
    ['invalid_token', 401, 'Bearer error="invalid_token"'],
    ['token_expired', 401, 'Bearer error="invalid_token"'],
    ['unknown_key', 401, 'Bearer error="invalid_token"'],
    ['wrong_token_type', 401, 'Bearer error="invalid_token"'],
    ['session_revoked', 401, 'Bearer error="invalid_token"'],
    ['insufficient_scope', 403, 'Bearer error="insufficient_scope", scope="orders:read orders:write"'],
    ['client_not_allowed', 403, undefined],
    ['no_session', 403, undefined],
    ['session_check_failed', 503, undefined],
  ])('answer %s with %i and challenge %p', (code, status, challenge) => {
    const error = code === 'missing' ? new Error('missing token') : refused(code, 'orders:read orders:write');
    expect(refusalStatus(error)).toBe(status);
    expect(bearerChallenge(error)).toBe(challenge);
    expect(unauthorizedBody(error).code).toBe(code === 'missing' ? 'missing_token' : code);
  });
});

describe('adapter options', () => {
  const verifier: TokenVerifier = { verify: () => Promise.reject(new Error('not called')) };

  it('are checked when the adapter is made, not on each request', () => {
    const typo = { scopes: ['orders:read orders:write'] };
    expect(() => checkedAdapterOptions(typo)).toThrow(TypeError);
    expect(() => expressAuth(verifier, typo)).toThrow(TypeError);
    expect(() => fastifyAuth(verifier, typo)).toThrow(TypeError);
    expect(() => new TokenGuard(verifier, typo)).toThrow(TypeError);
    expect(checkedAdapterOptions({ scopes: ['orders:read'], tokenHeaders: ['X-Token'] })).toEqual({
      scopes: ['orders:read'],
      tokenHeaders: ['X-Token'],
    });
  });
});

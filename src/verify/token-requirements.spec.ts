import { assertRequirements, combineRequirements, compileRequirements, hasRequirements, NO_REQUIREMENTS } from './token-requirements.js';
import type { VerifiedClaims } from './verified-claims.js';

const common = { iss: 'https://auth.example.com/domains/shop', aud: 'shop', exp: 2_000_000_000, iat: 1_900_000_000 };
const legacy: VerifiedClaims = { ...common, sub: 'alice', domain: 'shop', username: 'alice', session: 's1', sid: 's1' };
const access: VerifiedClaims = { ...common, sub: 'app', jti: 'j', client_id: 'app', scope: 'orders:read orders:write' };

const refusal = (code: string) => expect.objectContaining({ name: 'TokenVerificationError', code });

describe('compileRequirements', () => {
  it('compiles nothing to no requirement', () => {
    expect(compileRequirements({})).toEqual(NO_REQUIREMENTS);
    expect(hasRequirements({})).toBe(false);
    expect(hasRequirements({ scopes: [] })).toBe(true);
  });

  it('takes one client id or a list, and each scope once', () => {
    expect(compileRequirements({ tokenType: 'at+jwt', clientIds: 'app', scopes: ['a', 'b', 'a'] })).toEqual({
      tokenTypes: new Set(['at+jwt']),
      clientIds: new Set(['app']),
      scopes: ['a', 'b'],
    });
    expect(compileRequirements({ clientIds: ['app', 'partner'] }).clientIds).toEqual(new Set(['app', 'partner']));
  });

  it.each([
    ['an unknown token type', { tokenType: 'JWT' as never }],
    ['an empty client id', { clientIds: [''] }],
    ['two scopes in one string', { scopes: ['orders:read orders:write'] }],
    ['a scope with a quote', { scopes: ['a"b'] }],
    ['an empty scope', { scopes: [''] }],
  ])('throws a TypeError for %s, never reads it as "any"', (_case, requirements) => {
    expect(() => compileRequirements(requirements)).toThrow(TypeError);
  });
});

describe('combineRequirements', () => {
  const base = compileRequirements({ tokenType: 'at+jwt', clientIds: ['app', 'partner'], scopes: ['orders:read'] });

  it("adds a call's scopes to the verifier's and keeps only clients both allow", () => {
    expect(combineRequirements(base, compileRequirements({ clientIds: ['partner', 'other'], scopes: ['orders:write'] }))).toEqual({
      tokenTypes: new Set(['at+jwt']),
      clientIds: new Set(['partner']),
      scopes: ['orders:read', 'orders:write'],
    });
  });

  it('keeps what only one side requires', () => {
    expect(combineRequirements(NO_REQUIREMENTS, base)).toEqual(base);
    expect(combineRequirements(base, NO_REQUIREMENTS)).toEqual(base);
  });

  it('allows no type at all when the two ask for different ones', () => {
    const combined = combineRequirements(base, compileRequirements({ tokenType: 'legacy' }));
    expect(combined.tokenTypes).toEqual(new Set());
    expect(() => assertRequirements('at+jwt', access, combined)).toThrow(refusal('wrong_token_type'));
    expect(() => assertRequirements('legacy', legacy, combined)).toThrow(refusal('wrong_token_type'));
  });
});

describe('assertRequirements', () => {
  const check = (kind: 'legacy' | 'at+jwt', claims: VerifiedClaims, requirements: Parameters<typeof compileRequirements>[0]) => () =>
    assertRequirements(kind, claims, compileRequirements(requirements));

  it('lets any token through without requirements', () => {
    expect(check('legacy', legacy, {})).not.toThrow();
    expect(check('at+jwt', access, {})).not.toThrow();
  });

  it('checks the token type', () => {
    expect(check('at+jwt', access, { tokenType: 'at+jwt' })).not.toThrow();
    expect(check('legacy', legacy, { tokenType: 'at+jwt' })).toThrow(refusal('wrong_token_type'));
    expect(check('at+jwt', access, { tokenType: 'legacy' })).toThrow(refusal('wrong_token_type'));
  });

  it('checks the client, refusing legacy tokens (issued to no client)', () => {
    expect(check('at+jwt', access, { clientIds: ['partner', 'app'] })).not.toThrow();
    expect(check('at+jwt', access, { clientIds: 'partner' })).toThrow(refusal('client_not_allowed'));
    expect(check('at+jwt', access, { clientIds: [] })).toThrow(refusal('client_not_allowed'));
    expect(check('legacy', legacy, { clientIds: 'app' })).toThrow(refusal('client_not_allowed'));
  });

  it('requires every scope, whole tokens only, and says which the resource requires', () => {
    expect(check('at+jwt', access, { scopes: ['orders:write', 'orders:read'] })).not.toThrow();
    expect(check('at+jwt', access, { scopes: ['orders'] })).toThrow(refusal('insufficient_scope'));
    expect(check('at+jwt', { ...access, scope: '' }, { scopes: ['orders:read'] })).toThrow(refusal('insufficient_scope'));
    expect(check('legacy', legacy, { scopes: ['orders:read'] })).toThrow(refusal('insufficient_scope'));
    expect(check('at+jwt', access, { scopes: ['orders:read', 'admin'] })).toThrow(
      expect.objectContaining({ code: 'insufficient_scope', message: 'Token lacks scope: admin', scope: 'orders:read admin' }),
    );
  });
});

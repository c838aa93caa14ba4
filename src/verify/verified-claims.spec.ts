import type { JWTPayload } from 'jose';
import { claimsOfKind, tokenKindOf } from './verified-claims.js';

const common = { iss: 'https://auth.example.com/domains/shop', sub: 'alice', aud: 'shop', exp: 2_000_000_000, iat: 1_900_000_000 };
const legacy: JWTPayload = { ...common, jti: 'j1', domain: 'shop', username: 'alice', session: 's1', sid: 's1', refresh_token: 'r' };
const userAccess: JWTPayload = { ...common, jti: 'j2', client_id: 'app', scope: 'orders:read', sid: 's2' };
const clientAccess: JWTPayload = { ...common, sub: 'app', jti: 'j3', client_id: 'app', scope: '' };

describe('tokenKindOf', () => {
  it.each(['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/At+JWT'])('reads %s as an access token (RFC 9068 §4)', (typ) => {
    expect(tokenKindOf(typ)).toBe('at+jwt');
  });

  it.each(['JWT', 'jwt', 'application/jwt', undefined])('reads %s as a legacy token', (typ) => {
    expect(tokenKindOf(typ)).toBe('legacy');
  });

  it.each(['logout+jwt', 'dpop+jwt', 'at+jwt ', '', 42, null])('refuses any other type (%p) with wrong_token_type', (typ) => {
    expect(() => tokenKindOf(typ)).toThrow(expect.objectContaining({ code: 'wrong_token_type' }));
  });
});

describe('claimsOfKind', () => {
  it('passes the tokens auth-service issues, each as its kind', () => {
    expect(claimsOfKind('legacy', legacy, 'shop')).toBe(legacy);
    expect(claimsOfKind('at+jwt', userAccess, 'shop')).toBe(userAccess);
    expect(claimsOfKind('at+jwt', clientAccess, 'shop')).toBe(clientAccess);
  });

  it("refuses a legacy token of another domain, or naming none, as today's kit did", () => {
    const error = { code: 'invalid_token', message: 'Token belongs to another domain' };
    expect(() => claimsOfKind('legacy', legacy, 'other')).toThrow(expect.objectContaining(error));
    expect(() => claimsOfKind('legacy', { ...legacy, domain: undefined }, 'shop')).toThrow(expect.objectContaining(error));
  });

  it.each(['sid', 'username', 'session'])('refuses a legacy token without %s', (claim) => {
    expect(() => claimsOfKind('legacy', { ...legacy, [claim]: undefined }, 'shop')).toThrow(
      expect.objectContaining({ code: 'invalid_token' }),
    );
  });

  it.each(['jti', 'client_id', 'scope'])('refuses an access token without %s (RFC 9068 §2.2)', (claim) => {
    expect(() => claimsOfKind('at+jwt', { ...userAccess, [claim]: undefined }, 'shop')).toThrow(
      expect.objectContaining({ code: 'invalid_token' }),
    );
  });

  it('refuses an access token whose sid is not a string', () => {
    expect(() => claimsOfKind('at+jwt', { ...userAccess, sid: 7 }, 'shop')).toThrow(expect.objectContaining({ code: 'invalid_token' }));
  });

  it("refuses a token carrying the other kind's claims, so that narrowing on client_id cannot be fooled", () => {
    const refused = expect.objectContaining({ code: 'invalid_token' });
    expect(() => claimsOfKind('legacy', { ...legacy, client_id: 'app' }, 'shop')).toThrow(refused);
    expect(() => claimsOfKind('legacy', { ...legacy, scope: 'orders:read' }, 'shop')).toThrow(refused);
    expect(() => claimsOfKind('at+jwt', { ...userAccess, domain: 'shop' }, 'shop')).toThrow(refused);
    expect(() => claimsOfKind('at+jwt', { ...clientAccess, username: 'alice' }, 'shop')).toThrow(refused);
  });
});

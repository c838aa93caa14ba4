import { bearerToken, tokenFromHeaders, tokenHeaderNames } from './bearer-token.js';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer   abc.def.ghi  ', 'abc.def.ghi'],
    ['BEARER abc.def.ghi', 'abc.def.ghi'],
    ['abc.def.ghi', 'abc.def.ghi'],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer abc def', undefined],
    ['Bearer', undefined],
    ['Bearer   ', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%p → %p', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('tokenFromHeaders', () => {
  it('reads Authorization first, then the old clients’ Authorizationjwt', () => {
    expect(tokenFromHeaders({ authorization: 'Bearer a.b.c', authorizationjwt: 'x.y.z' })).toBe('a.b.c');
    expect(tokenFromHeaders({ authorizationjwt: 'x.y.z' })).toBe('x.y.z');
    expect(tokenFromHeaders({ authorizationjwt: 'Bearer x.y.z' })).toBe('x.y.z');
  });

  it('skips a header that carries another scheme', () => {
    expect(tokenFromHeaders({ authorization: 'Basic dXNlcjpwYXNz', authorizationjwt: 'x.y.z' })).toBe('x.y.z');
  });

  it('takes the first value of a repeated header', () => {
    expect(tokenFromHeaders({ authorization: ['Bearer a.b.c', 'Bearer d.e.f'] })).toBe('a.b.c');
  });

  it('reads only the named headers, whatever case they are named in', () => {
    expect(tokenFromHeaders({ 'x-token': 'a.b.c' })).toBeUndefined();
    expect(tokenFromHeaders({ 'x-token': 'a.b.c' }, ['X-Token'])).toBe('a.b.c');
  });

  it('names the defaults and the configured headers once each, lower case', () => {
    expect(tokenHeaderNames(['AuthorizationJWT', ' X-Token '])).toEqual(['authorization', 'authorizationjwt', 'x-token']);
  });
});

import { headerSafe, identityHeaders } from './identity-headers.js';

describe('identity headers of GET /auth', () => {
  it.each([
    ['alice', 'alice'],
    ['alice@example.com', 'alice@example.com'],
    ['Ann Lee', 'Ann Lee'],
    ['josé', 'jos%C3%A9'],
    ['100%', '100%25'],
    ['名前', '%E5%90%8D%E5%89%8D'],
  ])('%p → %p, and back', (value, header) => {
    expect(headerSafe(value)).toBe(header);
    expect(decodeURIComponent(headerSafe(value))).toBe(value);
  });

  it('names domain, username and session', () => {
    expect(identityHeaders({ domain: 'shop', username: 'josé', session: 'abc' })).toEqual({
      'x-auth-domain': 'shop',
      'x-auth-username': 'jos%C3%A9',
      'x-auth-session': 'abc',
    });
  });
});

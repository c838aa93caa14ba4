import { consumedSlot, newRefreshToken, parseRefreshToken } from './refresh-token.js';

describe('OAuth refresh tokens', () => {
  const sessionId = 'AAAAAAAAAAAAAAAAAAAAAA';

  it('parse back to the session and generation they were made for', () => {
    const made = newRefreshToken(sessionId, 7);
    expect(parseRefreshToken(made.token)).toEqual(made);
  });

  it('differ each time', () => {
    expect(newRefreshToken(sessionId, 0).token).not.toBe(newRefreshToken(sessionId, 0).token);
  });

  it.each([
    '',
    'not-a-token',
    `${sessionId}.1`,
    `${sessionId}.01.${'a'.repeat(43)}`,
    `${sessionId}.-1.${'a'.repeat(43)}`,
    `${sessionId}.1.${'a'.repeat(42)}`,
    `${sessionId}.1.${'a'.repeat(43)}.x`,
    `${sessionId}.1234567890.${'a'.repeat(43)}`,
    `eyJhbGciOiJFUzI1NiJ9.e30.${'a'.repeat(43)}`,
  ])('refuses %j', (token) => {
    expect(parseRefreshToken(token)).toBeUndefined();
  });

  it('remember consumed tokens in 16 slots, by generation', () => {
    expect(consumedSlot(3)).toBe('consumedRefresh3');
    expect(consumedSlot(19)).toBe('consumedRefresh3');
  });
});

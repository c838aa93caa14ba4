import { newSessionCredential, parseSessionCredential } from './session-credential.js';

describe('session credentials', () => {
  const id = 'AAAAAAAAAAAAAAAAAAAAAA';

  it('name their session and carry 256 random bits', () => {
    const one = newSessionCredential(id);
    const two = newSessionCredential(id);
    expect(one.value).toMatch(/^AAAAAAAAAAAAAAAAAAAAAA\.[A-Za-z0-9_-]{43}$/);
    expect(one.value).not.toBe(two.value);
    expect(parseSessionCredential(one.value)).toEqual(one);
  });

  it.each([
    ['', 'empty'],
    [`${id}`, 'no secret'],
    [`${id}.short`, 'a short secret'],
    [`${id}.${'a'.repeat(43)}.x`, 'a third part'],
    [`${id}x.${'a'.repeat(43)}`, 'a longer id'],
    [`${id}.${'a'.repeat(42)}=`, 'padding'],
    [`${id}.0.${'a'.repeat(43)}`, 'a refresh token'],
  ])('refuse %j (%s)', (value) => {
    expect(parseSessionCredential(value)).toBeUndefined();
  });
});

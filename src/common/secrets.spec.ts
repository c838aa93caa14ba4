import { constantTimeEqual, randomId, randomSecret, sha256 } from './secrets.js';

describe('secrets', () => {
  it('makes 256-bit base64url secrets that do not repeat', () => {
    const a = randomSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomSecret()).not.toBe(a);
  });

  it('hashes deterministically to 256 bits', () => {
    expect(sha256('refresh-credential')).toBe(sha256('refresh-credential'));
    expect(sha256('refresh-credential')).not.toBe(sha256('refresh-credential2'));
    expect(Buffer.from(sha256('x'), 'base64url')).toHaveLength(32);
  });

  it('compares equal and unequal strings of any length', () => {
    expect(constantTimeEqual('same', 'same')).toBe(true);
    expect(constantTimeEqual('same', 'sam')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
  });
});

describe('randomId', () => {
  it('is 128 bits of base64url that a command line cannot take for an option', () => {
    const ids = Array.from({ length: 2000 }, () => randomId());
    expect(ids.every((id) => /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Every other first character still occurs: the redraw only skips `-`.
    expect(new Set(ids.map((id) => id[0])).size).toBeGreaterThan(55);
  });
});

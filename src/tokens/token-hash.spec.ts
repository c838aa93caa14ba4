import { tokenHash } from './token-hash.js';

describe('at_hash', () => {
  it("matches OpenID Connect Core's example (Appendix A.3, RS256)", () => {
    expect(tokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
  });

  it('is half of the hash of the signing algorithm: SHA-256 for ES256, SHA-512 for Ed25519', () => {
    expect(tokenHash('token', 'ES256')).toHaveLength(22);
    expect(tokenHash('token', 'EdDSA')).toHaveLength(43);
  });
});

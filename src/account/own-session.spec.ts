import type { Session } from '../sessions/session.js';
import { ownSessionView } from './own-session.js';

describe('ownSessionView', () => {
  const now = 1_700_000_000_000;
  const session: Session = {
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    domain: 'shop',
    username: 'alice',
    refreshHash: 'a-hash',
    createdAt: now - 60_000,
    expiresAt: now + 60_000,
  };

  it('shows an old session (no client facts) with its times, alive and current', () => {
    expect(ownSessionView(session, session.id, now)).toEqual({
      id: session.id,
      createdAt: now - 60_000,
      expiresAt: now + 60_000,
      valid: true,
      current: true,
    });
  });

  it('shows where it started and its app, and never its secrets or refresh state', () => {
    const oauth = {
      ...session,
      clientAddress: '203.0.113.7',
      userAgent: 'curl/8',
      lastRefreshedAt: now - 1000,
      clientId: 'app',
      scope: 'read',
      generation: 3,
      refreshExpiresAt: now + 1000,
      consumedRefresh2: 'another-hash',
    } as Session;
    expect(ownSessionView(oauth, 'BBBBBBBBBBBBBBBBBBBBBB', now)).toEqual({
      id: session.id,
      createdAt: now - 60_000,
      expiresAt: now + 60_000,
      lastRefreshedAt: now - 1000,
      clientAddress: '203.0.113.7',
      userAgent: 'curl/8',
      clientId: 'app',
      valid: true,
      current: false,
    });
  });

  it.each([
    ['revoked', { revokedAt: now - 1 }],
    ['past its lifetime', { expiresAt: now }],
  ])('is not valid once %s', (_case, change) => {
    expect(ownSessionView({ ...session, ...change }, session.id, now)).toMatchObject({ valid: false, current: true, ...change });
  });
});

import { instantOf } from './relative-time.js';

describe('CLI time options', () => {
  const now = new Date('2026-11-26T12:00:00.000Z');

  it.each([
    ['90s', '2026-11-26T11:58:30.000Z'],
    ['30m', '2026-11-26T11:30:00.000Z'],
    ['1h', '2026-11-26T11:00:00.000Z'],
    ['7d', '2026-11-19T12:00:00.000Z'],
  ])('reads the age %s back from now', (value, expected) => {
    expect(instantOf(value, now)).toBe(expected);
  });

  it('passes an ISO 8601 time through', () => {
    expect(instantOf('2026-11-25T08:00:00Z', now)).toBe('2026-11-25T08:00:00Z');
  });

  it.each(['1w', 'yesterday', '-1h', ''])('refuses %j', (value) => {
    expect(instantOf(value, now)).toBeUndefined();
  });
});

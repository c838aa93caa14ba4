import { blockedUntil, type ThrottleRule } from './throttle-rules.js';

const rule: ThrottleRule = { failures: 3, windowSeconds: 60, maxWaitSeconds: 8 };
const count = (failures: number, lastFailureAt = 1000, windowStart = 0) => ({ failures, windowStart, lastFailureAt });

describe('blockedUntil', () => {
  it('lets attempts through below the limit, and with no count', () => {
    expect(blockedUntil(undefined, rule, 1000)).toBe(0);
    expect(blockedUntil(count(2), rule, 1000)).toBe(0);
  });

  it.each([
    [3, 1000],
    [4, 2000],
    [5, 4000],
    [6, 8000],
    [7, 8000],
    [70, 8000],
  ])('%p failures: blocked for %p ms after the latest', (failures, waitMs) => {
    expect(blockedUntil(count(failures), rule, 1000)).toBe(1000 + waitMs);
    expect(blockedUntil(count(failures), rule, 1000 + waitMs)).toBe(0);
  });

  it('forgets a window past its length', () => {
    expect(blockedUntil(count(5, 59_000, 0), rule, 60_000)).toBe(0);
    expect(blockedUntil(count(5, 59_000, 0), rule, 59_999)).toBe(63_000);
  });
});

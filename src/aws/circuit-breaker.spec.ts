import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('stays closed below the threshold, and a success clears the count', () => {
    const breaker = new CircuitBreaker(3, 1000);
    expect(breaker.failed(0)).toBe(false);
    expect(breaker.failed(0)).toBe(false);
    breaker.succeeded();
    expect(breaker.failed(0)).toBe(false);
    expect(breaker.admit(0)).toBe(true);
  });

  it('opens at the threshold and refuses calls for the cooldown', () => {
    const breaker = new CircuitBreaker(2, 1000);
    breaker.failed(0);
    expect(breaker.failed(100)).toBe(true);
    expect(breaker.isOpen).toBe(true);
    expect(breaker.admit(500)).toBe(false);
    expect(breaker.admit(1099)).toBe(false);
  });

  it('half-opens after the cooldown: one probe only, whose success closes it', () => {
    const breaker = new CircuitBreaker(1, 1000);
    breaker.failed(0);
    expect(breaker.admit(1000)).toBe(true);
    expect(breaker.admit(1001)).toBe(false); // the probe is still out
    expect(breaker.succeeded()).toBe(true);
    expect(breaker.isOpen).toBe(false);
    expect(breaker.admit(1002)).toBe(true);
  });

  it('opens again for a whole cooldown when the probe fails', () => {
    const breaker = new CircuitBreaker(1, 1000);
    breaker.failed(0);
    expect(breaker.admit(1000)).toBe(true);
    expect(breaker.failed(1200)).toBe(true);
    expect(breaker.admit(2100)).toBe(false);
    expect(breaker.admit(2200)).toBe(true);
  });
});

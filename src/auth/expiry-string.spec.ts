import { expiryString } from './expiry-string.js';

describe('expiryString (the old service formula)', () => {
  it.each([
    [300, 'Active for 5 minutes'],
    [299, 'Active for 4 minutes'],
    [61, 'Active for 1 minutes'],
    [60, 'Active for 1 minutes'],
    [59, 'Active for 59 seconds'],
    [1, 'Active for 1 seconds'],
    [0, 'Expired 0 seconds'],
    [-1, 'Expired 1 minutes'],
    [-30, 'Expired 1 minutes'],
    [-59, 'Expired 1 minutes'],
    [-60, 'Expired 1 minutes'],
    [-61, 'Expired 2 minutes'],
    [-3600, 'Expired 60 minutes'],
  ])('%p s left → %p', (seconds, text) => {
    expect(expiryString(seconds)).toBe(text);
  });
});

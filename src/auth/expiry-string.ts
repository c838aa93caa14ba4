/**
 * The old service's `expiryString`, to the letter: with `s` whole seconds left (negative once
 * past) and `m = floor(s / 60)`, `Active for ` or `Expired `, then `|s| seconds` under a minute
 * (and at zero), otherwise `|m| minutes`. Its quirks stay: 30 s past is `Expired 1 minutes`.
 */
export function expiryString(secondsLeft: number): string {
  const minutes = Math.floor(secondsLeft / 60);
  const prefix = secondsLeft > 0 ? 'Active for ' : 'Expired ';
  const amount = minutes < 1 && secondsLeft > -1 ? `${Math.abs(secondsLeft)} seconds` : `${Math.abs(minutes)} minutes`;
  return prefix + amount;
}

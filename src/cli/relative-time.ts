const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * An instant for a CLI time option: an ISO 8601 time as given, or an age like `30m`, `1h`, `7d`
 * counted back from `now`. Undefined for anything else (the caller says what is wrong).
 */
export function instantOf(value: string, now: Date): string | undefined {
  const age = /^(\d{1,6})([smhd])$/.exec(value);
  if (age) return new Date(now.getTime() - Number(age[1]) * UNITS[age[2]] * 1000).toISOString();
  return Number.isNaN(Date.parse(value)) ? undefined : value;
}

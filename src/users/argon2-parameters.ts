/** The argon2id cost parameters new password hashes are made with (ARGON2_* settings). */
export interface Argon2Parameters {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's baseline, the default: 19 MiB, 2 passes, 1 lane. */
export const DEFAULT_ARGON2: Argon2Parameters = { memoryKiB: 19_456, timeCost: 2, parallelism: 1 };

/**
 * OWASP's argon2id configurations (Password Storage Cheat Sheet), memory in KiB with its fewest
 * passes: equally strong, trading memory for time. Parameters must reach at least one of them.
 */
const OWASP_MINIMUMS: readonly [memoryKiB: number, timeCost: number][] = [
  [47_104, 1],
  [19_456, 2],
  [12_288, 3],
  [9_216, 4],
  [7_168, 5],
];

export function meetsOwaspFloor({ memoryKiB, timeCost, parallelism }: Argon2Parameters): boolean {
  return parallelism >= 1 && OWASP_MINIMUMS.some(([memory, time]) => memoryKiB >= memory && timeCost >= time);
}

export const OWASP_FLOOR_TEXT = OWASP_MINIMUMS.map(([memory, time]) => `m=${memory} KiB with t≥${time}`).join(', ');

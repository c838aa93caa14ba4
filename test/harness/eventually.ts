/** Polls `probe` until it returns `expected`, at most `timeoutMs`; returns the last value seen. */
export async function eventually<T>(probe: () => Promise<T>, expected: T, { timeoutMs = 10_000, intervalMs = 200 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value === expected || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

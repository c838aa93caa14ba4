/** How many store writes a bulk operation keeps in flight. */
export const BATCH_SIZE = 25;

/** Runs `work` on every item, BATCH_SIZE at a time: bulk deletions without a burst of hundreds of writes. */
export async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<unknown>, size = BATCH_SIZE): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map(work));
  }
}

/**
 * Packs a job's events into as few events-queue messages as fit. Queues bill one operation per 64 KB
 * of a message, and limit one message to 128 KB and one sendBatch call to 256 KB and 100 messages: a
 * message here stays under 64 KB of JSON and a send under 192 KB, so every event costs a fraction of
 * an operation instead of three.
 */
export const MESSAGE_BYTES_BUDGET = 60 * 1024;
export const SEND_BYTES_BUDGET = 192 * 1024;

/**
 * Splits `items` into consecutive groups whose JSON sizes (measured by `sizeOf`) add up to at most
 * `budget`, in order. An item larger than the budget gets a group of its own.
 */
export function packBySize<T>(items: readonly T[], budget: number, sizeOf: (item: T) => number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && used + size > budget) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export const jsonBytes = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

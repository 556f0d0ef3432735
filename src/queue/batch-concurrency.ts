/**
 * How the files of one queue batch share the consumer: they run concurrently, but under a weight
 * budget so the isolate's 128 MB are never asked for by several heavy files at once. Light files
 * (text, small PDFs) overlap their R2 and D1 round trips, up to BATCH_CONCURRENCY at a time; a heavy
 * one (an image to decode for a thumbnail, any file over HEAVY_FILE_BYTES) takes the whole budget
 * and runs alone, as every file did before batches ran concurrently.
 */
import type { FileClaim } from "../jobs/contracts";

/** Light files of one batch processed at the same time. */
export const BATCH_CONCURRENCY = 8;

/** Above this size a file's working memory (PDF pages, decoded pixels) may be tens of MiB. */
export const HEAVY_FILE_BYTES = 1024 * 1024;

/** A claim's share of the batch's budget (BATCH_CONCURRENCY: it runs alone). */
export function claimWeight(claim: FileClaim): number {
  const decodesImage = claim.stages.includes("thumbnail") && claim.file.contentType.startsWith("image/");
  return decodesImage || claim.file.size > HEAVY_FILE_BYTES ? BATCH_CONCURRENCY : 1;
}

/**
 * Runs `work` over `items` in their order, starting each as soon as the weights running leave room
 * for it (a weight above the budget counts as the whole budget). Waits for everything started; if
 * any work failed, the first failure is thrown after the rest have finished.
 */
export async function forEachWeighted<T>(
  items: readonly T[],
  budget: number,
  weightOf: (item: T) => number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let used = 0;
  const failures: unknown[] = [];
  for (const item of items) {
    const weight = Math.min(budget, Math.max(1, weightOf(item)));
    while (used + weight > budget) await Promise.race(running);
    used += weight;
    const run = work(item)
      .catch((error: unknown) => {
        failures.push(error);
      })
      .finally(() => {
        used -= weight;
        running.delete(run);
      });
    running.add(run);
  }
  await Promise.all(running);
  if (failures.length > 0) throw failures[0];
}

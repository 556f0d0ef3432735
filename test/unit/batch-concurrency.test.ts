/**
 * The files of a queue batch run concurrently under a weight budget: light files overlap up to the
 * budget, a heavy file runs alone, the order of starts follows the batch, and a failure surfaces only
 * after everything started has finished.
 */
import { describe, expect, it } from "vitest";
import { BATCH_CONCURRENCY, claimWeight, forEachWeighted } from "../../src/queue/batch-concurrency";
import type { FileClaim } from "../../src/jobs/contracts";

/** Runs items of the given weights; records how much weight ran at once and the order of starts. */
async function trace(weights: number[], budget: number) {
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const concurrentWithHeavy: number[] = [];
  await forEachWeighted(
    weights.map((weight, index) => ({ weight, index })),
    budget,
    (item) => item.weight,
    async (item) => {
      const weight = Math.min(budget, item.weight);
      running += weight;
      peak = Math.max(peak, running);
      started.push(item.index);
      if (weight === budget) concurrentWithHeavy.push(running - weight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= weight;
    },
  );
  return { peak, started, concurrentWithHeavy };
}

const claim = (contentType: string, size: number, stages: FileClaim["stages"]): FileClaim => ({
  outcome: "claimed",
  fileId: "file_1",
  token: 1,
  attempt: 1,
  tenantId: "t",
  jurisdiction: "default",
  jobId: "job_1",
  file: { fileId: "file_1", name: "f", size, contentType },
  stages,
  previous: {},
  options: { thumbnail: { size: 256, fit: "inside", format: "jpeg", quality: 80 } },
});

describe("forEachWeighted", () => {
  it("overlaps light items up to the budget", async () => {
    const { peak, started } = await trace(Array<number>(20).fill(1), 8);
    expect(peak).toBe(8);
    expect(started).toEqual([...Array(20).keys()]);
  });

  it("runs a heavy item alone", async () => {
    const { peak, concurrentWithHeavy } = await trace([1, 1, 8, 1, 1, 20, 1], 8);
    expect(peak).toBe(8);
    expect(concurrentWithHeavy).toEqual([0, 0]);
  });

  it("throws the first failure after the other items finished", async () => {
    const finished: number[] = [];
    const run = forEachWeighted(
      [0, 1, 2, 3],
      2,
      () => 1,
      async (item) => {
        await new Promise((resolve) => setTimeout(resolve, item * 3));
        if (item === 1) throw new Error("item 1 failed");
        finished.push(item);
      },
    );
    await expect(run).rejects.toThrow("item 1 failed");
    expect(finished.sort()).toEqual([0, 2, 3]);
  });
});

describe("claimWeight", () => {
  it("lets small text and PDFs share the batch and makes images to decode and big files exclusive", () => {
    expect(claimWeight(claim("text/plain", 300, ["extract"]))).toBe(1);
    expect(claimWeight(claim("application/pdf", 500_000, ["extract", "thumbnail"]))).toBe(1);
    expect(claimWeight(claim("image/jpeg", 20_000, ["extract"]))).toBe(1);
    expect(claimWeight(claim("image/jpeg", 20_000, ["thumbnail"]))).toBe(BATCH_CONCURRENCY);
    expect(claimWeight(claim("application/pdf", 3_000_000, ["extract"]))).toBe(BATCH_CONCURRENCY);
  });
});

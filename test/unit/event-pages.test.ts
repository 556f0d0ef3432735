import { describe, expect, it } from "vitest";
import { jsonBytes, MESSAGE_BYTES_BUDGET, packBySize } from "../../src/jobs/event-pages";

describe("packing events into queue messages", () => {
  it("keeps the order and puts consecutive items together up to the budget", () => {
    const sizes = [3, 4, 2, 5, 1, 1];
    expect(packBySize(sizes, 7, (n) => n)).toEqual([
      [3, 4],
      [2, 5],
      [1, 1],
    ]);
  });

  it("gives an item larger than the budget a group of its own", () => {
    expect(packBySize([1, 9, 1], 5, (n) => n)).toEqual([[1], [9], [1]]);
  });

  it("returns no groups for no items", () => {
    expect(packBySize([], 5, (n: number) => n)).toEqual([]);
  });

  it("splits a page of large events so every message stays within one billed 64 KB operation", () => {
    const events = Array.from({ length: 100 }, (_, seq) => ({ seq, data: { text: "x".repeat(2_000) } }));
    const pages = packBySize(events, MESSAGE_BYTES_BUDGET, jsonBytes);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flat()).toEqual(events);
    for (const page of pages) expect(jsonBytes(page)).toBeLessThanOrEqual(64 * 1024);
  });
});

import { describe, expect, it } from "vitest";
import { backoffSeconds } from "../../src/queue/backoff";

describe("backoffSeconds", () => {
  it("doubles the ceiling with every attempt and draws from its upper half", () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([1, 2, 3, 4, 5].map((attempt) => backoffSeconds(attempt, 2, 300, low))).toEqual([1, 2, 4, 8, 16]);
    expect([1, 2, 3, 4, 5].map((attempt) => backoffSeconds(attempt, 2, 300, high))).toEqual([
      2, 4, 8, 16, 32,
    ]);
  });

  it("never exceeds the cap", () => {
    for (let attempt = 1; attempt < 40; attempt++) {
      expect(backoffSeconds(attempt, 2, 300, Math.random)).toBeLessThanOrEqual(300);
    }
    expect(backoffSeconds(30, 2, 300, () => 0)).toBe(150);
  });

  it("spreads retries of messages that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffSeconds(6, 2, 300)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

import { describe, expect, it } from "vitest";
import { fullBucket, take } from "../../src/limits/token-bucket";

describe("token bucket", () => {
  const limits = { ratePerSecond: 2, capacity: 3 };

  it("allows a burst of `capacity`, then refuses with the time until the next token", () => {
    const state = fullBucket(limits, 0);
    expect(
      [take(state, limits, 0), take(state, limits, 0), take(state, limits, 0)].every((r) => r.allowed),
    ).toBe(true);
    expect(take(state, limits, 0)).toEqual({ allowed: false, retryAfterMs: 500 });
    expect(take(state, limits, 250)).toEqual({ allowed: false, retryAfterMs: 250 });
  });

  it("refills at the sustained rate, never above capacity", () => {
    const state = fullBucket(limits, 0);
    for (let i = 0; i < 3; i++) take(state, limits, 0);
    expect(take(state, limits, 500).allowed).toBe(true);
    expect(take(state, limits, 500).allowed).toBe(false);
    const later = take(state, limits, 60_000);
    expect(later).toEqual({ allowed: true, remaining: 2 });
  });
});

import { describe, expect, it } from "vitest";
import { reserve, toWake, type Holding } from "../../src/limits/slots";

const holding = (held: number, extra: Partial<Holding> = {}): Holding => ({
  held,
  waiting: 0,
  waitingSince: null,
  expiresAt: 10_000,
  ...extra,
});

describe("concurrency slots", () => {
  it("grants up to the tenant's maximum and records what is still wanted", () => {
    expect(reserve([], null, 0, 10, 4, 0, 1000)).toEqual({
      allowed: 4,
      holding: { held: 4, waiting: 6, waitingSince: 0, expiresAt: 1000 },
    });
  });

  it("shares the maximum with the tenant's other jobs and never takes back what is in flight", () => {
    expect(reserve([holding(3)], null, 0, 5, 4, 0, 1000).allowed).toBe(1);
    expect(reserve([holding(4)], null, 0, 5, 4, 0, 1000).allowed).toBe(0);
    // Over the maximum already (e.g. the maximum was lowered): keeps its files, gets no more.
    expect(reserve([holding(4)], null, 3, 5, 4, 0, 1000).allowed).toBe(3);
  });

  it("ignores holdings that expired (a job that stopped reporting)", () => {
    expect(reserve([holding(4, { expiresAt: 5 })], null, 0, 2, 4, 10, 1000).allowed).toBe(2);
  });

  it("releases a job that has nothing in flight and wants nothing", () => {
    expect(reserve([], holding(2), 0, 0, 4, 0, 1000)).toEqual({ allowed: 0, holding: null });
  });

  it("keeps a waiter's place in line", () => {
    const first = reserve([holding(4)], null, 0, 3, 4, 100, 1000).holding;
    expect(reserve([holding(4)], first, 0, 3, 4, 200, 1000).holding?.waitingSince).toBe(100);
  });

  it("wakes the oldest waiters until the freed slots are spoken for", () => {
    const waiters = [
      { key: "late", ...holding(0, { waiting: 5, waitingSince: 300 }) },
      { key: "early", ...holding(0, { waiting: 2, waitingSince: 100 }) },
      { key: "middle", ...holding(1, { waiting: 2, waitingSince: 200 }) },
      { key: "satisfied", ...holding(2) },
    ];
    expect(toWake(waiters, 1)).toEqual(["early"]);
    expect(toWake(waiters, 3)).toEqual(["early", "middle"]);
    expect(toWake(waiters, 100)).toEqual(["early", "middle", "late"]);
    expect(toWake(waiters, 0)).toEqual([]);
  });
});

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import type { StageName } from "../../src/pipeline/stage-names";
import { jobCommands } from "./model/commands";
import { coverage } from "./model/coverage";
import { RealJob } from "./model/real-job";

/**
 * Property-based state-machine test of the Job Durable Object: random sequences of claims, reports
 * (completions, failures, skips, transient retries; duplicated, stale and out of order), crashes
 * (claims never reported), deadlines passing, alarms, cancels, retries, dead letters and re-drives,
 * run against the real Job DO and a reference model, compared after every step. Task messages are
 * all dropped, so nothing but the test touches the job. The seed is fixed so `npm test` is
 * deterministic; a failure prints the seed and the shrunk sequence of operations.
 */
const SEED = 5_20261121;
const PIPELINES: StageName[][] = [
  ["extract"],
  ["extract", "thumbnail"],
  ["extract", "analyze", "enrich", "index"],
];

const EXERCISED = [
  "claim claimed",
  "claim leased",
  "claim done",
  "claim cancelled",
  "claim unknown_file",
  "report accepted",
  "report stale_lease",
  "report cancelled",
  "alarm re-drove an expired lease",
  "alarm re-sent a lost dispatch",
  "alarm gave up on a file",
  "job completed",
  "job completed_with_errors",
  "job failed",
  "job cancelled",
  "retry retried",
  "retry running",
  "deadLetter failed",
  "redrive redriven",
  "redrive not_failed",
];

beforeAll(() => {
  armFault("dispatch.drop", 1_000_000_000);
});

afterAll(() => {
  disarmFaults();
});

describe("the Job DO against its model", () => {
  it("keeps the invariants over random operation sequences", async () => {
    console.log(`model test seed ${SEED}`);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(...PIPELINES),
        fc.commands(jobCommands, { maxCommands: 40, size: "max" }),
        async (fileCount, stages, commands) => {
          const setup = await RealJob.create(fileCount, stages);
          await fc.asyncModelRun(() => setup, commands);
        },
      ),
      { seed: SEED, numRuns: 60, endOnFailure: false },
    );
    console.log(`model test coverage: ${JSON.stringify(Object.fromEntries([...coverage].sort()))}`);
    // The runs reached every kind of outcome the invariants are about (else the test proves little).
    for (const outcome of EXERCISED) expect(coverage.get(outcome) ?? 0, outcome).toBeGreaterThan(0);
  });
});

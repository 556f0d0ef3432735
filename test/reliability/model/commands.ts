/**
 * The operations of the model test, as fast-check commands: each runs the same operation against the
 * model and the real Job DO, compares their answers, then checks the whole state (RealJob.check).
 * Crashes need no command of their own: a claim that is never reported is a consumer that died, and
 * `ExpireDeadlines` + `Alarm` is time passing until the Job DO notices. Reporting an old claim again
 * is a duplicate or out-of-order delivery; claiming a file twice is a duplicate message.
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { FileReport, TaskReport } from "../../../src/jobs/contracts";
import { JobModel, MAX_ATTEMPTS, type Outcome, type TaskReportSpec } from "./job-model";
import { count } from "./coverage";
import type { RealJob } from "./real-job";

type Command = fc.AsyncCommand<JobModel, RealJob>;

const UNKNOWN_FILE = "file_01ARZ3NDEKTSV4RRFFQ69G5FAV";

const pick = <T>(items: readonly T[], index: number): T | undefined =>
  items[index % Math.max(1, items.length)];

class Claim implements Command {
  constructor(readonly picks: number[]) {}
  check = () => true;
  async run(model: JobModel, real: RealJob): Promise<void> {
    const ids = this.picks.map((index) => (index < 0 ? UNKNOWN_FILE : (pick(model.files, index)?.id ?? "")));
    model.beginStep();
    const expected = model.claim(ids);
    const actual = await real.stub.claim(ids);
    expect(
      actual.map((result) =>
        result.outcome === "claimed"
          ? { fileId: result.fileId, outcome: "claimed", token: result.token }
          : { fileId: result.fileId, outcome: "skip", reason: result.reason },
      ),
    ).toEqual(expected);
    for (const result of expected)
      count(`claim ${result.outcome === "claimed" ? "claimed" : (result.reason ?? "")}`);
    await real.check(model, this.toString());
  }
  toString = () => `claim(${this.picks.join(",")})`;
}

function taskReport(spec: TaskReportSpec, token: number): TaskReport {
  const outcome: Outcome = spec.outcome;
  switch (outcome) {
    case "completed":
      return {
        stage: spec.stage,
        status: "completed",
        result: { token, stage: spec.stage },
        outputs: [{ name: `${spec.stage}.out`, contentType: "text/plain", bytes: token }],
        durationMs: 1,
      };
    case "failed":
      return {
        stage: spec.stage,
        status: "failed",
        error: { code: "corrupt_file", message: "bad" },
        durationMs: 1,
      };
    case "skipped":
      return {
        stage: spec.stage,
        status: "skipped",
        reason: { code: "not_applicable", message: "n/a" },
        durationMs: 1,
      };
    case "retry":
      return {
        stage: spec.stage,
        status: "retry",
        error: { code: "transient_error", message: "flaky" },
        retryDelaySeconds: 1,
      };
  }
}

class Report implements Command {
  constructor(
    readonly claims: number[],
    readonly outcomes: Outcome[],
  ) {}
  check = (model: Readonly<JobModel>) => model.claims.length > 0;
  async run(model: JobModel, real: RealJob): Promise<void> {
    const reports: FileReport[] = [];
    const specs = this.claims.map((index) => {
      const claim = pick(model.claims, index);
      if (!claim) throw new Error("no claim to report");
      const tasks = JobModel.reportFor(claim, this.outcomes);
      reports.push({
        fileId: claim.fileId,
        token: claim.token,
        tasks: tasks.map((t) => taskReport(t, claim.token)),
      });
      return { fileId: claim.fileId, token: claim.token, tasks };
    });
    model.beginStep();
    const expected = model.report(specs);
    expect(await real.stub.report(reports)).toEqual(expected);
    for (const result of expected) count(`report ${result.accepted ? "accepted" : (result.reason ?? "")}`);
    await real.check(model, this.toString());
  }
  toString = () => `report(claims ${this.claims.join(",")}: ${this.outcomes.join(",")})`;
}

class ExpireDeadlines implements Command {
  check = () => true;
  async run(model: JobModel, real: RealJob): Promise<void> {
    model.beginStep();
    model.expireDeadlines();
    await real.expireDeadlines();
    await real.check(model, this.toString());
  }
  toString = () => "expireDeadlines";
}

class Alarm implements Command {
  check = () => true;
  async run(model: JobModel, real: RealJob): Promise<void> {
    const expired = model.files.filter((file) => file.status === "processing" && file.leaseExpired);
    const lost = model.files.filter((file) => file.status === "pending" && file.dispatch === "expired");
    if (expired.length > 0) count("alarm re-drove an expired lease");
    if (lost.length > 0) count("alarm re-sent a lost dispatch");
    model.beginStep();
    model.alarm();
    if (model.events.some((event) => event.type === "job.stage_failed")) count("alarm gave up on a file");
    await real.alarm();
    await real.check(model, this.toString());
  }
  toString = () => "alarm";
}

/** A consumer that keeps dying: the file's lease runs out and it is claimed again at once. */
class Churn implements Command {
  constructor(readonly file: number) {}
  check = () => true;
  async run(model: JobModel, real: RealJob): Promise<void> {
    await new ExpireDeadlines().run(model, real);
    await new Claim([this.file]).run(model, real);
  }
  toString = () => `churn(${this.file})`;
}

/** Every consumer that claims the file dies, until the Job DO gives up on it (MAX_ATTEMPTS). */
class CrashLoop implements Command {
  constructor(readonly file: number) {}
  check = () => true;
  async run(model: JobModel, real: RealJob): Promise<void> {
    for (let round = 0; round <= MAX_ATTEMPTS; round++) {
      await new Claim([this.file]).run(model, real);
      await new ExpireDeadlines().run(model, real);
      await new Alarm().run(model, real);
    }
  }
  toString = () => `crashLoop(${this.file})`;
}

class Cancel implements Command {
  check = () => true;
  async run(model: JobModel, real: RealJob): Promise<void> {
    model.beginStep();
    const expected = model.cancel();
    expect((await real.stub.cancel())?.outcome).toBe(expected);
    count(`cancel ${expected}`);
    await real.check(model, this.toString());
  }
  toString = () => "cancel";
}

class Retry implements Command {
  check = () => true;
  async run(model: JobModel, real: RealJob): Promise<void> {
    model.beginStep();
    const expected = model.retry();
    expect((await real.stub.retry())?.outcome).toBe(expected);
    count(`retry ${expected}`);
    await real.check(model, this.toString());
  }
  toString = () => "retry";
}

class DeadLetter implements Command {
  constructor(readonly file: number) {}
  check = () => true;
  async run(model: JobModel, real: RealJob): Promise<void> {
    const id = pick(model.files, this.file)?.id ?? "";
    model.beginStep();
    const expected = model.deadLetter(id);
    const actual = await real.stub.deadLetter(id);
    expect({ kind: actual.kind, attempts: "attempts" in actual ? actual.attempts : undefined }).toEqual(
      expected,
    );
    count(`deadLetter ${expected.kind}`);
    await real.check(model, this.toString());
  }
  toString = () => `deadLetter(${this.file})`;
}

class Redrive implements Command {
  constructor(readonly file: number) {}
  check = () => true;
  async run(model: JobModel, real: RealJob): Promise<void> {
    const id = pick(model.files, this.file)?.id ?? "";
    model.beginStep();
    const expected = model.redrive(id);
    expect((await real.stub.redrive(id)).kind).toBe(expected);
    count(`redrive ${expected}`);
    await real.check(model, this.toString());
  }
  toString = () => `redrive(${this.file})`;
}

const outcome = fc.constantFrom<Outcome>("completed", "completed", "failed", "skipped", "retry");

const claims = fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 1, maxLength: 4 });
const reports = fc.tuple(
  fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  fc.array(outcome, { minLength: 1, maxLength: 4 }),
);

/** The operations, weighted towards the consumers' (claims and reports are most of a job's life). */
export const jobCommands: fc.Arbitrary<Command>[] = [
  fc.oneof(
    { weight: 6, arbitrary: claims.map((picks) => new Claim(picks)) },
    { weight: 6, arbitrary: reports.map(([picked, outcomes]) => new Report(picked, outcomes)) },
    { weight: 3, arbitrary: fc.nat(3).map((file) => new Churn(file)) },
    { weight: 2, arbitrary: fc.constant(new ExpireDeadlines()) },
    { weight: 3, arbitrary: fc.constant(new Alarm()) },
    { weight: 1, arbitrary: fc.constant(new Cancel()) },
    { weight: 2, arbitrary: fc.constant(new Retry()) },
    { weight: 2, arbitrary: fc.nat(3).map((file) => new DeadLetter(file)) },
    { weight: 2, arbitrary: fc.nat(3).map((file) => new Redrive(file)) },
    { weight: 1, arbitrary: fc.nat(3).map((file) => new CrashLoop(file)) },
  ),
];

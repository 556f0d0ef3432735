/**
 * A reference model of one job, written from the rules of ARCHITECTURE and the job's documented
 * behaviour rather than from its SQL: files with their lease (fencing token, expired or not), their
 * dispatch (fresh, expired, none), their tasks, and the events each transition must emit. The
 * property test runs the same random operations against this model and the real Job DO and compares
 * them after every step. Task messages are never delivered in that test (every dispatch is dropped),
 * so the model says what happens to a dispatch at the end of each operation: a pending file's
 * dispatch is "sent" (counted, fresh); anything else's is discarded.
 */
import { STAGE_DEPENDENCIES, type StageName } from "../../../src/pipeline/stage-names";

export type JobStatus =
  "pending" | "processing" | "completed" | "completed_with_errors" | "failed" | "cancelled";
export type FileStatus = "pending" | "processing" | "completed" | "failed" | "cancelled";
export type TaskStatus = "pending" | "started" | "completed" | "failed" | "skipped" | "cancelled";
export type Outcome = "completed" | "failed" | "skipped" | "retry";

export const MAX_ATTEMPTS = 8;
export const TERMINAL_JOB = new Set<JobStatus>(["completed", "completed_with_errors", "failed", "cancelled"]);
const TERMINAL_TASK = new Set<TaskStatus>(["completed", "failed", "skipped", "cancelled"]);

export interface ModelTask {
  status: TaskStatus;
  attempts: number;
  /** Why it was skipped: `dependency_failed`/`dependency_skipped` (the job's own rule) or the stage's own reason. */
  skippedBecause: string | null;
}

export interface ModelFile {
  id: string;
  status: FileStatus;
  attempts: number;
  dispatches: number;
  token: number | null;
  leaseExpired: boolean;
  dispatch: "fresh" | "expired" | null;
  tasks: Map<StageName, ModelTask>;
}

export interface ModelEvent {
  type: string;
  fileId: string | null;
  stage: StageName | null;
}

export interface IssuedClaim {
  fileId: string;
  token: number;
  stages: StageName[];
  completedBefore: StageName[];
}

export type ClaimOutcome = { fileId: string; outcome: "claimed" | "skip"; reason?: string; token?: number };
export type ReportOutcome = { fileId: string; accepted: boolean; reason?: string };

export interface TaskReportSpec {
  stage: StageName;
  outcome: Outcome;
}

export class JobModel {
  status: JobStatus = "pending";
  leaseCounter = 0;
  readonly files: ModelFile[];
  readonly claims: IssuedClaim[] = [];
  /** Tokens whose report completed each task (`file/stage` → token). */
  readonly completedBy = new Map<string, number>();
  events: ModelEvent[] = [];
  private toDispatch = new Set<string>();

  constructor(
    fileIds: string[],
    readonly stages: StageName[],
  ) {
    this.files = fileIds.map((id) => ({
      id,
      status: "pending",
      attempts: 0,
      dispatches: 0,
      token: null,
      leaseExpired: false,
      dispatch: null,
      tasks: new Map(
        stages.map((stage) => [stage, { status: "pending", attempts: 0, skippedBecause: null }]),
      ),
    }));
    this.files.forEach((file) => this.toDispatch.add(file.id));
    this.emit("job.created");
    this.endStep();
  }

  /** Starts an operation: the events it emits are collected from here. */
  beginStep(): void {
    this.events = [];
  }

  file(id: string): ModelFile | undefined {
    return this.files.find((file) => file.id === id);
  }

  // ---- consumers ------------------------------------------------------------------------------

  claim(fileIds: string[]): ClaimOutcome[] {
    const results: ClaimOutcome[] = [];
    const touched: ModelFile[] = [];
    for (const id of fileIds) {
      const file = this.file(id);
      if (!file) results.push({ fileId: id, outcome: "skip", reason: "unknown_file" });
      else if (this.status === "cancelled" || file.status === "cancelled")
        results.push({ fileId: id, outcome: "skip", reason: "cancelled" });
      else if (file.status === "completed" || file.status === "failed")
        results.push({ fileId: id, outcome: "skip", reason: "done" });
      else if (file.status === "processing" && !file.leaseExpired)
        results.push({ fileId: id, outcome: "skip", reason: "leased" });
      else {
        touched.push(file);
        if (file.attempts >= MAX_ATTEMPTS) {
          this.giveUp(file);
          results.push({ fileId: id, outcome: "skip", reason: "done" });
        } else {
          const token = this.lease(file);
          results.push({ fileId: id, outcome: "claimed", token });
        }
      }
    }
    if (touched.length > 0) this.settle(touched);
    this.endStep();
    return results;
  }

  private lease(file: ModelFile): number {
    const token = ++this.leaseCounter;
    if (this.status === "pending") {
      this.status = "processing";
      this.emit("job.started");
    }
    Object.assign(file, { status: "processing", token, leaseExpired: false, dispatch: null });
    file.attempts += 1;
    const claim: IssuedClaim = { fileId: file.id, token, stages: [], completedBefore: [] };
    for (const [stage, task] of this.ordered(file)) {
      if (task.status === "completed") claim.completedBefore.push(stage);
      if (TERMINAL_TASK.has(task.status)) continue;
      claim.stages.push(stage);
      if (task.status === "pending") this.emit("job.stage_started", file.id, stage);
      task.status = "started";
      task.attempts += 1;
    }
    this.claims.push(claim);
    return token;
  }

  /** What a well-behaved consumer reports for a claim: stages whose dependencies completed, in order. */
  static reportFor(claim: IssuedClaim, outcomes: readonly Outcome[]): TaskReportSpec[] {
    const completed = new Set(claim.completedBefore);
    const reports: TaskReportSpec[] = [];
    claim.stages.forEach((stage, index) => {
      if (STAGE_DEPENDENCIES[stage].some((needed) => !completed.has(needed))) return;
      const outcome = outcomes[index % outcomes.length] ?? "completed";
      if (outcome === "completed") completed.add(stage);
      reports.push({ stage, outcome });
    });
    return reports;
  }

  report(reports: { fileId: string; token: number; tasks: TaskReportSpec[] }[]): ReportOutcome[] {
    const results: ReportOutcome[] = [];
    const touched: ModelFile[] = [];
    for (const report of reports) {
      const file = this.file(report.fileId);
      if (!file) results.push({ fileId: report.fileId, accepted: false, reason: "unknown_file" });
      else if (this.status === "cancelled" || file.status === "cancelled")
        results.push({ fileId: report.fileId, accepted: false, reason: "cancelled" });
      else if (file.status !== "processing" || file.token !== report.token)
        results.push({ fileId: report.fileId, accepted: false, reason: "stale_lease" });
      else {
        touched.push(file);
        this.applyReport(file, report.token, report.tasks);
        results.push({ fileId: report.fileId, accepted: true });
      }
    }
    if (touched.length > 0) this.settle(touched);
    this.endStep();
    return results;
  }

  private applyReport(file: ModelFile, token: number, reports: TaskReportSpec[]): void {
    let retry = false;
    for (const { stage, outcome } of reports) {
      const task = file.tasks.get(stage);
      if (task?.status !== "started") continue;
      if (outcome === "retry") {
        task.status = "pending";
        retry = true;
        continue;
      }
      task.status = outcome;
      task.skippedBecause = outcome === "skipped" ? "not_applicable" : null;
      this.emit(`job.stage_${outcome}`, file.id, stage);
      if (outcome === "completed") this.completedBy.set(`${file.id}/${stage}`, token);
    }
    this.skipBlocked(file);
    if (retry) this.requeue(file, "fresh");
  }

  deadLetter(id: string): { kind: string; attempts?: number } {
    const file = this.file(id);
    if (!file) {
      this.endStep();
      return { kind: "unknown_file" };
    }
    const finished = ["completed", "failed", "cancelled"].includes(file.status);
    if (!TERMINAL_JOB.has(this.status) && !finished) {
      this.giveUp(file);
      this.settle([file]);
    }
    this.endStep();
    return { kind: file.status === "failed" ? "failed" : "finished", attempts: file.attempts };
  }

  // ---- client actions -------------------------------------------------------------------------

  cancel(): "cancelled" | "terminal" {
    if (TERMINAL_JOB.has(this.status)) return this.done("terminal");
    for (const file of this.files) {
      if (file.status !== "pending" && file.status !== "processing") continue;
      Object.assign(file, { status: "cancelled", token: null, leaseExpired: false });
      for (const task of file.tasks.values()) if (!TERMINAL_TASK.has(task.status)) task.status = "cancelled";
    }
    this.toDispatch.clear();
    this.status = "cancelled";
    this.emit("job.cancelled");
    return this.done("cancelled");
  }

  retry(): "retried" | "running" | "nothing" {
    if (!TERMINAL_JOB.has(this.status)) return this.done("running");
    const failed = this.files.filter((file) => file.status === "failed");
    if ((this.status !== "failed" && this.status !== "completed_with_errors") || failed.length === 0)
      return this.done("nothing");
    for (const file of failed) this.reopen(file);
    this.status = "processing";
    this.emit("job.retried");
    return this.done("retried");
  }

  redrive(id: string): string {
    const file = this.file(id);
    if (!file) return this.done("unknown_file");
    if (this.status === "cancelled") return this.done("cancelled");
    if (file.status !== "failed") return this.done("not_failed");
    this.reopen(file);
    Object.assign(file, { token: null, leaseExpired: false, dispatch: null });
    if (TERMINAL_JOB.has(this.status)) this.status = "processing";
    this.emit("job.retried", file.id);
    return this.done("redriven");
  }

  private reopen(file: ModelFile): void {
    for (const task of file.tasks.values()) {
      if (
        task.status === "failed" ||
        (task.status === "skipped" &&
          (task.skippedBecause === "dependency_failed" || task.skippedBecause === "dependency_skipped"))
      ) {
        task.status = "pending";
        task.skippedBecause = null;
      }
    }
    Object.assign(file, { status: "pending", attempts: 0, dispatches: 0 });
    this.toDispatch.add(file.id);
  }

  // ---- time and the alarm ---------------------------------------------------------------------

  /** Every lease and dispatch deadline passes. */
  expireDeadlines(): void {
    for (const file of this.files) {
      if (file.status === "processing") file.leaseExpired = true;
      if (file.dispatch === "fresh") file.dispatch = "expired";
    }
  }

  alarm(): void {
    if (TERMINAL_JOB.has(this.status)) {
      this.endStep();
      return;
    }
    const touched: ModelFile[] = [];
    for (const file of this.files.filter((candidate) => candidate.status === "processing")) {
      if (!file.leaseExpired) continue;
      touched.push(file);
      if (file.attempts >= MAX_ATTEMPTS) this.giveUp(file);
      else {
        this.requeue(file, null);
        this.toDispatch.add(file.id);
      }
    }
    for (const file of this.files.filter((candidate) => candidate.status === "pending")) {
      const lost = file.dispatch === "expired" || (file.dispatch === null && !this.toDispatch.has(file.id));
      if (!lost) continue;
      touched.push(file);
      if (file.dispatches >= MAX_ATTEMPTS) this.giveUp(file);
      else {
        file.dispatch = null;
        this.toDispatch.add(file.id);
      }
    }
    if (touched.length > 0) this.settle(touched);
    this.endStep();
  }

  // ---- shared rules ---------------------------------------------------------------------------

  private ordered(file: ModelFile): [StageName, ModelTask][] {
    return this.stages.map((stage) => [stage, file.tasks.get(stage) as ModelTask]);
  }

  private requeue(file: ModelFile, dispatch: "fresh" | null): void {
    for (const task of file.tasks.values()) if (task.status === "started") task.status = "pending";
    Object.assign(file, { status: "pending", token: null, leaseExpired: false, dispatch });
  }

  private giveUp(file: ModelFile): void {
    for (const [stage, task] of this.ordered(file)) {
      if (TERMINAL_TASK.has(task.status)) continue;
      const blocked = STAGE_DEPENDENCIES[stage].some((needed) => {
        const dependency = file.tasks.get(needed);
        return dependency !== undefined && dependency.status !== "completed";
      });
      if (blocked) continue;
      task.status = "failed";
      this.emit("job.stage_failed", file.id, stage);
    }
    this.skipBlocked(file);
  }

  private skipBlocked(file: ModelFile): void {
    const states = new Map<StageName, TaskStatus>();
    for (const [stage, task] of this.ordered(file)) {
      if (!TERMINAL_TASK.has(task.status)) {
        const blocked = STAGE_DEPENDENCIES[stage].find((needed) => {
          const state = states.get(needed);
          return state === "failed" || state === "skipped";
        });
        if (blocked) {
          task.status = "skipped";
          task.skippedBecause = states.get(blocked) === "failed" ? "dependency_failed" : "dependency_skipped";
          this.emit("job.stage_skipped", file.id, stage);
        }
      }
      states.set(stage, task.status);
    }
  }

  private settle(touched: ModelFile[]): void {
    for (const file of new Set(touched)) {
      if (file.status !== "processing" && file.status !== "pending") continue;
      const tasks = [...file.tasks.values()];
      if (!tasks.every((task) => TERMINAL_TASK.has(task.status))) continue;
      const failed = tasks.some((task) => task.status === "failed");
      Object.assign(file, { status: failed ? "failed" : "completed", token: null, leaseExpired: false });
      file.dispatch = null;
      this.toDispatch.delete(file.id);
      this.emit(failed ? "job.file_failed" : "job.file_completed", file.id);
    }
    const count = (status: FileStatus) => this.files.filter((file) => file.status === status).length;
    if (count("pending") > 0 || count("processing") > 0 || TERMINAL_JOB.has(this.status)) return;
    if (count("failed") === 0) this.status = "completed";
    else if (count("completed") === 0) this.status = "failed";
    else this.status = "completed_with_errors";
    this.emit(this.status === "failed" ? "job.failed" : "job.completed");
  }

  private emit(type: string, fileId: string | null = null, stage: StageName | null = null): void {
    this.events.push({ type, fileId, stage });
  }

  /** The end of an operation: dispatches recorded by it are sent (pending files) or dropped. */
  private endStep(): void {
    for (const id of this.toDispatch) {
      const file = this.file(id);
      if (file?.status !== "pending") continue;
      file.dispatches += 1;
      file.dispatch = "fresh";
    }
    this.toDispatch.clear();
  }

  private done<T>(value: T): T {
    this.endStep();
    return value;
  }
}

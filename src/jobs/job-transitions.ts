/**
 * The rules every job transition shares: how a task finishes, how stages blocked by a failed
 * dependency are skipped, how a file is given up on or put back in line, and how file and job
 * outcomes follow from their tasks (each transition emitting its event exactly once). The operations
 * themselves are in job-machine.ts.
 */
import { STAGE_DEPENDENCIES, type StageName } from "../pipeline/stage-names";
import type { StageProblem } from "./contracts";
import type { FileRow, JobRow, JobStore, TaskRow } from "./job-store";
import { jobStages } from "./job-view";
import { TERMINAL_JOB_STATUSES, TERMINAL_TASK_STATUSES, type JobStatus } from "./types";

export interface MachineSettings {
  leaseMs: number;
  redriveAfterMs: number;
  maxAttempts: number;
  projectionDebounceMs: number;
}

export type EventData = Record<string, unknown>;

export const isTerminalTask = (task: TaskRow): boolean => TERMINAL_TASK_STATUSES.has(task.status);

/** Why a stage was skipped because of a stage it needs: that one failed, or was itself skipped. */
export const BLOCKED_BY = { failed: "dependency_failed", skipped: "dependency_skipped" } as const;

const isBlockedByDependency = (task: TaskRow): boolean =>
  task.status === "skipped" &&
  (task.error_code === BLOCKED_BY.failed || task.error_code === BLOCKED_BY.skipped);

export class JobTransitions {
  constructor(
    protected readonly store: JobStore,
    protected readonly settings: MachineSettings,
  ) {}

  protected requireJob(): JobRow {
    const job = this.store.job();
    if (!job) throw new Error("job does not exist");
    return job;
  }

  protected orderedTasks(job: JobRow, fileId: string): TaskRow[] {
    const byStage = new Map(this.store.tasksOf(fileId).map((task) => [task.stage, task]));
    return jobStages(job).flatMap((stage) => byStage.get(stage) ?? []);
  }

  protected finishTask(
    fileId: string,
    stage: StageName,
    status: "failed" | "skipped",
    problem: StageProblem,
    now: number,
    durationMs: number | null,
  ): void {
    this.store.updateTask(fileId, stage, {
      status,
      completed_at: now,
      duration_ms: durationMs === null ? null : Math.round(durationMs),
      error_code: problem.code,
      error_message: problem.message,
    });
    const type = status === "failed" ? "job.stage_failed" : "job.stage_skipped";
    this.event(now, type, fileId, stage, status === "failed" ? { error: problem } : { reason: problem });
  }

  /** Unfinished stages whose dependencies failed or were skipped can never run: skip them. */
  protected skipBlockedTasks(job: JobRow, fileId: string, now: number): void {
    const states = new Map<StageName, TaskRow["status"]>();
    for (const task of this.orderedTasks(job, fileId)) {
      let status = task.status;
      if (!isTerminalTask(task)) {
        const blocked = STAGE_DEPENDENCIES[task.stage].find((needed) => {
          const state = states.get(needed);
          return state === "failed" || state === "skipped";
        });
        if (blocked) {
          const dependencyFailed = states.get(blocked) === "failed";
          this.finishTask(
            fileId,
            task.stage,
            "skipped",
            dependencyFailed
              ? { code: BLOCKED_BY.failed, message: `stage '${blocked}' failed` }
              : { code: BLOCKED_BY.skipped, message: `stage '${blocked}' was skipped` },
            now,
            null,
          );
          status = "skipped";
        }
      }
      states.set(task.stage, status);
    }
  }

  /** Puts a file's failed stages, and those skipped because of them, back to pending. */
  protected resetFailedTasks(fileId: string): void {
    for (const task of this.store.tasksOf(fileId)) {
      if (task.status !== "failed" && !isBlockedByDependency(task)) continue;
      this.store.updateTask(fileId, task.stage, {
        status: "pending",
        error_code: null,
        error_message: null,
        completed_at: null,
        duration_ms: null,
      });
    }
  }

  /** Fails every unfinished stage of a file (the first with the reason, the rest as blocked). */
  protected giveUp(job: JobRow, file: FileRow, now: number, why: string): void {
    for (const task of this.orderedTasks(job, file.file_id)) {
      if (isTerminalTask(task)) continue;
      const blocked = STAGE_DEPENDENCIES[task.stage].some((needed) => {
        const dependency = this.store.task(file.file_id, needed);
        return dependency !== null && dependency.status !== "completed";
      });
      if (blocked) continue;
      const last = task.error_code ? ` (last error: ${task.error_code}: ${task.error_message ?? ""})` : "";
      this.finishTask(
        file.file_id,
        task.stage,
        "failed",
        { code: "retries_exhausted", message: why + last },
        now,
        null,
      );
    }
    this.skipBlockedTasks(job, file.file_id, now);
  }

  /** Puts a file back in line for another delivery (expected at `retryAt` when the queue retries). */
  protected requeue(fileId: string, now: number, retryAt: number | null): void {
    for (const task of this.store.tasksOf(fileId)) {
      if (task.status === "started") this.store.updateTask(fileId, task.stage, { status: "pending" });
    }
    this.store.updateFile(fileId, {
      status: "pending",
      lease_token: null,
      lease_expires_at: null,
      dispatched_at: retryAt,
      updated_at: now,
    });
  }

  /**
   * Derives file and job outcomes after task changes of the `touched` files (only those can have
   * changed, which keeps a report O(its files) in a job of thousands), emitting each event once.
   */
  protected settle(now: number, statusBefore: JobStatus, touched: Iterable<string>): void {
    const job = this.requireJob();
    for (const fileId of new Set(touched)) {
      const file = this.store.file(fileId);
      if (file?.status !== "processing" && file?.status !== "pending") continue;
      const tasks = this.store.tasksOf(file.file_id);
      if (!tasks.every(isTerminalTask)) continue;
      const failedStages = tasks.filter((task) => task.status === "failed").map((task) => task.stage);
      const status = failedStages.length > 0 ? "failed" : "completed";
      this.store.updateFile(file.file_id, {
        status,
        lease_token: null,
        lease_expires_at: null,
        dispatched_at: null,
        updated_at: now,
      });
      this.store.deleteDispatch(file.file_id);
      if (status === "failed") this.event(now, "job.file_failed", file.file_id, null, { failedStages });
      else this.event(now, "job.file_completed", file.file_id, null, {});
    }
    const counts = this.store.counts();
    let terminal: JobStatus | null = null;
    if (counts.pending === 0 && counts.processing === 0 && !TERMINAL_JOB_STATUSES.has(job.status)) {
      if (counts.failed === 0) terminal = "completed";
      else if (counts.completed === 0) terminal = "failed";
      else terminal = "completed_with_errors";
      this.store.updateJob({ status: terminal, completed_at: now });
      if (terminal === "failed") this.event(now, "job.failed", null, null, { counts });
      else this.event(now, "job.completed", null, null, { status: terminal, counts });
    }
    this.touch(now, terminal !== null || job.status !== statusBefore);
  }

  /** Bumps the job's version and schedules the D1 projection (at once when the status moved). */
  protected touch(now: number, statusChanged: boolean): void {
    const job = this.requireJob();
    this.store.updateJob({ version: job.version + 1, updated_at: now });
    const debounce = statusChanged ? 0 : this.settings.projectionDebounceMs;
    this.store.enqueue("projection", "", now + debounce);
  }

  protected event(
    now: number,
    type: string,
    fileId: string | null,
    stage: StageName | null,
    data: EventData,
  ): void {
    this.store.appendEvent(type, fileId, stage, now, data);
    this.store.enqueue("publish", "", now);
  }
}

/**
 * The Job DO's side of dead letters. Recording one fails what the file still had to do (as before) and
 * tells the caller what happened to the file, with its attempts and the last error a stage reported,
 * for the dead-letter listing. Re-driving one runs a failed file again even after the job ended: the
 * file's failed stages (and those skipped because of them) go back to pending, the job leaves its
 * terminal state for `processing`, a `job.retried` event names the file, and a new task message is
 * dispatched; the job then settles again when the file finishes, as any job does.
 */
import type { StageProblem } from "./contracts";
import { JobMachine } from "./job-machine";
import type { TaskRow } from "./job-store";
import { TERMINAL_JOB_STATUSES, type FileStatus } from "./types";

export type DeadLetterOutcome =
  | { kind: "no_job" | "unknown_file" }
  /** The file is failed (by this call, or it already was): a dead letter to act on. */
  | { kind: "failed"; changed: boolean; attempts: number; error: StageProblem | null }
  /** The file finished some other way (completed, or cancelled with its job): nothing to act on. */
  | { kind: "finished"; status: FileStatus; attempts: number }
  /** A late dead letter: a newer message was sent for the file since (retry, re-drive); nothing changed. */
  | { kind: "stale"; generation: number };

export type RedriveOutcome =
  | { kind: "redriven" }
  | { kind: "no_job" | "unknown_file" | "cancelled" }
  | { kind: "not_failed"; status: FileStatus };

/** The most telling error of a file: a transient error still waiting for a retry, else a failure. */
function lastError(tasks: readonly TaskRow[]): StageProblem | null {
  const waiting = tasks.find((task) => task.status !== "failed" && task.error_code !== null);
  const failed = tasks.find((task) => task.status === "failed" && task.error_code !== null);
  const task = waiting ?? failed;
  return task?.error_code ? { code: task.error_code, message: task.error_message ?? "" } : null;
}

export class DeadLetterMachine extends JobMachine {
  /**
   * Fails the unfinished stages of a dead-lettered file and says what became of it. A dead letter of
   * an older dispatch `generation` than the file's current one is fenced: it changes nothing.
   */
  recordDeadLetter(fileId: string, now: number, generation?: number): DeadLetterOutcome {
    const before = this.store.file(fileId);
    if (!before) return { kind: "unknown_file" };
    const current = before.generation ?? 0;
    if (generation !== undefined && generation < current) return { kind: "stale", generation: current };
    // Read the last transient error first: failing the file replaces it with `retries_exhausted`.
    const error = lastError(this.store.tasksOf(fileId));
    const changed = this.deadLetter(fileId, now);
    const file = this.store.file(fileId) ?? before;
    if (file.status !== "failed") return { kind: "finished", status: file.status, attempts: file.attempts };
    return {
      kind: "failed",
      changed,
      attempts: file.attempts,
      error: error ?? lastError(this.store.tasksOf(fileId)),
    };
  }

  /** Runs a failed file again, taking the job out of its terminal state when it had ended. */
  redrive(fileId: string, now: number): RedriveOutcome {
    const job = this.requireJob();
    const file = this.store.file(fileId);
    if (!file) return { kind: "unknown_file" };
    if (job.status === "cancelled") return { kind: "cancelled" };
    if (file.status !== "failed") return { kind: "not_failed", status: file.status };
    this.resetFailedTasks(fileId);
    this.store.updateFile(fileId, {
      status: "pending",
      attempts: 0,
      dispatches: 0,
      lease_token: null,
      lease_expires_at: null,
      dispatched_at: null,
      updated_at: now,
    });
    this.store.enqueue("dispatch", fileId, now);
    const reopened = TERMINAL_JOB_STATUSES.has(job.status);
    if (reopened) this.store.updateJob({ status: "processing", completed_at: null });
    this.event(now, "job.retried", fileId, null, { files: 1, reason: "dead_letter_redrive" });
    this.touch(now, reopened);
    return { kind: "redriven" };
  }
}

/**
 * The Job DO's side of erasure: when one of the job's files is deleted, the work on it stops. The file
 * and its unfinished stages become `cancelled` (event `job.file_cancelled`), its pending task message
 * is dropped, and a consumer still running it is refused when it reports (its lease is gone), so it
 * discards what it wrote. The rest of the job carries on; a job left with nothing but cancelled files
 * is cancelled.
 */
import { JobMachine } from "./job-machine";
import { isTerminalTask } from "./job-transitions";
import { TERMINAL_JOB_STATUSES } from "./types";

export type CancelFileOutcome = "cancelled" | "finished" | "unknown_file";

export class ErasureMachine extends JobMachine {
  cancelFile(fileId: string, now: number): CancelFileOutcome {
    const job = this.requireJob();
    const file = this.store.file(fileId);
    if (!file) return "unknown_file";
    if (TERMINAL_JOB_STATUSES.has(job.status)) return "finished";
    if (file.status !== "pending" && file.status !== "processing") return "finished";
    this.store.updateFile(fileId, {
      status: "cancelled",
      lease_token: null,
      lease_expires_at: null,
      dispatched_at: null,
      updated_at: now,
    });
    for (const task of this.store.tasksOf(fileId)) {
      if (!isTerminalTask(task)) this.store.updateTask(fileId, task.stage, { status: "cancelled" });
    }
    this.store.deleteDispatch(fileId);
    this.event(now, "job.file_cancelled", fileId, null, { reason: "file_deleted" });
    const counts = this.store.counts();
    if (counts.total === counts.cancelled) {
      this.store.updateJob({ status: "cancelled", completed_at: now });
      this.event(now, "job.cancelled", null, null, { counts });
      this.touch(now, true);
    } else {
      this.settle(now, job.status, []);
    }
    return "cancelled";
  }
}

/**
 * The job state machine. Every change to a job goes through one of these methods, inside one SQLite
 * transaction of the Job DO, and records in the same transaction the events it implies and the side
 * effects to deliver (outbox). Nothing here does I/O beyond the DO's own storage.
 *
 * Leases: a consumer claims a file and gets a fencing token; its report is accepted only while the
 * file is still leased to that token. A repeated report or a report of a task that is no longer
 * running changes nothing, so at-least-once delivery never produces a second result or event.
 */
import type { StageName } from "../pipeline/stage-names";
import type { ClaimResult, CreateJobInput, FileReport, ReportResult, TaskReport } from "./contracts";
import type { FileRow, JobRow } from "./job-store";
import { isTerminalTask, JobTransitions } from "./job-transitions";
import { jobOptions, taskResult } from "./job-view";
import { TERMINAL_JOB_STATUSES } from "./types";

export type { MachineSettings } from "./job-transitions";

export class JobMachine extends JobTransitions {
  // ---- creation -------------------------------------------------------------------------------

  /** Creates the job, or recognises the same creation repeated (same request hash). */
  create(input: CreateJobInput, now: number): "created" | "existing" | "conflict" {
    const existing = this.store.job();
    if (existing) return existing.request_hash === input.requestHash ? "existing" : "conflict";
    this.store.insertJob({
      id: input.jobId,
      tenant_id: input.tenantId,
      jurisdiction: input.jurisdiction,
      status: "pending",
      stages: JSON.stringify(input.stages),
      options: JSON.stringify(input.options),
      request_hash: input.requestHash,
      created_at: now,
      updated_at: now,
      started_at: null,
      completed_at: null,
      version: 1,
      lease_counter: 0,
      webhook_endpoint_id: input.webhookEndpointId,
      published_seq: 0,
      max_in_flight: input.maxInFlight,
      slots_held: 0,
      trace_id: input.traceId ?? null,
    });
    input.files.forEach((file, index) => {
      this.store.insertFile({
        file_id: file.fileId,
        position: index + 1,
        name: file.name,
        size: file.size,
        content_type: file.contentType,
        status: "pending",
        attempts: 0,
        dispatches: 0,
        lease_token: null,
        lease_expires_at: null,
        dispatched_at: null,
        updated_at: now,
      });
      for (const stage of input.stages) this.store.insertTask(file.fileId, stage);
      this.store.enqueue("dispatch", file.fileId, now);
    });
    this.event(now, "job.created", null, null, { files: input.files.length, stages: input.stages });
    this.store.enqueue("projection", "", now);
    return "created";
  }

  // ---- consumers ------------------------------------------------------------------------------

  /** Leases each claimable file to the caller; says why for every file it does not hand out. */
  claim(fileIds: readonly string[], now: number, leaseMs: number): ClaimResult[] {
    const job = this.requireJob();
    const statusBefore = job.status;
    const leaseCounterBefore = job.lease_counter;
    const results: ClaimResult[] = [];
    const touched: string[] = [];
    for (const fileId of fileIds) {
      const file = this.store.file(fileId);
      if (!file) {
        results.push({ outcome: "skip", fileId, reason: "unknown_file" });
        continue;
      }
      if (job.status === "cancelled" || file.status === "cancelled") {
        results.push({ outcome: "skip", fileId, reason: "cancelled" });
        continue;
      }
      if (file.status === "completed" || file.status === "failed") {
        results.push({ outcome: "skip", fileId, reason: "done" });
        continue;
      }
      if (file.status === "processing" && (file.lease_expires_at ?? 0) > now) {
        results.push({ outcome: "skip", fileId, reason: "leased" });
        continue;
      }
      touched.push(fileId);
      if (file.attempts >= this.settings.maxAttempts) {
        this.giveUp(job, file, now, `no attempt finished this file in ${file.attempts} tries`);
        results.push({ outcome: "skip", fileId, reason: "done" });
        continue;
      }
      results.push(this.lease(job, file, now, leaseMs));
    }
    // One write of the lease counter per claim, however many files it leased.
    if (job.lease_counter !== leaseCounterBefore) this.store.updateJob({ lease_counter: job.lease_counter });
    if (touched.length > 0) this.settle(now, statusBefore, touched);
    return results;
  }

  private lease(job: JobRow, file: FileRow, now: number, leaseMs: number): ClaimResult {
    const token = job.lease_counter + 1;
    job.lease_counter = token;
    if (job.status === "pending") {
      job.status = "processing";
      this.store.updateJob({ status: "processing", started_at: now });
      this.event(now, "job.started", null, null, {});
    }
    const attempt = file.attempts + 1;
    this.store.updateFile(file.file_id, {
      status: "processing",
      attempts: attempt,
      lease_token: token,
      lease_expires_at: now + leaseMs,
      dispatched_at: null,
      updated_at: now,
    });
    const tasks = this.orderedTasks(job, file.file_id);
    const stages: StageName[] = [];
    const previous: Record<string, ReturnType<typeof taskResult>> = {};
    for (const task of tasks) {
      if (task.status === "completed") {
        previous[task.stage] = taskResult(task);
        continue;
      }
      if (isTerminalTask(task)) continue;
      stages.push(task.stage);
      this.store.updateTask(file.file_id, task.stage, {
        status: "started",
        attempts: task.attempts + 1,
        started_at: now,
      });
      if (task.status === "pending") {
        this.event(now, "job.stage_started", file.file_id, task.stage, { attempt: task.attempts + 1 });
      }
    }
    return {
      outcome: "claimed",
      fileId: file.file_id,
      token,
      attempt,
      tenantId: job.tenant_id,
      jurisdiction: job.jurisdiction,
      jobId: job.id,
      file: { fileId: file.file_id, name: file.name, size: file.size, contentType: file.content_type },
      stages,
      previous: Object.fromEntries(Object.entries(previous).filter(([, value]) => value !== null)),
      options: jobOptions(job),
    };
  }

  /** Applies consumers' results; only reports carrying the file's current lease token count. */
  report(reports: readonly FileReport[], now: number): ReportResult[] {
    const job = this.requireJob();
    const results: ReportResult[] = [];
    const touched: string[] = [];
    for (const report of reports) {
      const file = this.store.file(report.fileId);
      if (!file) {
        results.push({ fileId: report.fileId, accepted: false, reason: "unknown_file" });
        continue;
      }
      if (job.status === "cancelled" || file.status === "cancelled") {
        results.push({ fileId: report.fileId, accepted: false, reason: "cancelled" });
        continue;
      }
      if (file.status !== "processing" || file.lease_token !== report.token) {
        results.push({ fileId: report.fileId, accepted: false, reason: "stale_lease" });
        continue;
      }
      touched.push(report.fileId);
      this.applyTaskReports(job, file, report.tasks, now);
      results.push({ fileId: report.fileId, accepted: true });
    }
    if (touched.length > 0) this.settle(now, job.status, touched);
    return results;
  }

  private applyTaskReports(job: JobRow, file: FileRow, reports: readonly TaskReport[], now: number): void {
    const tasks = new Map(this.store.tasksOf(file.file_id).map((task) => [task.stage, task]));
    let retryAt: number | null = null;
    for (const report of reports) {
      const task = tasks.get(report.stage);
      if (task?.status !== "started") continue; // a duplicate or a task that is no longer running
      if (report.status === "completed") {
        this.store.updateTask(file.file_id, report.stage, {
          status: "completed",
          completed_at: now,
          duration_ms: Math.round(report.durationMs),
          result: JSON.stringify(report.result),
          outputs: JSON.stringify(report.outputs),
          error_code: null,
          error_message: null,
        });
        this.event(now, "job.stage_completed", file.file_id, report.stage, {
          durationMs: Math.round(report.durationMs),
        });
      } else if (report.status === "failed") {
        this.finishTask(file.file_id, report.stage, "failed", report.error, now, report.durationMs);
      } else if (report.status === "skipped") {
        this.finishTask(file.file_id, report.stage, "skipped", report.reason, now, report.durationMs);
      } else {
        this.store.updateTask(file.file_id, report.stage, {
          status: "pending",
          error_code: report.error.code,
          error_message: report.error.message,
        });
        retryAt = Math.max(retryAt ?? 0, now + report.retryDelaySeconds * 1000);
      }
    }
    this.skipBlockedTasks(job, file.file_id, now);
    if (retryAt !== null) this.requeue(file.file_id, now, retryAt);
  }

  /** The queue gave up on this file's message: whatever is unfinished fails. */
  deadLetter(fileId: string, now: number): boolean {
    const job = this.requireJob();
    const file = this.store.file(fileId);
    if (!file || TERMINAL_JOB_STATUSES.has(job.status) || file.status === "completed") return false;
    if (file.status === "failed" || file.status === "cancelled") return false;
    this.giveUp(job, file, now, "the task queue gave up on this file after its retries ran out");
    this.settle(now, job.status, [fileId]);
    return true;
  }

  // ---- client actions -------------------------------------------------------------------------

  cancel(now: number): "cancelled" | "terminal" {
    const job = this.requireJob();
    if (TERMINAL_JOB_STATUSES.has(job.status)) return "terminal";
    for (const status of ["pending", "processing"] as const) {
      for (const file of this.store.filesWithStatus(status)) {
        this.store.updateFile(file.file_id, {
          status: "cancelled",
          lease_token: null,
          lease_expires_at: null,
          updated_at: now,
        });
        for (const task of this.store.tasksOf(file.file_id)) {
          if (!isTerminalTask(task)) this.store.updateTask(file.file_id, task.stage, { status: "cancelled" });
        }
      }
    }
    this.store.deleteOutboxKind("dispatch");
    this.store.updateJob({ status: "cancelled", completed_at: now });
    this.event(now, "job.cancelled", null, null, { counts: this.store.counts() });
    this.touch(now, true);
    return "cancelled";
  }

  /** Runs the failed files again (only what failed, and what was skipped because of it). */
  retry(now: number): "retried" | "running" | "nothing" {
    const job = this.requireJob();
    if (!TERMINAL_JOB_STATUSES.has(job.status)) return "running";
    if (job.status !== "failed" && job.status !== "completed_with_errors") return "nothing";
    const failed = this.store.filesWithStatus("failed");
    if (failed.length === 0) return "nothing";
    for (const file of failed) {
      this.resetFailedTasks(file.file_id);
      this.store.updateFile(file.file_id, { status: "pending", attempts: 0, dispatches: 0, updated_at: now });
      this.store.enqueue("dispatch", file.file_id, now);
    }
    this.store.updateJob({ status: "processing", completed_at: null });
    this.event(now, "job.retried", null, null, { files: failed.length });
    this.touch(now, true);
    return "retried";
  }

  // ---- recovery (alarm) -----------------------------------------------------------------------

  /**
   * Re-drives work the queue may have lost: files whose lease expired (their consumer died) and
   * files dispatched long ago but never claimed (their message was dropped). Files that used up
   * their attempts fail instead, so every job reaches an end. Returns the files it re-drove or gave up on.
   */
  sweep(now: number): string[] {
    const job = this.requireJob();
    if (TERMINAL_JOB_STATUSES.has(job.status)) return [];
    const touched: string[] = [];
    for (const file of this.store.filesWithStatus("processing")) {
      if ((file.lease_expires_at ?? 0) > now) continue;
      touched.push(file.file_id);
      if (file.attempts >= this.settings.maxAttempts) {
        this.giveUp(job, file, now, `no attempt finished this file in ${file.attempts} tries`);
      } else {
        this.requeue(file.file_id, now, null);
        this.store.enqueue("dispatch", file.file_id, now);
      }
    }
    for (const file of this.store.filesWithStatus("pending")) {
      const lost =
        file.dispatched_at !== null
          ? file.dispatched_at + this.settings.redriveAfterMs <= now
          : !this.store.hasPendingDispatch(file.file_id);
      if (!lost) continue;
      touched.push(file.file_id);
      if (file.dispatches >= this.settings.maxAttempts) {
        this.giveUp(job, file, now, `dispatched ${file.dispatches} times and never processed`);
      } else {
        this.store.updateFile(file.file_id, { dispatched_at: null });
        this.store.enqueue("dispatch", file.file_id, now);
      }
    }
    if (touched.length > 0) this.settle(now, job.status, touched);
    return touched;
  }
}

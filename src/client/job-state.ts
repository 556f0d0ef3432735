/**
 * A job's per-file, per-stage state kept current from its events, for progress displays: start from
 * `GET /v1/jobs/{id}` and apply each event as it arrives; no request per event. Stage results (text
 * links, thumbnails, entities) are not in events: fetch the job again when they are needed. `apply`
 * answers whether the view is now incomplete (a retry reset files, or a file beyond the fetched page
 * appeared), in which case fetch the job again.
 */
import type { FileStatus, Job, JobEvent, JobFile, StageName, StageStatus } from "./types";

export function applyEvent(job: Job, event: JobEvent): { stale: boolean } {
  const file = event.fileId ? job.files.find((candidate) => candidate.fileId === event.fileId) : undefined;
  if (event.fileId && !file && job.files.length < job.counts.total) return { stale: false };
  switch (event.type) {
    case "job.created":
      return { stale: false };
    case "job.started":
      job.status = "processing";
      return { stale: false };
    case "job.stage_started":
      setStage(file, event.stage, "started", event.timestamp, undefined, attemptOf(event.data["attempt"]));
      if (file && file.status === "pending") moveFile(job, file, "processing");
      return { stale: !file };
    case "job.stage_completed":
      setStage(file, event.stage, "completed", event.timestamp);
      return { stale: !file };
    case "job.stage_failed":
      setStage(file, event.stage, "failed", event.timestamp, problemOf(event.data["error"]));
      return { stale: !file };
    case "job.stage_skipped":
      setStage(file, event.stage, "skipped", event.timestamp, problemOf(event.data["reason"]));
      return { stale: !file };
    case "job.file_completed":
      if (file) moveFile(job, file, "completed");
      return { stale: !file };
    case "job.file_failed":
      if (file) moveFile(job, file, "failed");
      return { stale: !file };
    case "job.file_cancelled":
      // The file was deleted while the job ran: its unfinished stages were cancelled; a fetch says which.
      if (file) moveFile(job, file, "cancelled");
      return { stale: true };
    case "job.completed":
      job.status = event.data["status"] === "completed_with_errors" ? "completed_with_errors" : "completed";
      job.completedAt = event.timestamp;
      return { stale: false };
    case "job.failed":
      job.status = "failed";
      job.completedAt = event.timestamp;
      return { stale: false };
    case "job.cancelled":
      job.status = "cancelled";
      job.completedAt = event.timestamp;
      // Unfinished stages were cancelled too; only a fetch says which.
      return { stale: true };
    case "job.retried":
      job.status = "processing";
      job.completedAt = null;
      return { stale: true };
  }
}

function setStage(
  file: JobFile | undefined,
  stage: StageName | undefined,
  status: StageStatus,
  at: string,
  problem?: { code: string; message: string },
  attempt?: number,
): void {
  if (!file || !stage) return;
  const state = file.stages[stage] ?? {
    status: "pending",
    attempts: 0,
    startedAt: null,
    completedAt: null,
    durationMs: null,
  };
  state.status = status;
  if (status === "started") {
    // The event names its attempt: an event the snapshot already holds (a live view that fetched the
    // job and then replays its stream) must not count the attempt twice.
    state.attempts = attempt ?? state.attempts + 1;
    state.startedAt = at;
  } else {
    state.completedAt = at;
    if (state.startedAt) state.durationMs = Date.parse(at) - Date.parse(state.startedAt);
  }
  if (status === "failed" && problem) state.error = problem;
  if (status === "skipped" && problem) state.reason = problem;
  file.stages[stage] = state;
}

const attemptOf = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;

function moveFile(job: Job, file: JobFile, status: FileStatus): void {
  if (file.status === status) return;
  job.counts[file.status] = Math.max(0, job.counts[file.status] - 1);
  job.counts[status] += 1;
  file.status = status;
}

function problemOf(value: unknown): { code: string; message: string } | undefined {
  if (!value || typeof value !== "object") return undefined;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string"
    ? { code, message: typeof message === "string" ? message : code }
    : undefined;
}

/**
 * Turns the Job DO's rows into the API's job object and events (and the context of its log lines). The
 * shapes come from the API schemas (src/schemas/jobs.ts), so the DO can never drift from what the API
 * documents.
 */
import type { JobOptions } from "../pipeline/options";
import type { JsonObject } from "../pipeline/stage";
import type { StageName } from "../pipeline/stage-names";
import { toIso, toIsoOrNull } from "../schemas/common";
import type {
  EventObject,
  EventType,
  JobFileObject,
  JobObject,
  JobSummaryObject,
  StageStateObject,
} from "../schemas/jobs";
import type { EventRow, FileRow, JobRow, JobStore, TaskRow } from "./job-store";
import type { JobSummary } from "./types";

export type JobView = JobObject;

/** The log context of a job's lines: its tenant, id and trace. */
export const jobLogContext = (job: JobRow | null) => ({
  tenantId: job?.tenant_id,
  jobId: job?.id,
  traceId: job?.trace_id ?? undefined,
});

export const jobStages = (job: JobRow): StageName[] => JSON.parse(job.stages) as StageName[];
export const jobOptions = (job: JobRow): JobOptions => JSON.parse(job.options) as JobOptions;
export const taskResult = (task: TaskRow): JsonObject | null =>
  task.result === null ? null : (JSON.parse(task.result) as JsonObject);

function stageState(task: TaskRow): StageStateObject {
  const state: StageStateObject = {
    status: task.status,
    attempts: task.attempts,
    startedAt: toIsoOrNull(task.started_at),
    completedAt: toIsoOrNull(task.completed_at),
    durationMs: task.duration_ms,
  };
  const problem =
    task.error_code !== null ? { code: task.error_code, message: task.error_message ?? "" } : undefined;
  if (task.status === "completed") state.result = taskResult(task) ?? {};
  else if (task.status === "failed" && problem) state.error = problem;
  else if (task.status === "skipped" && problem) state.reason = problem;
  else if (problem) state.lastError = problem;
  return state;
}

function fileView(file: FileRow, tasks: readonly TaskRow[], stages: readonly StageName[]): JobFileObject {
  const byStage = new Map(tasks.map((task) => [task.stage, task]));
  const stageStates: JobFileObject["stages"] = {};
  for (const stage of stages) {
    const task = byStage.get(stage);
    if (task) stageStates[stage] = stageState(task);
  }
  return {
    fileId: file.file_id,
    name: file.name,
    size: file.size,
    contentType: file.content_type,
    status: file.status,
    attempts: file.attempts,
    stages: stageStates,
  };
}

export function jobSummary(job: JobRow, store: JobStore): JobSummary {
  return {
    tenantId: job.tenant_id,
    id: job.id,
    status: job.status,
    stages: jobStages(job),
    counts: store.counts(),
    createdAt: job.created_at,
    updatedAt: job.updated_at,
    completedAt: job.completed_at,
    version: job.version,
  };
}

export function summaryObject(summary: JobSummary): JobSummaryObject {
  return {
    id: summary.id,
    status: summary.status,
    stages: summary.stages,
    createdAt: toIso(summary.createdAt),
    updatedAt: toIso(summary.updatedAt),
    completedAt: toIsoOrNull(summary.completedAt),
    counts: summary.counts,
  };
}

/** The job with one page of its files (in the order the job listed them). */
export function jobView(job: JobRow, store: JobStore, afterPosition: number, filesLimit: number): JobView {
  const stages = jobStages(job);
  const page = store.files(afterPosition, filesLimit + 1);
  const files = page.slice(0, filesLimit);
  const tasks = store.tasksOfFiles(files.map((file) => file.file_id));
  const tasksByFile = Map.groupBy(tasks, (task) => task.file_id);
  const last = files[files.length - 1];
  return {
    ...summaryObject(jobSummary(job, store)),
    options: jobOptions(job),
    startedAt: toIsoOrNull(job.started_at),
    files: files.map((file) => fileView(file, tasksByFile.get(file.file_id) ?? [], stages)),
    filesNextCursor: page.length > filesLimit && last ? String(last.position) : null,
  };
}

export function eventObject(jobId: string, row: EventRow): EventObject {
  const event: EventObject = {
    id: `evt_${jobId.slice("job_".length)}_${row.seq}`,
    seq: row.seq,
    type: row.type as EventType,
    jobId,
    timestamp: toIso(row.timestamp),
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
  if (row.file_id !== null) event.fileId = row.file_id;
  if (row.stage !== null) event.stage = row.stage as StageName;
  return event;
}

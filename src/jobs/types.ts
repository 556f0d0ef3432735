/** The vocabulary of a job's state, shared by the Job DO, the D1 projection and the API schemas. */
import type { StageName } from "../pipeline/stage-names";

export const JOB_STATUSES = [
  "pending",
  "processing",
  "completed",
  "completed_with_errors",
  "failed",
  "cancelled",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_JOB_STATUSES: ReadonlySet<JobStatus> = new Set([
  "completed",
  "completed_with_errors",
  "failed",
  "cancelled",
]);

export const FILE_STATUSES = ["pending", "processing", "completed", "failed", "cancelled"] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export const TASK_STATUSES = ["pending", "started", "completed", "failed", "skipped", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TERMINAL_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set([
  "completed",
  "failed",
  "skipped",
  "cancelled",
]);

export interface JobCounts {
  total: number;
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  cancelled: number;
}

/** What the D1 listing knows about a job: everything but the per-file detail. */
export interface JobSummary {
  tenantId: string;
  id: string;
  status: JobStatus;
  stages: StageName[];
  counts: JobCounts;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  /** Increases with every change of the job; the projection keeps the highest it has seen. */
  version: number;
}

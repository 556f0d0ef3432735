/**
 * The messages exchanged with a Job Durable Object over RPC: what the API sends to create a job, what
 * a queue consumer receives when it claims files and what it reports back. Plain data only, so they
 * cross the RPC boundary by structured clone.
 */
import type { JobOptions } from "../pipeline/options";
import type { JsonObject } from "../pipeline/stage";
import type { StageName } from "../pipeline/stage-names";
import type { Jurisdiction } from "../tenancy/tenant";
import type { JobView } from "./job-view";

export interface JobFileInput {
  fileId: string;
  name: string;
  size: number;
  contentType: string;
}

export interface CreateJobInput {
  tenantId: string;
  jurisdiction: Jurisdiction;
  jobId: string;
  stages: StageName[];
  options: JobOptions;
  /** The tenant's cap on files in flight at once, shared with its other jobs. */
  maxInFlight: number;
  /** Where the job's events are delivered as webhooks (null: nowhere). */
  webhookEndpointId: string | null;
  /** Hash of the validated request; creating again with another hash is a conflict. */
  requestHash: string;
  files: JobFileInput[];
  /** The W3C trace id of the creating request; the job's task messages carry it to the consumers. */
  traceId?: string;
}

export type CreateJobResult =
  { kind: "created"; job: JobView } | { kind: "existing"; job: JobView } | { kind: "conflict" };

export interface FileClaim {
  outcome: "claimed";
  fileId: string;
  /** Fencing token: reports must carry it; a newer claim makes older tokens stale. */
  token: number;
  attempt: number;
  tenantId: string;
  jurisdiction: Jurisdiction;
  jobId: string;
  file: JobFileInput;
  /** Stages still to run for this file, in the job's order. */
  stages: StageName[];
  /** Results of this file's stages completed earlier, for the stages that depend on them. */
  previous: Partial<Record<StageName, JsonObject>>;
  options: JobOptions;
}

export type ClaimSkipReason = "done" | "leased" | "cancelled" | "unknown_file" | "no_job";

export type ClaimResult = FileClaim | { outcome: "skip"; fileId: string; reason: ClaimSkipReason };

export interface OutputRecord {
  name: string;
  contentType: string;
  bytes: number;
}

export interface StageProblem {
  code: string;
  message: string;
}

export type TaskReport =
  | { stage: StageName; status: "completed"; result: JsonObject; outputs: OutputRecord[]; durationMs: number }
  | { stage: StageName; status: "failed"; error: StageProblem; durationMs: number }
  | { stage: StageName; status: "skipped"; reason: StageProblem; durationMs: number }
  /** A transient failure: the stage goes back to pending and the queue redelivers after the delay. */
  | { stage: StageName; status: "retry"; error: StageProblem; retryDelaySeconds: number };

export interface FileReport {
  fileId: string;
  token: number;
  tasks: TaskReport[];
}

export type ReportResult =
  | { fileId: string; accepted: true }
  | { fileId: string; accepted: false; reason: "stale_lease" | "cancelled" | "unknown_file" | "no_job" };

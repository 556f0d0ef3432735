/**
 * Per-stage metrics: every stage run a consumer reported (and the job accepted) becomes one outcome,
 * with its stage, outcome, error code and duration. Outcomes go to two places: the D1 table
 * `stage_metrics`, in one batch per report (what GET /v1/stats reads, locally and in production), and
 * the Workers Analytics Engine dataset behind the STAGE_METRICS binding when the deployment has one
 * (for dashboards over all tenants). Metrics never hold up the work: a failed write is logged and
 * dropped, and writing the same run twice stores it once.
 */
import type { FileClaim, FileReport, TaskReport } from "../jobs/contracts";
import { errorText, log } from "./log";

export const STAGE_OUTCOMES = ["completed", "failed", "skipped", "retry"] as const;
export type StageOutcomeKind = (typeof STAGE_OUTCOMES)[number];

export interface StageOutcome {
  tenantId: string;
  jobId: string;
  fileId: string;
  stage: string;
  /** The claim's fencing token: unique per claim within a job, so it identifies this run. */
  leaseToken: number;
  attempt: number;
  outcome: StageOutcomeKind;
  /** The error code of a failed or retried run, the reason of a skipped one; null when completed. */
  code: string | null;
  /** Null for a retry (the run did not finish). */
  durationMs: number | null;
  recordedAt: number;
}

/** A reported stage run's code: the error of a failed or retried run, the reason of a skipped one. */
export function runCode(task: TaskReport): string | null {
  if (task.status === "completed") return null;
  return task.status === "skipped" ? task.reason.code : task.error.code;
}

/** A reported stage run's duration in whole ms; null for a retry (the run did not finish). */
export const runDurationMs = (task: TaskReport): number | null =>
  task.status === "retry" ? null : Math.round(task.durationMs);

/** The outcomes of one file's report, one per stage run it reports. */
export function stageOutcomes(claim: FileClaim, report: FileReport, now: number): StageOutcome[] {
  return report.tasks.map((task) => ({
    tenantId: claim.tenantId,
    jobId: claim.jobId,
    fileId: claim.fileId,
    stage: task.stage,
    leaseToken: claim.token,
    attempt: claim.attempt,
    outcome: task.status,
    code: runCode(task),
    durationMs: runDurationMs(task),
    recordedAt: now,
  }));
}

const COLUMNS = [
  "tenant_id",
  "job_id",
  "file_id",
  "stage",
  "lease_token",
  "attempt",
  "outcome",
  "code",
  "duration_ms",
  "recorded_at",
] as const;
/** D1 binds at most 100 parameters per statement. */
const ROWS_PER_STATEMENT = Math.floor(100 / COLUMNS.length);

const rowValues = (o: StageOutcome) => [
  o.tenantId,
  o.jobId,
  o.fileId,
  o.stage,
  o.leaseToken,
  o.attempt,
  o.outcome,
  o.code,
  o.durationMs,
  o.recordedAt,
];

/** Writes outcomes to D1 in one round trip (several multi-row statements in one batch). */
export async function writeStageMetricsRows(
  db: D1Database,
  outcomes: readonly StageOutcome[],
): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let start = 0; start < outcomes.length; start += ROWS_PER_STATEMENT) {
    const chunk = outcomes.slice(start, start + ROWS_PER_STATEMENT);
    const placeholders = chunk.map(() => `(${COLUMNS.map(() => "?").join(", ")})`).join(", ");
    statements.push(
      db
        .prepare(`INSERT OR IGNORE INTO stage_metrics (${COLUMNS.join(", ")}) VALUES ${placeholders}`)
        .bind(...chunk.flatMap(rowValues)),
    );
  }
  if (statements.length > 0) await db.batch(statements);
}

/**
 * One outcome as an Analytics Engine data point. index1 = tenant (the sampling key); blob1 stage,
 * blob2 outcome, blob3 code ("" when none), blob4 job, blob5 file; double1 duration in ms (0 for a
 * retry), double2 attempt. README, "Observability", has the SQL that reads them.
 */
export function stageDataPoint(o: StageOutcome): AnalyticsEngineDataPoint {
  return {
    indexes: [o.tenantId],
    blobs: [o.stage, o.outcome, o.code ?? "", o.jobId, o.fileId],
    doubles: [o.durationMs ?? 0, o.attempt],
  };
}

/** The STAGE_METRICS dataset when the deployment binds one (looked up at run time: it is optional). */
export function metricsDataset(env: Env): AnalyticsEngineDataset | null {
  const candidate = (env as unknown as { STAGE_METRICS?: unknown }).STAGE_METRICS;
  return typeof candidate === "object" && candidate !== null && "writeDataPoint" in candidate
    ? (candidate as AnalyticsEngineDataset)
    : null;
}

/** Records outcomes in D1 and Analytics Engine; never throws. */
export async function recordStageOutcomes(env: Env, outcomes: readonly StageOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const dataset = metricsDataset(env);
  try {
    // writeDataPoint does not wait for the write; it only queues the point for this invocation.
    if (dataset) for (const outcome of outcomes) dataset.writeDataPoint(stageDataPoint(outcome));
  } catch (error) {
    log("warn", "analytics engine write failed", { error: errorText(error) });
  }
  try {
    await writeStageMetricsRows(env.DB, outcomes);
  } catch (error) {
    const first = outcomes[0];
    log("error", "stage metrics not recorded", {
      tenantId: first?.tenantId,
      jobId: first?.jobId,
      rows: outcomes.length,
      error: errorText(error),
    });
  }
}

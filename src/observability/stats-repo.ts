/**
 * The queries behind GET /v1/stats, all scoped to one tenant and a time window, read in one D1 round
 * trip: jobs created in the window by status (the job listing), and from `stage_metrics` the stage
 * runs by outcome, failures by code, the files worked on, and nearest-rank p50/p95 durations of
 * completed runs per stage (SQLite has no percentile function; window functions rank the rows).
 */
import { JOB_STATUSES, type JobStatus } from "../jobs/types";
import { STAGE_NAMES, type StageName } from "../pipeline/stage-names";
import type { StageStats, Stats } from "../schemas/stats";
import type { StageOutcomeKind } from "./stage-metrics";

const JOBS_BY_STATUS = `SELECT status, count(*) AS n FROM jobs
  WHERE tenant_id = ?1 AND created_at >= ?2 GROUP BY status`;

const RUNS_BY_OUTCOME = `SELECT stage, outcome, count(*) AS n FROM stage_metrics
  WHERE tenant_id = ?1 AND recorded_at >= ?2 GROUP BY stage, outcome`;

const FAILURES_BY_CODE = `SELECT coalesce(code, 'unknown') AS code, count(*) AS n FROM stage_metrics
  WHERE tenant_id = ?1 AND recorded_at >= ?2 AND outcome = 'failed' GROUP BY code`;

const FILES = `SELECT count(*) AS processed, coalesce(sum(failed), 0) AS failed FROM (
    SELECT max(outcome = 'failed') AS failed FROM stage_metrics
    WHERE tenant_id = ?1 AND recorded_at >= ?2 GROUP BY job_id, file_id)`;

// Nearest rank: the p-th percentile of n values is the ceil(p * n / 100)-th smallest.
const PERCENTILES = `SELECT stage,
    max(CASE WHEN rank = (n * 50 + 99) / 100 THEN duration_ms END) AS p50,
    max(CASE WHEN rank = (n * 95 + 99) / 100 THEN duration_ms END) AS p95
  FROM (SELECT stage, duration_ms,
          row_number() OVER (PARTITION BY stage ORDER BY duration_ms) AS rank,
          count(*) OVER (PARTITION BY stage) AS n
        FROM stage_metrics
        WHERE tenant_id = ?1 AND recorded_at >= ?2 AND outcome = 'completed' AND duration_ms IS NOT NULL)
  GROUP BY stage`;

type StatusRow = { status: JobStatus; n: number };
type OutcomeRow = { stage: StageName; outcome: StageOutcomeKind; n: number };
type CodeRow = { code: string; n: number };
type FilesRow = { processed: number; failed: number };
type PercentileRow = { stage: StageName; p50: number | null; p95: number | null };

export type StatsBody = Omit<Stats, "window" | "from" | "to">;

function emptyStage(stage: StageName): StageStats {
  return {
    stage,
    runs: 0,
    completed: 0,
    failed: 0,
    skipped: 0,
    retried: 0,
    durationMs: { p50: null, p95: null },
  };
}

export async function readStats(db: D1Database, tenantId: string, since: number): Promise<StatsBody> {
  const [statuses, outcomes, codes, files, percentiles] = await db.batch<Record<string, unknown>>(
    [JOBS_BY_STATUS, RUNS_BY_OUTCOME, FAILURES_BY_CODE, FILES, PERCENTILES].map((sql) =>
      db.prepare(sql).bind(tenantId, since),
    ),
  );

  const byStatus = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
  for (const row of (statuses?.results ?? []) as StatusRow[]) byStatus[row.status] = row.n;

  const stages = new Map<StageName, StageStats>();
  const stageOf = (stage: StageName): StageStats => {
    const found = stages.get(stage) ?? emptyStage(stage);
    stages.set(stage, found);
    return found;
  };
  for (const row of (outcomes?.results ?? []) as OutcomeRow[]) {
    const entry = stageOf(row.stage);
    entry.runs += row.n;
    if (row.outcome === "retry") entry.retried += row.n;
    else entry[row.outcome] += row.n;
  }
  for (const row of (percentiles?.results ?? []) as PercentileRow[]) {
    stageOf(row.stage).durationMs = { p50: row.p50, p95: row.p95 };
  }

  const fileCounts = ((files?.results ?? [])[0] as FilesRow | undefined) ?? { processed: 0, failed: 0 };
  return {
    jobs: { total: Object.values(byStatus).reduce((sum, n) => sum + n, 0), byStatus },
    files: { processed: fileCounts.processed, failed: fileCounts.failed },
    failuresByCode: Object.fromEntries(((codes?.results ?? []) as CodeRow[]).map((row) => [row.code, row.n])),
    // In pipeline order, so the answer reads like the job's stages.
    stages: STAGE_NAMES.flatMap((stage) => stages.get(stage) ?? []),
  };
}

/** Deletes metrics recorded before `before` (the hourly cron); returns how many rows went. */
export async function pruneStageMetrics(db: D1Database, before: number, limit = 10_000): Promise<number> {
  // Bounded per run, like the rest of retention: the next run continues.
  const result = await db
    .prepare(
      `DELETE FROM stage_metrics WHERE rowid IN (
         SELECT rowid FROM stage_metrics WHERE recorded_at < ? ORDER BY recorded_at LIMIT ?)`,
    )
    .bind(before, limit)
    .run();
  return result.meta.changes;
}

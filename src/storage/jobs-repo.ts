/**
 * The D1 job projection: a listing-friendly copy of each job's summary, written only by the job's
 * Durable Object. Writes carry the job's version and only ever move a row forward, so duplicate,
 * late or reordered deliveries of the projection are harmless.
 */
import type { PageAfter } from "../http/cursor";
import type { JobStatus, JobSummary } from "../jobs/types";
import type { StageName } from "../pipeline/stage-names";
import { newestFirst } from "./newest-first";

interface JobRow {
  tenant_id: string;
  id: string;
  status: JobStatus;
  stages: string;
  total: number;
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  cancelled: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  version: number;
}

const fromRow = (row: JobRow): JobSummary => ({
  tenantId: row.tenant_id,
  id: row.id,
  status: row.status,
  stages: JSON.parse(row.stages) as StageName[],
  counts: {
    total: row.total,
    pending: row.pending,
    processing: row.processing,
    completed: row.completed,
    failed: row.failed,
    cancelled: row.cancelled,
  },
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  completedAt: row.completed_at,
  version: row.version,
});

export async function upsertJobProjection(db: D1Database, job: JobSummary): Promise<void> {
  const { counts } = job;
  await db
    .prepare(
      `INSERT INTO jobs (tenant_id, id, status, stages, total, pending, processing, completed, failed,
                         cancelled, created_at, updated_at, completed_at, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, id) DO UPDATE SET
         status = excluded.status, total = excluded.total, pending = excluded.pending,
         processing = excluded.processing, completed = excluded.completed, failed = excluded.failed,
         cancelled = excluded.cancelled, updated_at = excluded.updated_at,
         completed_at = excluded.completed_at, version = excluded.version
       WHERE excluded.version > jobs.version`,
    )
    .bind(
      job.tenantId,
      job.id,
      job.status,
      JSON.stringify(job.stages),
      counts.total,
      counts.pending,
      counts.processing,
      counts.completed,
      counts.failed,
      counts.cancelled,
      job.createdAt,
      job.updatedAt,
      job.completedAt,
      job.version,
    )
    .run();
}

export async function listJobs(
  db: D1Database,
  tenantId: string,
  options: { status: JobStatus | undefined; limit: number; after: PageAfter | null },
): Promise<JobSummary[]> {
  const rows = await newestFirst<JobRow>(db, "jobs", {
    where: { tenant_id: tenantId, status: options.status },
    timeColumn: "created_at",
    limit: options.limit,
    after: options.after,
  });
  return rows.map(fromRow);
}

/** Statement removing the job's listing row. */
export const deleteJobRowStatement = (db: D1Database, tenantId: string, id: string): D1PreparedStatement =>
  db.prepare("DELETE FROM jobs WHERE tenant_id = ? AND id = ?").bind(tenantId, id);
